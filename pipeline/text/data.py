"""The project's rule tables (data/*.tsv) read as rows: one reader for every stage."""
from __future__ import annotations

import csv
from importlib import resources


def data_rows(name: str) -> list[dict[str, str]]:
    """The rows of a tab-separated file of data/, comment lines (#) and blank lines left out;
    quotes are characters like any other (patterns and words hold them)."""
    path = resources.files("junheng") / "data" / name
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))

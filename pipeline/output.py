"""Output plumbing shared by every command: one `output_options` decorator and `emit`.

`--format table|json|jsonl|csv` means the same everywhere; the default is a table on a
terminal and JSON lines in a pipe; `-o FILE` picks the format from the suffix. Commands
that make tables for analysts (`compare`, `export`) also offer the binary formats xlsx and
parquet (`EXPORT_FORMATS`), written by `pipeline.export` and only to a file.
"""
from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
from pathlib import Path

import click

FORMATS = ["table", "json", "jsonl", "csv"]
BINARY_FORMATS = ["xlsx", "parquet"]
EXPORT_FORMATS = FORMATS + BINARY_FORMATS
_SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".txt": "table",
                   ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
_MAX_CELL = 48


def output_options(default: str | None = None, formats: list[str] = FORMATS):
    """Add --format and -o/--output; the command receives `fmt` and `output`."""
    def decorator(command):
        command = click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
                               help="Write to this file instead of stdout (format from its suffix).")(command)
        command = click.option("--format", "fmt", type=click.Choice(formats), default=default,
                               help="Output format [default: table on a terminal, jsonl in a pipe"
                                    + (f"; {default} here" if default else "") + "].")(command)
        return command
    return decorator


def resolve_format(fmt: str | None, output: str | None, formats: list[str] = FORMATS) -> str:
    if fmt:
        return fmt
    if output:
        suffix_format = _SUFFIX_FORMATS.get(Path(output).suffix.lower()) or Path(output).suffix.lower().lstrip(".")
        if suffix_format in formats:
            return suffix_format
    if output is None and sys.stdout.isatty():
        return "table"
    return "jsonl"


def emit(records: list[dict], fmt: str | None, output: str | None, table_columns: list[str] | None = None,
         array: bool = True, formats: list[str] = FORMATS) -> None:
    """Write `records` in the chosen format to `output` or stdout (a table shows `table_columns`)."""
    fmt = resolve_format(fmt, output, formats)
    if fmt in BINARY_FORMATS:
        if not output:
            raise click.UsageError(f"{fmt} is a binary format and is not written to the terminal or a pipe: "
                                   f"give -o FILE.{fmt}")
        from .export import write_binary

        write_binary([flatten(r) for r in records], fmt, output)
        return
    text = render(records, fmt, table_columns, array)
    if output:
        Path(output).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    else:
        click.echo(text, nl=False)


def render(records: list[dict], fmt: str, table_columns: list[str] | None = None, array: bool = True) -> str:
    if fmt == "json":
        payload = records if array or len(records) != 1 else records[0]
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    flat = [flatten(r) for r in records]
    columns = _columns(flat)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _csv_value(v) for k, v in r.items()} for r in flat)
        return buffer.getvalue()
    return table(flat, table_columns or columns)


def _csv_value(value):
    return ("true" if value else "false") if isinstance(value, bool) else value  # as JSON writes them


def flatten(record: dict, prefix: str = "") -> dict:
    """Nested dicts become prefixed columns (region.code → region_code); lists become JSON."""
    flat = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list):
            flat[name] = json.dumps(value, ensure_ascii=False)
        else:
            flat[name] = value
    return flat


def _columns(records: list[dict]) -> list[str]:
    columns: list[str] = []
    for record in records:
        columns.extend(key for key in record if key not in columns)
    return columns


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(value, width: int = _MAX_CELL) -> str:
    text = "" if value is None else str(value).replace("\n", " ").replace("\t", " ")
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        used += display_width(ch)
        if used > width - 1:
            break
        out += ch
    return out + "…"


def table(records: list[dict], columns: list[str]) -> str:
    """An aligned plain-text table; Chinese characters count as two columns."""
    if not records:
        return "(no results)\n"
    cells = [[_fit(column) for column in columns]] + [[_fit(r.get(c)) for c in columns] for r in records]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(columns))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(cell + " " * (w - display_width(cell)) for cell, w in zip(row, widths)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"

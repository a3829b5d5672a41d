"""The corpus's gold annotations and its renderings, for the `evaluate` commands.

Gold lives in corpus/gold/<slug>.json; every report is rendered in each form under
corpus/renderings/<form>/<slug>.<ext>. Scoring the same report in every form shows whether
extraction depends on the form it came in.
"""
from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from junheng.document import Document

FORMS = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "txt": ".txt"}


def load_gold(gold_dir: Path) -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(gold_dir.glob("*.json"))}


def rendered_documents(renderings_dir: Path, form: str, slugs: list[str], workers: int = 2) -> dict[str, Document]:
    """slug → the Document extracted from that report's rendering in `form` (missing ones left out)."""
    paths = {slug: renderings_dir / form / f"{slug}{FORMS[form]}" for slug in slugs}
    present = {slug: path for slug, path in paths.items() if path.exists()}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        documents = pool.map(_extract, present.values())
        return dict(zip(present, documents))


def _extract(path: Path) -> Document:
    from junheng.process import extract_path

    return extract_path(path)

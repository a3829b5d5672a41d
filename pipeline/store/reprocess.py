"""`junheng reprocess`: run extraction again over every stored document, after the rules or
the model changed, without the original files.

Each document is rebuilt from its stored row (the cleaned text, its tables from the
tab-separated lines that `clean` lays them out as, the file's page hints) and passed through
`process.enrich`; the results replace the old ones in one transaction per document, and hand
corrections (`junheng set`) are applied again on top.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from junheng.store import database as store
from junheng.document import Cell, Document, Table


@dataclass
class ReprocessSummary:
    documents: int = 0
    figures: tuple[int, int] = (0, 0)  # stored before, stored after
    measures: tuple[int, int] = (0, 0)
    failed: list[tuple[str, str]] = field(default_factory=list)


def stored_ids(db) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM documents ORDER BY id")]


def reprocess(db, ids: Iterable[int]) -> ReprocessSummary:
    """Re-extract the documents `ids`; one that fails keeps its old results and is reported."""
    from junheng.process import enrich

    before = _counts(db)
    summary = ReprocessSummary()
    for doc_id in ids:
        doc = stored_document(db, doc_id)
        try:
            enriched = enrich(doc)
        except Exception as exc:  # a rule that breaks on one document must not stop the others
            summary.failed.append((doc.source, f"{type(exc).__name__}: {str(exc)[:200]}"))
            continue
        store.update_extraction(db, doc_id, enriched)
        summary.documents += 1
    after = _counts(db)
    summary.figures, summary.measures = (before[0], after[0]), (before[1], after[1])
    return summary


def _counts(db) -> tuple[int, int]:
    return tuple(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("figures", "measures"))


def stored_document(db, doc_id: int) -> Document:
    """The Document as `ingest` had it before extraction, rebuilt from its stored row."""
    source, sha, text, kind, warnings, page_meta, title, date, issuer = db.execute(
        "SELECT source, sha256, text, format, warnings, page_meta, title, date, issuer FROM documents WHERE id = ?",
        [doc_id]).fetchone()
    if page_meta is not None:
        hints = json.loads(page_meta)
    else:  # stored before page hints were kept (schema 1): what was found from them stands in
        hints = {key: value for key, value in [("article_title", title), ("published", date), ("source", issuer)]
                 if value}
    return Document(source=source, sha256=sha, text=text, format=kind, tables=tables_from_text(text),
                    page_meta=hints, warnings=json.loads(warnings or "[]"))


def tables_from_text(text: str) -> list[Table]:
    """The tables of a stored text: `clean` writes each row as a line of tab-separated cells,
    and no paragraph keeps a tab. A table's caption is the line before it."""
    tables: list[Table] = []
    rows: list[list[Cell]] = []
    offset, previous_line, caption = 0, None, None
    for line in text.split("\n"):
        if "\t" in line:
            if not rows:
                caption = previous_line
            rows.append(_cells(line, offset))
        else:
            if rows:
                tables.append(Table(rows=rows, start=rows[0][0].start, end=rows[-1][-1].end, caption=caption))
                rows = []
            previous_line = line
        offset += len(line) + 1
    if rows:
        tables.append(Table(rows=rows, start=rows[0][0].start, end=rows[-1][-1].end, caption=caption))
    return tables


def _cells(line: str, offset: int) -> list[Cell]:
    cells = []
    for cell_text in line.split("\t"):
        cells.append(Cell(cell_text, offset, offset + len(cell_text)))
        offset += len(cell_text) + 1
    return cells

"""The SQLite database: opening (migrated to the current schema), whole-document writes,
corrections, and reads for the commands. The schema itself is in schema.py.

Tables follow CONTRACT.md (`documents`, `figures`, `measures`, `regions`, `ingest_errors`)
plus `junheng_meta` (schema version) and `documents_fts`, a contentless FTS5 index of the
text's search tokens (see `tokens.index_tokens`), whose rowid is the document id.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path

import sqlite_utils

from junheng.document import Document, Figure
from junheng.store.schema import SCHEMA_VERSION, schema_version, text_fingerprint
from junheng.store.tokens import index_tokens

_OPEN_ATTEMPTS = 40
BUSY_TIMEOUT_MS = 60_000
_FTS_INSERT = "INSERT INTO documents_fts(rowid, tokens) VALUES (?, ?)"
_FIGURE_FIELDS = [field.name for field in fields(Figure)]
_FIGURES_INSERT = (f"INSERT INTO figures (document_id, {', '.join(f'[{name}]' for name in _FIGURE_FIELDS)}) "
                   f"VALUES ({', '.join('?' * (len(_FIGURE_FIELDS) + 1))})")
_MEASURES_INSERT = ("INSERT INTO measures (document_id, measure, score, evidence, model_version) "
                    "VALUES (?, ?, ?, ?, ?)")


class DatabaseMissing(Exception):
    """A read command was pointed at a database that does not exist."""


class SchemaTooNew(Exception):
    """The database was written by a newer junheng."""


class DatabaseBusy(Exception):
    """Another process held the write lock for longer than the busy timeout."""

    def __init__(self) -> None:
        super().__init__(f"the database is busy: another process has been writing to it for over "
                         f"{BUSY_TIMEOUT_MS / 1000:g} s; nothing was lost, run the command again when it is done")


def default_path() -> str:
    return os.environ.get("JUNHENG_DB") or "junheng.db"


def open_db(path: str | Path, create: bool = False) -> sqlite_utils.Database:
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseMissing(f"no database at {path}: run `junheng ingest PATH --db {path}` first")
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # With WAL, NORMAL skips the fsync at each commit: a killed process still leaves whole
    # documents or none; only a power cut can lose the last few commits (a rerun adds them).
    db.execute("PRAGMA synchronous = NORMAL")
    # Switching to WAL does not wait on the busy handler: when two loaders create the same
    # database at once, the one that loses the race retries for a while instead of failing.
    for attempt in range(_OPEN_ATTEMPTS):
        try:
            if db.journal_mode != "wal":
                db.enable_wal()
            _ensure_schema(db)
            return db
        except sqlite_utils.db.sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
            if attempt == _OPEN_ATTEMPTS - 1:
                raise DatabaseBusy() from exc
            time.sleep(0.25)
    raise AssertionError("unreachable")


def _is_busy(exc: Exception) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _ensure_schema(db: sqlite_utils.Database) -> None:
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(f"database schema {version} is newer than this junheng ({SCHEMA_VERSION}): upgrade junheng")
    if version == SCHEMA_VERSION:
        return
    from junheng.store.migrations import migrate

    with write_transaction(db):  # an upgrade is applied whole or not at all
        version = schema_version(db)  # another process may have just migrated it
        if version < SCHEMA_VERSION:
            migrate(db, version)
            db["junheng_meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")


@contextmanager
def write_transaction(db: sqlite_utils.Database):
    """One IMMEDIATE transaction: it takes the write lock up front (waiting up to the busy
    timeout), so two loaders queue instead of failing halfway. sqlite-utils calls inside it
    nest as savepoints. Inside another write transaction (a bulk load writes a batch of
    documents in one) it is a savepoint itself: what fails rolls back alone."""
    if db.conn.in_transaction:
        db.conn.execute("SAVEPOINT junheng_write")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:  # else SQLite has already rolled it all back (I/O error)
                db.conn.execute("ROLLBACK TO junheng_write")
                db.conn.execute("RELEASE junheng_write")
            raise
        db.conn.execute("RELEASE junheng_write")
        return
    _begin(db)
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def _begin(db: sqlite_utils.Database) -> None:
    """Take the write lock: wait the busy timeout, then once more after a pause."""
    for attempt in range(2):
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite_utils.db.sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
            if attempt == 1:
                raise DatabaseBusy() from exc
            time.sleep(1)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def find_document_id(db: sqlite_utils.Database, sha: str) -> int | None:
    row = db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha]).fetchone()
    return row[0] if row else None


def save_document(db: sqlite_utils.Database, doc: Document, replace: bool = False) -> int:
    """Write a document with its figures, measures and search row in one transaction."""
    return write_document(db, doc, replace)[0]


def write_document(db: sqlite_utils.Database, doc: Document, replace: bool = False,
                   search_rows: list | None = None, tokens: str | None = None) -> tuple[int, bool]:
    """`save_document`, also saying whether anything was written: False when the same file
    was stored already (by another loader running at the same time, say) and not replaced.
    If the database stays busy, DatabaseBusy is raised and nothing of it has been written.

    `search_rows`: a batch's list that takes a new document's search row, for the caller to
    insert with `add_search_rows` before it commits. FTS5 flushes its pending terms at every
    savepoint, so a batch's rows written together make one index segment, not one each.
    `tokens`: the document's search tokens if the caller has made them (tokens.index_tokens)."""
    tokens = index_tokens(doc.text) if tokens is None else tokens
    with write_transaction(db):
        old_id = find_document_id(db, doc.sha256)
        if old_id is not None:
            return (_replace_document(db, old_id, doc, tokens), True) if replace else (old_id, False)
        doc_id = _insert_rows(db, doc, None)
        if search_rows is None:
            add_search_rows(db, [(doc_id, tokens)])
    if search_rows is not None:
        search_rows.append((doc_id, tokens))  # only once its savepoint has been released
    return doc_id, True


def add_search_rows(db: sqlite_utils.Database, rows: list[tuple[int, str]]) -> None:
    """(document id, index tokens) rows into the search index."""
    db.conn.executemany(_FTS_INSERT, rows)


def save_documents(db: sqlite_utils.Database, docs: Iterable[Document], batch_size: int = 500) -> int:
    """Write documents already extracted, one transaction per batch; returns how many were new.

    For imports of documents extracted elsewhere (the search benchmark's 100,000); `ingest`
    writes through `write_document`, a batch at a time (bulk.load)."""
    added = 0
    for batch in _batches(docs, batch_size):
        with write_transaction(db):
            search_rows = [(_insert_rows(db, doc, None), index_tokens(doc.text))
                           for doc in batch if find_document_id(db, doc.sha256) is None]
            # FTS5 flushes its pending terms at every savepoint (sqlite-utils opens one per
            # insert), so the batch's index rows go in together, after the other rows.
            add_search_rows(db, search_rows)
            added += len(search_rows)
    return added


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _insert_rows(db, doc: Document, corrections: str | None, doc_id: int | None = None) -> int:
    """The document's row with its figures and measures (the search row is the caller's).
    `doc_id` keeps the id of a document being replaced, so its reposts stay linked to it."""
    text_sha = text_fingerprint(doc.text)
    twin = db.execute("SELECT id FROM documents WHERE text_fingerprint = ? AND duplicate_of IS NULL AND id < ? "
                      "ORDER BY id LIMIT 1", [text_sha, doc_id or 2**63 - 1]).fetchone()
    row = {
        "sha256": doc.sha256, "source": doc.source, "format": doc.format, **_extracted_columns(doc),
        "text_chars": len(doc.text), "text": doc.text, "text_fingerprint": text_sha,
        "duplicate_of": twin[0] if twin else None,
        "warnings": json.dumps(doc.warnings, ensure_ascii=False) if doc.warnings else None,
        "corrections": corrections, "ingested_at": _now(),
        "page_meta": json.dumps(doc.page_meta, ensure_ascii=False) if doc.page_meta else None,
    }
    if corrections:
        row.update(_corrected_columns(json.loads(corrections)))
    if doc_id is not None:
        row["id"] = doc_id
        # Reposts of a replaced document follow it (or let go if its text no longer matches).
        db.execute("UPDATE documents SET duplicate_of = CASE WHEN text_fingerprint = ? THEN ? END "
                   "WHERE duplicate_of = ?", [text_sha, twin[0] if twin else doc_id, doc_id])
    # Plain SQL: sqlite-utils' insert reads sqlite_master three times a call (a tenth of storing).
    doc_id = db.conn.execute(f"INSERT INTO documents ({', '.join(f'[{name}]' for name in row)}) "
                             f"VALUES ({', '.join('?' * len(row))})", list(row.values())).lastrowid
    _insert_findings(db, doc_id, doc)
    return doc_id


def _extracted_columns(doc: Document) -> dict:
    """The document columns that extraction fills (hand corrections may override them)."""
    region = doc.region
    return {"title": doc.title, "date": doc.date, "issuer": doc.issuer, "doc_type": doc.doc_type,
            "balance_stage": doc.balance_stage, "region_code": region.code, "province": region.province,
            "city": region.city, "county": region.county, "region_level": region.level,
            "mentioned_as": region.mentioned_as}


def _insert_findings(db, doc_id: int, doc: Document) -> None:
    # Plain executemany: sqlite-utils' insert_all inspects every value of every row, which
    # was a third of a bulk load's storing time for a report's few dozen figures.
    db.conn.executemany(_FIGURES_INSERT, [(doc_id, *(getattr(f, name) for name in _FIGURE_FIELDS))
                                          for f in doc.figures])
    db.conn.executemany(_MEASURES_INSERT, [
        (doc_id, m.measure, m.score, json.dumps([vars(e) for e in m.evidence], ensure_ascii=False),
         doc.measure_model) for m in doc.measures])


def _delete_findings(db, doc_id: int) -> None:
    for table in ("figures", "measures"):
        db.execute(f"DELETE FROM {table} WHERE document_id = ?", [doc_id])


def update_extraction(db: sqlite_utils.Database, doc_id: int, doc: Document) -> None:
    """Replace what extraction found for a stored document (metadata, region, figures,
    measures) in one transaction; its text, search row, repost link and hand corrections stay."""
    with write_transaction(db):
        (corrections,) = db.execute("SELECT corrections FROM documents WHERE id = ?", [doc_id]).fetchone()
        columns = _extracted_columns(doc)
        if corrections:
            columns.update(_corrected_columns(json.loads(corrections)))
        db["documents"].update(doc_id, columns)
        _delete_findings(db, doc_id)
        _insert_findings(db, doc_id, doc)


def _replace_document(db, doc_id: int, doc: Document, tokens: str) -> int:
    """Store `doc` again under the id it had, keeping its hand corrections."""
    text, corrections = db.execute("SELECT text, corrections FROM documents WHERE id = ?", [doc_id]).fetchone()
    _delete_findings(db, doc_id)
    db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
    _insert_rows(db, doc, corrections, doc_id)
    old_tokens = index_tokens(text)
    # The index is contentless: a delete must repeat the indexed tokens exactly. Unchanged
    # text keeps its search row, so a tokenizer changed since cannot corrupt the index here.
    if old_tokens != tokens:
        db.execute("INSERT INTO documents_fts(documents_fts, rowid, tokens) VALUES ('delete', ?, ?)",
                   [doc_id, old_tokens])
        db.execute(_FTS_INSERT, [doc_id, tokens])
    return doc_id


CORRECTABLE = ("region", "doc_type", "balance_stage", "date", "title", "issuer")


class DocumentNotFound(Exception):
    """No stored document matches the source or sha256 given."""


def correct_document(db: sqlite_utils.Database, key: str, changes: dict[str, str]) -> dict:
    """Fix fields of a document by hand (by source path or sha256, or a unique sha prefix).

    The correction is recorded in `corrections` and re-applied whenever the document is
    extracted again, so it survives `--force` and `reprocess`."""
    rows = db.execute("SELECT id, corrections FROM documents WHERE source = ? OR sha256 LIKE ? || '%'",
                      [key, key.lower() if len(key) >= 8 else "\0"]).fetchall()
    if len(rows) != 1:
        raise DocumentNotFound(f"{'no' if not rows else 'more than one'} document matches {key!r}")
    doc_id, existing = rows[0]
    corrections = {**json.loads(existing or "{}"), **changes, "corrected_at": _now()}
    with write_transaction(db):
        db["documents"].update(doc_id, {**_corrected_columns(corrections), "corrections": json.dumps(
            corrections, ensure_ascii=False)})
    return db["documents"].get(doc_id)


def _corrected_columns(corrections: dict) -> dict:
    """The document columns a set of corrections stands for."""
    columns = {field: corrections[field] for field in CORRECTABLE if field in corrections and field != "region"}
    if "region" in corrections:
        from junheng.regions import gazetteer

        unit = gazetteer().by_code[corrections["region"]]
        region = unit.region()
        columns.update({"region_code": region.code, "province": region.province, "city": region.city,
                        "county": region.county, "region_level": region.level})
    return columns


def region_record(row) -> dict:
    """The CONTRACT's `region` object from a documents row (its region_* columns); `mentioned_as`
    when the row has it."""
    record = {"province": row["province"], "city": row["city"], "county": row["county"],
              "code": row["region_code"], "level": row["region_level"]}
    if "mentioned_as" in row:
        record["mentioned_as"] = row["mentioned_as"]
    return record


def record_error(db: sqlite_utils.Database, source: str, reason: str, sha: str | None = None) -> None:
    with write_transaction(db):
        db["ingest_errors"].insert({"source": source, "sha256": sha, "reason": reason, "at": _now()})

"""The SQLite database: schema, one transaction per document, and reads for the commands.

Tables follow CONTRACT.md (`documents`, `figures`, `measures`, `regions`, `ingest_errors`)
plus `junheng_meta` (schema version) and `documents_fts`, a contentless FTS5 index of the
text's search tokens (see `search.index_tokens`), whose rowid is the document id.
"""
from __future__ import annotations

import json
import os
import re
import time
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from hashlib import sha256
from pathlib import Path

import sqlite_utils

from .document import Document

SCHEMA_VERSION = 1
_FINGERPRINT_CHARS = re.compile(r"[\u3400-\u9fff0-9]+")
BUSY_TIMEOUT_MS = 60_000


class DatabaseMissing(Exception):
    """A read command was pointed at a database that does not exist."""


class SchemaTooNew(Exception):
    """The database was written by a newer junheng."""


def default_path() -> str:
    return os.environ.get("JUNHENG_DB") or "junheng.db"


def open_db(path: str | Path, create: bool = False) -> sqlite_utils.Database:
    path = Path(path)
    if not create and not path.exists():
        raise DatabaseMissing(f"no database at {path}: run `junheng ingest PATH --db {path}` first")
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if db.journal_mode != "wal":
        db.enable_wal()
    _ensure_schema(db)
    return db


def _ensure_schema(db: sqlite_utils.Database) -> None:
    version = _schema_version(db)
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(f"database schema {version} is newer than this junheng ({SCHEMA_VERSION}): upgrade junheng")
    if version == SCHEMA_VERSION:
        return
    with write_transaction(db):
        if _schema_version(db) < SCHEMA_VERSION:  # another process may have just created it
            _create_tables(db)
            db["junheng_meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")


@contextmanager
def write_transaction(db: sqlite_utils.Database):
    """One IMMEDIATE transaction: it takes the write lock up front (waiting up to the busy
    timeout), so two loaders queue instead of failing halfway. sqlite-utils calls inside it
    nest as savepoints."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def _schema_version(db: sqlite_utils.Database) -> int:
    if "junheng_meta" not in db.table_names():
        return 0
    row = db.execute("SELECT value FROM junheng_meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _create_tables(db: sqlite_utils.Database) -> None:
    db["junheng_meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["regions"].create({"code": str, "name": str, "level": str, "parent_code": str,
                          "province_code": str, "aliases": str}, pk="code", if_not_exists=True)
    db["documents"].create({
        "id": int, "sha256": str, "source": str, "format": str, "title": str, "date": str,
        "issuer": str, "doc_type": str, "balance_stage": str, "region_code": str, "province": str,
        "city": str, "county": str, "region_level": str, "mentioned_as": str, "text_chars": int,
        "text": str, "text_fingerprint": str, "duplicate_of": int, "warnings": str, "corrections": str,
        "ingested_at": str,
    }, pk="id", foreign_keys=[("duplicate_of", "documents", "id")], if_not_exists=True)
    db["figures"].create({
        "id": int, "document_id": int, "metric": str, "value": float, "previous": float, "unit": str,
        "level": str, "year": int, "status": str, "qualifier": str, "text": str, "start": int, "end": int,
    }, pk="id", foreign_keys=[("document_id", "documents", "id")], if_not_exists=True)
    db["measures"].create({
        "id": int, "document_id": int, "measure": str, "score": float, "evidence": str, "model_version": str,
    }, pk="id", foreign_keys=[("document_id", "documents", "id")], if_not_exists=True)
    db["ingest_errors"].create({"id": int, "source": str, "sha256": str, "reason": str, "at": str},
                               pk="id", if_not_exists=True)
    for table, columns in [("documents", ["sha256"]), ("documents", ["text_fingerprint"]),
                           ("documents", ["region_code"]), ("figures", ["document_id"]),
                           ("figures", ["metric"]), ("measures", ["document_id"]), ("measures", ["measure"])]:
        db[table].create_index(columns, unique=columns == ["sha256"], if_not_exists=True)
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(tokens, content='', tokenize='unicode61')")
    _fill_regions(db)


def _fill_regions(db: sqlite_utils.Database) -> None:
    from .regions import gazetteer

    rows = ({"code": unit.code, "name": unit.name, "level": unit.level, "parent_code": unit.parent_code,
             "province_code": unit.province_code, "aliases": ";".join(unit.aliases)}
            for unit in gazetteer().by_code.values())
    db["regions"].insert_all(rows, pk="code", replace=True)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def find_document_id(db: sqlite_utils.Database, sha: str) -> int | None:
    row = db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha]).fetchone()
    return row[0] if row else None


def save_document(db: sqlite_utils.Database, doc: Document, replace: bool = False) -> int:
    """Write a document with its figures, measures and search row in one transaction."""
    from .search import index_tokens

    tokens = index_tokens(doc.text)
    for attempt in range(5):
        try:
            with write_transaction(db):
                old_id = find_document_id(db, doc.sha256)
                corrections = None
                if old_id is not None:
                    if not replace:
                        return old_id
                    corrections = _delete_document(db, old_id)
                return _insert_document(db, doc, tokens, corrections)
        except sqlite_utils.db.sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 4:
                raise
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


def text_fingerprint(text: str) -> str:
    """Equal for a report and its repost: only the Chinese characters and digits count, so
    the other site's punctuation, spacing or a leftover line of layout do not split them."""
    return sha256("".join(_FINGERPRINT_CHARS.findall(text)).encode("utf-8")).hexdigest()


def _insert_document(db, doc: Document, tokens: str, corrections: str | None) -> int:
    text_sha = text_fingerprint(doc.text)
    twin = db.execute("SELECT id FROM documents WHERE text_fingerprint = ? AND duplicate_of IS NULL LIMIT 1",
                      [text_sha]).fetchone()
    region = doc.region
    row = {
        "sha256": doc.sha256, "source": doc.source, "format": doc.format, "title": doc.title,
        "date": doc.date, "issuer": doc.issuer, "doc_type": doc.doc_type, "balance_stage": doc.balance_stage,
        "region_code": region.code, "province": region.province, "city": region.city,
        "county": region.county, "region_level": region.level, "mentioned_as": region.mentioned_as,
        "text_chars": len(doc.text), "text": doc.text, "text_fingerprint": text_sha,
        "duplicate_of": twin[0] if twin else None,
        "warnings": json.dumps(doc.warnings, ensure_ascii=False) if doc.warnings else None,
        "corrections": corrections, "ingested_at": _now(),
    }
    if corrections:
        row.update(_corrected_columns(json.loads(corrections)))
    doc_id = db["documents"].insert(row).last_pk
    db["figures"].insert_all({"document_id": doc_id, **asdict(f)} for f in doc.figures)
    db["measures"].insert_all(
        {"document_id": doc_id, "measure": m.measure, "score": m.score,
         "evidence": json.dumps([asdict(e) for e in m.evidence], ensure_ascii=False),
         "model_version": getattr(m, "model_version", None)} for m in doc.measures)
    db.execute("INSERT INTO documents_fts(rowid, tokens) VALUES (?, ?)", [doc_id, tokens])
    return doc_id


def _delete_document(db, doc_id: int) -> str | None:
    """Remove a document and everything hanging off it; return its hand corrections."""
    from .search import index_tokens

    text, corrections = db.execute("SELECT text, corrections FROM documents WHERE id = ?", [doc_id]).fetchone()
    db.execute("INSERT INTO documents_fts(documents_fts, rowid, tokens) VALUES ('delete', ?, ?)",
               [doc_id, index_tokens(text)])
    for table in ("figures", "measures"):
        db.execute(f"DELETE FROM {table} WHERE document_id = ?", [doc_id])
    db.execute("UPDATE documents SET duplicate_of = NULL WHERE duplicate_of = ?", [doc_id])
    db.execute("DELETE FROM documents WHERE id = ?", [doc_id])
    return corrections


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
        from .regions import gazetteer

        unit = gazetteer().by_code[corrections["region"]]
        region = unit.region()
        columns.update({"region_code": region.code, "province": region.province, "city": region.city,
                        "county": region.county, "region_level": region.level})
    return columns


def record_error(db: sqlite_utils.Database, source: str, reason: str, sha: str | None = None) -> None:
    with write_transaction(db):
        db["ingest_errors"].insert({"source": source, "sha256": sha, "reason": reason, "at": _now()})

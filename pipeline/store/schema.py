"""The schema: the tables and indexes of the current version and the search index's refill.

Below both `database` (which opens and writes) and `migrations` (which upgrades older files).
"""
from __future__ import annotations

import re
from hashlib import sha256

import sqlite_utils

from junheng.store.tokens import index_tokens

SCHEMA_VERSION = 5  # see migrations.py: every version has its step there
_FTS_CREATE = "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(tokens, content='', tokenize='unicode61')"
_FINGERPRINT_CHARS = re.compile(r"[\u3400-\u9fff0-9]+")
_FTS_INSERT = "INSERT INTO documents_fts(rowid, tokens) VALUES (?, ?)"


def schema_version(db: sqlite_utils.Database) -> int:
    if "junheng_meta" not in db.table_names():
        return 0
    row = db.execute("SELECT value FROM junheng_meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


# The columns of each table: `create_tables` makes them, and a migration adds those an older
# database lacks.
COLUMNS = {
    "documents": {
        "id": int, "sha256": str, "source": str, "format": str, "title": str, "date": str,
        "issuer": str, "doc_type": str, "balance_stage": str, "region_code": str, "province": str,
        "city": str, "county": str, "region_level": str, "mentioned_as": str, "text_chars": int,
        "text": str, "text_fingerprint": str, "duplicate_of": int, "warnings": str, "corrections": str,
        "ingested_at": str, "page_meta": str,
    },
    "figures": {
        "id": int, "document_id": int, "metric": str, "value": float, "previous": float, "unit": str,
        "level": str, "year": int, "status": str, "qualifier": str, "text": str, "start": int, "end": int,
    },
    "measures": {
        "id": int, "document_id": int, "measure": str, "score": float, "evidence": str, "model_version": str,
    },
    "ingest_errors": {"id": int, "source": str, "sha256": str, "reason": str, "at": str},
}
# What a filtered search reads of every document (search.Filters.sql), indexed together so
# that it is read without the row, in which duplicate_of sits after the long text. Led by
# region_code, the index also serves lookups by region.
SEARCH_FILTER_COLUMNS = ["region_code", "date", "doc_type", "duplicate_of"]
_FOREIGN_KEYS = {"documents": [("duplicate_of", "documents", "id")], "figures": [("document_id", "documents", "id")],
                 "measures": [("document_id", "documents", "id")]}


def create_tables(db: sqlite_utils.Database) -> None:
    """The current schema; tables that exist already are left as they are."""
    db["junheng_meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["regions"].create({"code": str, "name": str, "level": str, "parent_code": str,
                          "province_code": str, "aliases": str}, pk="code", if_not_exists=True)
    for table, columns in COLUMNS.items():
        db[table].create(columns, pk="id", foreign_keys=_FOREIGN_KEYS.get(table), if_not_exists=True)
    for table, columns in [("documents", ["sha256"]), ("documents", ["text_fingerprint"]),
                           ("documents", SEARCH_FILTER_COLUMNS),
                           ("figures", ["document_id"]), ("figures", ["metric"]),
                           ("measures", ["document_id"]), ("measures", ["measure"])]:
        db[table].create_index(columns, unique=columns == ["sha256"], if_not_exists=True)
    db.execute(_FTS_CREATE)
    _fill_regions(db)


def rebuild_search_index(db: sqlite_utils.Database) -> None:
    """Index every document anew (the index is contentless: stale rows cannot be deleted
    one by one without their original tokens, so it is dropped and refilled)."""
    db.execute("DROP TABLE IF EXISTS documents_fts")
    db.execute(_FTS_CREATE)
    rows = db.execute("SELECT id, text FROM documents").fetchall()
    db.conn.executemany(_FTS_INSERT, [(doc_id, index_tokens(text or "")) for doc_id, text in rows])


def _fill_regions(db: sqlite_utils.Database) -> None:
    from junheng.regions import gazetteer

    rows = ({"code": unit.code, "name": unit.name, "level": unit.level, "parent_code": unit.parent_code,
             "province_code": unit.province_code, "aliases": ";".join(unit.aliases)}
            for unit in gazetteer().by_code.values())
    db["regions"].insert_all(rows, pk="code", replace=True)


def text_fingerprint(text: str) -> str:
    """Equal for a report and its repost: only the Chinese characters and digits count, so
    the other site's punctuation, spacing or a leftover line of layout do not split them."""
    return sha256("".join(_FINGERPRINT_CHARS.findall(text)).encode("utf-8")).hexdigest()

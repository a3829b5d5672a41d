"""Schema migrations: one step per schema version, applied in order by `database.open_db`.

`migrate` runs inside the transaction that `database._ensure_schema` opens, so an upgrade is
applied whole or not at all. Steps add (tables, columns, indexes, index rows), fill in what
an older database could not hold, and at most drop an index they replace, so nothing stored
is lost. Each step may assume the steps
before it ran; a new version adds its step at the end of MIGRATIONS and bumps
`schema.SCHEMA_VERSION`.
"""
from __future__ import annotations

import sqlite_utils

from junheng.store import schema


def migrate(db: sqlite_utils.Database, version: int) -> None:
    """Bring a database of schema `version` up to `schema.SCHEMA_VERSION`."""
    for target, step in MIGRATIONS:
        if version < target:
            step(db)


def _complete_base_schema(db: sqlite_utils.Database) -> None:
    """To version 1. Version 0 is an empty file, or a database written before the schema was
    versioned: documents, figures and measures with fewer columns, no search index."""
    existing = set(db.table_names())
    add_missing_columns(db)  # before create_tables, whose indexes need the new columns
    schema.create_tables(db)
    if "documents" in existing:
        db.execute("UPDATE documents SET text_chars = length(text) WHERE text_chars IS NULL")
        _link_reposts(db)
        if "documents_fts" not in existing:
            schema.rebuild_search_index(db)


def _keep_page_hints(db: sqlite_utils.Database) -> None:
    """To version 2: `documents.page_meta`, the hints read from the file (HTML title, site
    date and source), so that `reprocess` sees what `ingest` saw."""
    add_missing_columns(db)


def _index_digits_and_letters_as_bigrams(db: sqlite_utils.Database) -> None:
    """To version 3: digits and Latin letters are indexed as character bigrams like Chinese,
    so that 20 finds 2019 (a substring); the index is rebuilt from the stored text."""
    if db.execute("SELECT count(*) FROM documents").fetchone()[0]:
        schema.rebuild_search_index(db)


def _index_search_filters(db: sqlite_utils.Database) -> None:
    """To version 4: an index on the columns a filtered search reads of every document
    (`schema.SEARCH_FILTER_COLUMNS`), so that `--region` or `--year` reads no text. It
    replaces the index on region_code alone, which it begins with."""
    db["documents"].create_index(schema.SEARCH_FILTER_COLUMNS, if_not_exists=True)
    db.execute("DROP INDEX IF EXISTS idx_documents_region_code")


def _index_simplified_readings(db: sqlite_utils.Database) -> None:
    """To version 5: documents are indexed in their simplified reading (traditional.py), so
    the index is rebuilt if a stored text reads otherwise; a replaced document's old tokens
    must be the ones its search row holds."""
    from junheng.text.traditional import reading

    texts = (text for (text,) in db.execute("SELECT text FROM documents"))
    if any(not reading(text or "").plain for text in texts):
        schema.rebuild_search_index(db)


MIGRATIONS = [(1, _complete_base_schema), (2, _keep_page_hints), (3, _index_digits_and_letters_as_bigrams),
              (4, _index_search_filters), (5, _index_simplified_readings)]


def add_missing_columns(db: sqlite_utils.Database) -> None:
    for table, columns in schema.COLUMNS.items():
        if not db[table].exists():
            continue
        present = db[table].columns_dict
        for name, kind in columns.items():
            if name not in present:
                db[table].add_column(name, kind)


def _link_reposts(db: sqlite_utils.Database) -> None:
    """Fingerprint documents stored without one, marking reposts as `ingest` does: the first
    copy (lowest id) is the original."""
    rows = db.execute("SELECT id, text FROM documents WHERE text_fingerprint IS NULL ORDER BY id").fetchall()
    for doc_id, text in rows:
        fingerprint = schema.text_fingerprint(text or "")
        original = db.execute("SELECT id FROM documents WHERE text_fingerprint = ? AND duplicate_of IS NULL "
                              "AND id < ? ORDER BY id LIMIT 1", [fingerprint, doc_id]).fetchone()
        db.execute("UPDATE documents SET text_fingerprint = ?, duplicate_of = ? WHERE id = ?",
                   [fingerprint, original[0] if original else None, doc_id])

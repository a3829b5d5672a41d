"""`junheng check`: is a database sound? Each check says what is wrong and what to do, and
`repair` fixes what can be fixed without risk (never in a file that fails its integrity check).

The checks read the database as it is, without migrating it first, so an old schema is
reported rather than silently upgraded.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from junheng.store import database as store
from junheng.store import schema

# What to do, with {path} standing for the database's path.
_SALVAGE = ("restore a backup, or salvage what is readable with `sqlite3 {path} .recover | sqlite3 new.db` "
            "and check new.db")
_REPAIR = "run `junheng check --repair --db {path}`"


@dataclass
class Finding:
    check: str
    ok: bool
    detail: str
    fix: str | None = None


def check_database(path: str | Path, repair: bool = False) -> list[Finding]:
    """One finding per check; with `repair`, the findings after repairing what can be."""
    path = Path(path)
    if not path.exists():
        raise store.DatabaseMissing(f"no database at {path}")
    findings = _run_checks(path)
    broken = {finding.check for finding in findings if not finding.ok}
    if not repair or not broken or "integrity" in broken or not _repairable(path):
        return findings
    done = _repair(path, broken)
    return [Finding(f.check, f.ok, f"repaired: {done[f.check]}" if f.ok and f.check in done else f.detail, f.fix)
            for f in _run_checks(path)]


def _run_checks(path: Path) -> list[Finding]:
    """Each check returns None when all is well, else (what is wrong, what to do)."""
    try:
        db = sqlite_utils.Database(sqlite3.connect(path, timeout=store.BUSY_TIMEOUT_MS / 1000))
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        return [Finding("integrity", False, f"not a readable SQLite database ({exc})",
                        "restore a backup, or re-ingest the reports into a new database")]
    findings = []
    for name, check in [("integrity", _integrity), ("schema", _schema), ("orphan rows", _orphans),
                        ("repost links", _links), ("search index", _search_index)]:
        try:
            problem = check(db)
        except sqlite3.DatabaseError as exc:
            problem = ((f"the file is damaged ({exc})", _SALVAGE) if name == "integrity"
                       else (f"could not be checked ({exc})", _REPAIR))
        if problem:
            detail, fix = problem
            findings.append(Finding(name, False, detail, fix.replace("{path}", str(path))))
        else:
            findings.append(Finding(name, True, "ok"))
    db.conn.close()
    return findings


def _integrity(db) -> tuple[str, str] | None:
    messages = [row[0] for row in db.execute("PRAGMA integrity_check")]
    if messages == ["ok"]:
        return None
    return "the file is damaged: " + "; ".join(messages[:3]), _SALVAGE


def _schema(db) -> tuple[str, str] | None:
    if "documents" not in db.table_names():
        return "not a junheng database (no documents table)", "point --db at a database made by `junheng ingest`"
    version = schema.schema_version(db)
    if version > schema.SCHEMA_VERSION:
        return (f"schema version {version} is newer than this junheng's ({schema.SCHEMA_VERSION})",
                "upgrade junheng")
    if version < schema.SCHEMA_VERSION:
        return (f"schema version {version} is older than this junheng's ({schema.SCHEMA_VERSION})",
                f"{_REPAIR}, or any command that writes: the upgrade keeps all data")
    return None


def _orphans(db) -> tuple[str, str] | None:
    counts = {table: db.execute(f"SELECT count(*) FROM {table} t WHERE NOT EXISTS "
                                f"(SELECT 1 FROM documents d WHERE d.id = t.document_id)").fetchone()[0]
              for table in ("figures", "measures")}
    if not any(counts.values()):
        return None
    return (" and ".join(f"{n} {table} rows" for table, n in counts.items() if n) + " belong to no document",
            f"{_REPAIR} to delete them")


def _links(db) -> tuple[str, str] | None:
    dangling = db.execute("SELECT count(*) FROM documents d WHERE duplicate_of IS NOT NULL AND NOT EXISTS "
                          "(SELECT 1 FROM documents o WHERE o.id = d.duplicate_of)").fetchone()[0]
    if not dangling:
        return None
    return (f"{dangling} documents are marked as reposts of a document that does not exist",
            f"{_REPAIR} to count them as originals again")


def _search_index(db) -> tuple[str, str] | None:
    fix = f"{_REPAIR} to rebuild the search index"
    if "documents_fts" not in db.table_names():
        return "there is no search index", fix
    try:
        db.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
    except sqlite3.DatabaseError as exc:
        return f"the search index is damaged ({exc})", fix
    finally:
        db.conn.rollback()
    missing = db.execute("SELECT count(*) FROM documents WHERE id NOT IN (SELECT rowid FROM documents_fts)").fetchone()[0]
    stale = db.execute("SELECT count(*) FROM (SELECT rowid AS id FROM documents_fts) "
                       "WHERE id NOT IN (SELECT id FROM documents)").fetchone()[0]
    if not missing and not stale:
        return None
    parts = [f"{missing} documents have no search row" if missing else "",
             f"{stale} search rows have no document" if stale else ""]
    return "; ".join(part for part in parts if part), fix


def _repairable(path: Path) -> bool:
    """A junheng database this junheng can write: not another program's, not a newer one."""
    db = sqlite_utils.Database(sqlite3.connect(path))
    try:
        return "documents" in db.table_names() and schema.schema_version(db) <= schema.SCHEMA_VERSION
    finally:
        db.conn.close()


def _repair(path: Path, broken: set[str]) -> dict[str, str]:
    """Fix the broken checks that can be fixed; returns {check: what was done}."""
    db = store.open_db(path)  # migrates an older schema, whole or not at all
    done = {"schema": f"migrated to schema version {schema.SCHEMA_VERSION}"} if "schema" in broken else {}
    with store.write_transaction(db):
        if "orphan rows" in broken:
            deleted = sum(db.execute(f"DELETE FROM {table} WHERE NOT EXISTS (SELECT 1 FROM documents d "
                                     f"WHERE d.id = {table}.document_id)").rowcount for table in ("figures", "measures"))
            done["orphan rows"] = f"deleted {deleted} rows that belonged to no document"
        if "repost links" in broken:
            db.execute("UPDATE documents SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL AND "
                       "duplicate_of NOT IN (SELECT id FROM documents)")
            done["repost links"] = "reposts of missing documents count as originals again"
        if "search index" in broken:
            schema.rebuild_search_index(db)
            done["search index"] = "rebuilt the search index"
    db.conn.close()
    return done

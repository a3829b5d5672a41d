"""Bulk loads write extracted documents a batch per transaction, each document whole."""
import sqlite3

import pytest

from conftest import ROOT
from junheng import bulk
from junheng.store import database as store

REPORTS = sorted(str(path) for path in (ROOT / "corpus" / "renderings" / "txt").glob("*.txt"))[:4]


def _stored(path) -> dict[str, int]:
    """source → figure count, as another connection sees the committed database."""
    with sqlite3.connect(path) as connection:
        return dict(connection.execute(
            "SELECT d.source, (SELECT COUNT(*) FROM figures f WHERE f.document_id = d.id) FROM documents d"))


def test_a_document_that_cannot_be_stored_rolls_back_alone(tmp_path, monkeypatch):
    db = store.open_db(tmp_path / "b.db", create=True)
    real_insert = store._insert_findings

    def failing_insert(db_, doc_id, doc):
        real_insert(db_, doc_id, doc)  # its rows are written, then it fails: they must go
        if doc.source == REPORTS[1]:
            raise ValueError("cannot store this one")

    monkeypatch.setattr(store, "_insert_findings", failing_insert)
    summary = bulk.load(db, REPORTS)
    assert summary.added == 3 and [source for source, _ in summary.failed] == [REPORTS[1]]
    stored = _stored(tmp_path / "b.db")
    assert sorted(stored) == sorted(REPORTS[:1] + REPORTS[2:]) and all(stored.values())
    # The batch's search rows are written together at its end: one per stored document.
    search_ids = [row[0] for row in db.execute("SELECT rowid FROM documents_fts ORDER BY rowid")]
    assert search_ids == [row[0] for row in db.execute("SELECT id FROM documents ORDER BY id")]
    assert db.execute("SELECT COUNT(*) FROM figures WHERE document_id NOT IN (SELECT id FROM documents)").fetchone()[0] == 0


def test_the_write_lock_is_free_while_files_are_extracted(tmp_path, monkeypatch):
    path = tmp_path / "b.db"
    db = store.open_db(path, create=True)
    real_extract, lock_free = bulk._extract, []

    def extract_and_probe(source, data):
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            lock_free.append(True)
        except sqlite3.OperationalError:
            lock_free.append(False)
        finally:
            probe.close()
        return real_extract(source, data)

    monkeypatch.setattr(bulk, "_extract", extract_and_probe)
    assert bulk.load(db, REPORTS).added == len(REPORTS)
    assert lock_free == [True] * len(REPORTS)


@pytest.mark.parametrize("error, kept", [(KeyboardInterrupt, 2), (sqlite3.OperationalError, 0)])
def test_an_interrupted_load_keeps_the_documents_extracted_unless_the_database_failed(
        tmp_path, monkeypatch, error, kept):
    db = store.open_db(tmp_path / "b.db", create=True)
    real_extract = bulk._extract

    def extract_or_stop(source, data):
        if source == REPORTS[2]:
            raise error("stopped")
        return real_extract(source, data)

    monkeypatch.setattr(bulk, "_extract", extract_or_stop)
    with pytest.raises(error):
        bulk.load(db, REPORTS)
    assert sorted(_stored(tmp_path / "b.db")) == sorted(REPORTS[:kept])
    assert not db.conn.in_transaction


def test_a_failing_savepoint_inside_a_transaction_rolls_back_alone(tmp_path):
    db = store.open_db(tmp_path / "b.db", create=True)
    with store.write_transaction(db):
        db.execute("INSERT INTO ingest_errors (source, reason) VALUES ('kept', 'x')")
        with pytest.raises(ValueError):
            with store.write_transaction(db):
                db.execute("INSERT INTO ingest_errors (source, reason) VALUES ('dropped', 'x')")
                raise ValueError("this one fails")
    assert [row[0] for row in db.execute("SELECT source FROM ingest_errors")] == ["kept"]

"""store.Batch: a bulk load's documents share transactions, each document stays whole."""
import sqlite3
from contextlib import nullcontext
from hashlib import sha256

import pytest

from pipeline import store
from pipeline.document import Document, Figure


def _doc(number: int) -> Document:
    text = f"第{number}号报告：全县大班额由53个减少到15个。"
    return Document(source=f"doc{number}.txt", sha256=sha256(text.encode()).hexdigest(), text=text, format="txt",
                    figures=[Figure("large_class_count", 15.0, "个", "15个", 18, 21, previous=53.0)])


def _stored(path) -> dict[str, int]:
    """source → figure count, as another connection sees the committed database."""
    with sqlite3.connect(path) as connection:
        return dict(connection.execute(
            "SELECT d.source, (SELECT COUNT(*) FROM figures f WHERE f.document_id = d.id) FROM documents d"))


def test_a_document_that_fails_rolls_back_alone(tmp_path, monkeypatch):
    db = store.open_db(tmp_path / "b.db", create=True)
    real_insert = store._insert_findings

    def failing_insert(db_, doc_id, doc):
        real_insert(db_, doc_id, doc)
        if doc.source == "doc2.txt":
            raise ValueError("cannot store this one")

    monkeypatch.setattr(store, "_insert_findings", failing_insert)
    with store.Batch(db) as batch:
        for number in range(1, 4):
            with batch.document():
                with pytest.raises(ValueError) if number == 2 else nullcontext():
                    store.write_document(db, _doc(number))
    assert _stored(tmp_path / "b.db") == {"doc1.txt": 1, "doc3.txt": 1}
    assert db.execute("SELECT COUNT(*) FROM documents_fts").fetchone()[0] == 2


def test_a_full_batch_is_committed_and_others_see_it(tmp_path):
    db = store.open_db(tmp_path / "b.db", create=True)
    with store.Batch(db, documents=2, seconds=60) as batch:
        for number in range(1, 4):
            with batch.document():
                store.write_document(db, _doc(number))
            committed = _stored(tmp_path / "b.db")
            assert len(committed) == (2 if number >= 2 else 0)
    assert len(_stored(tmp_path / "b.db")) == 3


@pytest.mark.parametrize("error, kept", [(KeyboardInterrupt, 3), (sqlite3.OperationalError, 2)])
def test_an_interrupted_batch_keeps_whole_documents_unless_the_database_failed(tmp_path, error, kept):
    db = store.open_db(tmp_path / "b.db", create=True)
    with pytest.raises(error):
        with store.Batch(db, documents=2, seconds=60) as batch:
            for number in range(1, 4):
                with batch.document():
                    store.write_document(db, _doc(number))
            raise error("stopped")
    assert len(_stored(tmp_path / "b.db")) == kept
    assert not db.conn.in_transaction

"""search_documents reads ranked candidates a page at a time: the pages must add up to the
plain "every match, best first, reposts and literal misses left out" answer."""
from hashlib import sha256

import pytest

from junheng.document import Document, MeasureHit, Region
from junheng.store.search import Filters, matches, parse_query, search_documents
from junheng.store.database import open_db, save_documents

COUNT = 130  # more than the first page of candidates (50) and the second (200 in all)


def _doc(number: int, text: str, date: str) -> Document:
    # Filters narrow differently: every 3rd is a plan, every 4th in 230523, every 6th has a measure.
    return Document(source=f"doc{number}.txt", sha256=sha256(f"{number}{text}".encode()).hexdigest(),
                    text=text, format="txt", date=date, doc_type="plan" if number % 3 == 0 else "work_summary",
                    region=Region(code="230523" if number % 4 == 0 else "410225"),
                    measures=[MeasureHit("teacher_rotation", 0.9)] if number % 6 == 0 else [])


def _documents() -> list[Document]:
    docs = []
    for number in range(COUNT):
        # Varying repetitions give varying bm25; every third has 集团化, every fifth is 2019.
        text = f"第{number}号。" + "推行县管校聘改革。" * (1 + number % 7) + "教师交流轮岗。" * (number % 5)
        if number % 3 == 0:
            text += "推进集团化办学。"
        docs.append(_doc(number, text, "2019-05-01" if number % 5 == 0 else "2021-05-01"))
    docs.append(_doc(COUNT, docs[0].text + " ", "2021-06-01"))  # a repost of doc 0: same characters
    return docs


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    db = open_db(tmp_path_factory.mktemp("ranking") / "ranking.db", create=True)
    assert save_documents(db, _documents(), batch_size=40) == COUNT + 1
    return db


def _expected(db, query_text: str, where: str = "1") -> list[int]:
    """Every match by the plain query: bm25 over all rows, then the literal check."""
    query = parse_query(query_text)
    rows = db.execute(
        "SELECT d.id, d.text FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
        f"WHERE documents_fts MATCH '\"县管 管校 校聘\"' AND d.duplicate_of IS NULL AND {where} "
        "ORDER BY bm25(documents_fts), d.id").fetchall()
    return [i for i, text in rows if matches(query, text)]


@pytest.mark.parametrize("query_text, filters, where", [
    ("县管校聘", Filters(), "1"),
    ("县管校聘 -集团化", Filters(), "1"),      # a third of the candidates fail the literal check
    ("县管校聘 -交流轮岗", Filters(), "1"),    # four fifths fail: several pages are read
    # A narrowing filter: bm25 ranks only the filtered documents.
    ("县管校聘", Filters(year=2019), "d.date LIKE '2019%'"),
    ("县管校聘", Filters(year=2021), "d.date LIKE '2021%'"),  # the repost is of 2021: still left out
    ("县管校聘 -交流轮岗", Filters(doc_type="plan"), "d.doc_type = 'plan'"),
    ("县管校聘", Filters(region_codes=["230523"], year=2019), "d.region_code = '230523' AND d.date LIKE '2019%'"),
    ("县管校聘", Filters(measure="teacher_rotation"), "d.id IN (SELECT document_id FROM measures)"),
])
def test_pages_add_up_to_every_match_best_first(db, query_text, filters, where):
    found = [r["id"] for r in search_documents(db, query_text, filters, limit=1000)]
    assert found == _expected(db, query_text, where) and found


@pytest.mark.parametrize("limit", [1, 20, 60])
def test_limit_takes_the_best(db, limit):
    found = [r["id"] for r in search_documents(db, "县管校聘 -交流轮岗", Filters(), limit=limit)]
    assert found == _expected(db, "县管校聘 -交流轮岗")[:limit]


def test_bulk_save_marks_reposts_and_skips_stored_files(db):
    repost = db.execute("SELECT duplicate_of FROM documents WHERE source = ?", [f"doc{COUNT}.txt"]).fetchone()[0]
    assert repost == db.execute("SELECT id FROM documents WHERE source = 'doc0.txt'").fetchone()[0]
    assert save_documents(db, _documents()[:10]) == 0

import json
import sqlite3

import pytest

from conftest import run


def _texts(db) -> dict[str, str]:
    return dict(sqlite3.connect(db).execute("SELECT source, text FROM documents"))


def test_figures_lists_every_stored_figure_with_its_document(corpus_db):
    result = run("figures", "--db", corpus_db, "--format", "json")
    rows = json.loads(result.output)
    stored = sqlite3.connect(corpus_db).execute(
        "SELECT count(*) FROM figures f JOIN documents d ON d.id = f.document_id WHERE d.duplicate_of IS NULL").fetchone()[0]
    assert result.exit_code == 0 and len(rows) == stored > 1000
    texts = _texts(corpus_db)
    for row in rows:
        assert set(row) >= {"source", "sha256", "title", "date", "region", "metric", "value", "unit", "level",
                            "year", "status", "qualifier", "text", "start", "end"}
        assert texts[row["source"]][row["start"]:row["end"]] == row["text"]


@pytest.mark.parametrize("args, check", [
    (["--metric", "large_class_count"], lambda row: row["metric"] == "large_class_count"),
    (["--level", "junior"], lambda row: row["level"] == "junior"),
    (["--status", "target"], lambda row: row["status"] == "target"),
    (["--region", "河南"], lambda row: row["region"]["province"] == "河南省"),
])
def test_figures_filters(corpus_db, args, check):
    rows = json.loads(run("figures", "--db", corpus_db, "--format", "json", *args).output)
    assert rows and all(check(row) for row in rows)


def test_figures_rejects_an_unknown_metric(corpus_db):
    result = run("figures", "--db", corpus_db, "--metric", "no_such_metric")
    assert result.exit_code == 2 and "no_such_metric" in result.output


def test_measures_counts_documents_and_regions_for_every_measure(corpus_db):
    rows = json.loads(run("measures", "--db", corpus_db, "--format", "json").output)
    assert len(rows) == 25
    by_id = {row["measure"]: row for row in rows}
    assert by_id["county_managed_teachers"]["documents"] >= 10
    assert all(row["regions"] <= row["documents"] for row in rows)


def test_search_by_measure_gives_evidence_sentences_from_the_text(corpus_db):
    result = run("search", "--measure", "county_managed_teachers", "--db", corpus_db, "--format", "json",
                 "--limit", "100")
    hits = json.loads(result.output)
    texts = _texts(corpus_db)
    assert len(hits) >= 10
    for hit in hits:
        assert hit["evidence"] and hit["snippet"] == hit["evidence"][0]["text"]
        for evidence in hit["evidence"]:
            assert texts[hit["source"]][evidence["start"]:evidence["end"]] == evidence["text"]

"""`junheng check` finds what is wrong and `--repair` fixes it; older schemas are migrated
with their data; `junheng reprocess` re-extracts stored documents, keeping hand corrections."""
import json
import os
import sqlite3
from hashlib import sha256

import pytest

from conftest import CORPUS, run
from junheng import ingest
from junheng.text import clean
from junheng.store import migrations, schema
from junheng.store import database as store
from junheng.store.reprocess import tables_from_text
from junheng.store.search import Filters
from junheng.store.tokens import index_tokens

OLD_TEXT = "关于全县义务教育均衡发展的报告\n全县推行县管校聘改革，小学生师比为16.5:1。"
SMALL = ["hunan-liuyang-2018.pdf", "guangxi-rongshui-2017.docx", "henan-lankao-2023.html",
         "gansu-lanzhou-chengguan-2021.txt", "anhui-jinzhai-2017.html", "anhui-jinzhai-2017-repost.html"]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("small") / "small.db"
    result = run("ingest", *[CORPUS / "reports" / name for name in SMALL], "--db", path, "--workers", "1")
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def db_copy(small_db, tmp_path):
    path = tmp_path / "copy.db"
    with sqlite3.connect(small_db) as source, sqlite3.connect(path) as target:
        source.backup(target)
    return path


def _sql(path, *statements):
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(*statement) if isinstance(statement, tuple) else connection.execute(statement)
    connection.commit()


def _findings(result) -> dict:
    return {row["check"]: row for row in map(json.loads, result.stdout.splitlines())}


def test_a_sound_database_passes(db_copy):
    result = run("check", "--db", db_copy, "--format", "jsonl")
    assert result.exit_code == 0 and "database OK" in result.stderr
    assert all(finding["ok"] for finding in _findings(result).values())


def _drop_search_row(path):
    text = sqlite3.connect(path).execute("SELECT text FROM documents WHERE id = 2").fetchone()[0]
    _sql(path, ("INSERT INTO documents_fts(documents_fts, rowid, tokens) VALUES ('delete', 2, ?)", [index_tokens(text)]))


DAMAGE = {
    "orphan figure": (lambda p: _sql(p, "INSERT INTO figures(document_id, metric, value) VALUES (999, 'x', 1)"),
                      "orphan rows", "1 figures rows belong to no document"),
    "orphan measure": (lambda p: _sql(p, "INSERT INTO measures(document_id, measure, score) VALUES (999, 'x', 1)"),
                       "orphan rows", "1 measures rows belong to no document"),
    "missing search row": (_drop_search_row, "search index", "1 documents have no search row"),
    "stale search row": (lambda p: _sql(p, "INSERT INTO documents_fts(rowid, tokens) VALUES (999, 'x')"),
                         "search index", "1 search rows have no document"),
    "dangling repost link": (lambda p: _sql(p, "UPDATE documents SET duplicate_of = 999 WHERE id = 1"),
                             "repost links", "1 documents are marked as reposts"),
    "older schema": (lambda p: _sql(p, "UPDATE junheng_meta SET value = '1' WHERE key = 'schema_version'"),
                     "schema", "schema version 1 is older"),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_check_names_the_problem_and_repair_fixes_it(db_copy, damage):
    harm, check, detail = DAMAGE[damage]
    harm(db_copy)
    result = run("check", "--db", db_copy, "--format", "jsonl")
    assert result.exit_code == 1
    findings = _findings(result)
    assert [name for name, finding in findings.items() if not finding["ok"]] == [check]
    assert detail in findings[check]["detail"] and "junheng check --repair" in findings[check]["fix"]
    assert f"{check}: {detail}" in result.stderr
    repaired = run("check", "--repair", "--db", db_copy, "--format", "jsonl")
    assert repaired.exit_code == 0, repaired.output
    assert _findings(repaired)[check]["detail"].startswith("repaired: ")
    assert run("check", "--db", db_copy).exit_code == 0
    assert run("search", "金寨", "--db", db_copy, "--format", "json").output.count('"source"') == 1


def test_a_newer_schema_is_reported_and_left_alone(db_copy):
    _sql(db_copy, "UPDATE junheng_meta SET value = '99' WHERE key = 'schema_version'")
    result = run("check", "--repair", "--db", db_copy, "--format", "jsonl")
    assert result.exit_code == 1 and _findings(result)["schema"]["fix"] == "upgrade junheng"
    assert run("search", "均衡", "--db", db_copy).exit_code == 1  # SchemaTooNew: a plain error


def test_a_damaged_file_is_reported_and_never_written(db_copy):
    with open(db_copy, "r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(os.urandom(4096 * 4))
    before = db_copy.read_bytes()
    result = run("check", "--repair", "--db", db_copy, "--format", "jsonl")
    assert result.exit_code == 1 and not _findings(result)["integrity"]["ok"]
    assert ".recover" in _findings(result)["integrity"]["fix"]
    assert db_copy.read_bytes() == before


@pytest.mark.parametrize("content, code", [(b"not a database at all" * 100, 1), (None, 2)])
def test_check_on_a_non_database_or_no_file(tmp_path, content, code):
    path = tmp_path / "x.db"
    if content:
        path.write_bytes(content)
    assert run("check", "--db", path).exit_code == code


def test_another_programs_database_is_not_touched(tmp_path):
    path = tmp_path / "other.db"
    _sql(path, "CREATE TABLE notes (body TEXT)")
    result = run("check", "--repair", "--db", path, "--format", "jsonl")
    assert result.exit_code == 1 and "not a junheng database" in _findings(result)["schema"]["detail"]
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]


def _version_0_database(path):
    """A database as junheng wrote it before schemas were versioned: no junheng_meta, no
    search index, no fingerprints, repost links, warnings, corrections or page hints."""
    _sql(path, "CREATE TABLE documents (id INTEGER PRIMARY KEY, sha256 TEXT, source TEXT, format TEXT, title TEXT, "
               "date TEXT, issuer TEXT, doc_type TEXT, balance_stage TEXT, region_code TEXT, province TEXT, "
               "city TEXT, county TEXT, region_level TEXT, mentioned_as TEXT, text TEXT, ingested_at TEXT)",
         "CREATE TABLE figures (id INTEGER PRIMARY KEY, document_id INTEGER, metric TEXT, value REAL, unit TEXT, "
         "text TEXT, start INTEGER, end INTEGER)",
         "CREATE TABLE measures (id INTEGER PRIMARY KEY, document_id INTEGER, measure TEXT, score REAL, evidence TEXT)",
         "CREATE TABLE ingest_errors (id INTEGER PRIMARY KEY, source TEXT, reason TEXT, at TEXT)",
         *[("INSERT INTO documents (sha256, source, format, title, date, doc_type, text) VALUES (?, ?, 'txt', "
            "'关于全县义务教育均衡发展的报告', '2019-05-01', 'work_summary', ?)", [f"{n:064d}", f"r{n}.txt", OLD_TEXT])
           for n in (1, 2)],
         "INSERT INTO figures (document_id, metric, value, unit, text, start, end) "
         "VALUES (1, 'student_teacher_ratio', 16.5, 'ratio', '小学生师比为16.5:1', 30, 43)",
         "INSERT INTO measures (document_id, measure, score, evidence) VALUES (1, 'teacher_rotation', 0.9, '[]')",
         "INSERT INTO ingest_errors (source, reason, at) VALUES ('bad.pdf', 'encrypted PDF', '2019-05-01')")


def test_a_version_0_database_is_migrated_with_its_data(tmp_path):
    path = tmp_path / "old.db"
    _version_0_database(path)
    before = {table: sqlite3.connect(path).execute(f"SELECT * FROM {table}").fetchall()
              for table in ("documents", "figures", "measures", "ingest_errors")}
    result = run("search", "县管校聘", "--db", path, "--format", "json")
    assert [hit["source"] for hit in json.loads(result.output)] == ["r1.txt"]  # r2.txt: a repost of r1
    db = store.open_db(path)
    assert schema.schema_version(db) == schema.SCHEMA_VERSION
    for table, rows in before.items():
        assert set(schema.COLUMNS[table]) <= set(db[table].columns_dict)
        old_columns = len(rows[0])  # added columns come last: the old ones are unchanged
        assert [row[:old_columns] for row in db.execute(f"SELECT * FROM {table}").fetchall()] == rows
    assert db.execute("SELECT duplicate_of, text_chars FROM documents ORDER BY id").fetchall() == [(None, len(OLD_TEXT)), (1, len(OLD_TEXT))]
    assert run("check", "--db", path).exit_code == 0


def test_a_failed_migration_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    _version_0_database(path)
    before = sqlite3.connect(path).execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()

    def broken_step(db):
        raise RuntimeError("a step that fails halfway")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS[:1], (2, broken_step)])
    with pytest.raises(RuntimeError):
        store.open_db(path)
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master ORDER BY name").fetchall() == before


def test_a_version_3_database_gets_the_index_filtered_searches_read(db_copy):
    index = "idx_documents_" + "_".join(schema.SEARCH_FILTER_COLUMNS)
    _sql(db_copy, f"DROP INDEX {index}", "CREATE INDEX idx_documents_region_code ON documents(region_code)",
         "UPDATE junheng_meta SET value = '3' WHERE key = 'schema_version'")
    before = sqlite3.connect(db_copy).execute("SELECT * FROM documents ORDER BY id").fetchall()
    db = store.open_db(db_copy)
    assert schema.schema_version(db) == schema.SCHEMA_VERSION
    assert db.execute("SELECT * FROM documents ORDER BY id").fetchall() == before
    where, params = Filters(region_codes=["341524"], year=2017).sql()
    plan = db.execute(f"EXPLAIN QUERY PLAN SELECT d.id FROM documents d WHERE {where}", params).fetchall()
    assert f"COVERING INDEX {index}" in str(plan)  # the filter reads no document row
    assert [i.name for i in db["documents"].indexes if "region_code" in i.columns] == [index]  # it replaced
    result = run("search", "金寨", "--region", "金寨", "--year", "2017", "--db", db_copy, "--format", "json")
    assert [hit["region"]["code"] for hit in json.loads(result.output)] == ["341524"]  # the repost counts once


def _extraction(path) -> dict:
    queries = {"documents": "SELECT id, title, date, issuer, doc_type, balance_stage, region_code FROM documents",
               "figures": "SELECT document_id, metric, value, previous, level, year, status, qualifier, start, end "
                          "FROM figures",
               "measures": "SELECT document_id, measure, score, evidence FROM measures"}
    connection = sqlite3.connect(path)
    return {name: sorted(connection.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}


def test_reprocess_restores_extraction_and_keeps_hand_corrections(db_copy):
    original = _extraction(db_copy)
    corrected = sqlite3.connect(db_copy).execute("SELECT source FROM documents WHERE id = 3").fetchone()[0]
    assert run("set", corrected, "--doc-type", "other", "--db", db_copy).exit_code == 0
    # As if the rules had changed: the stored results differ from what extraction gives now.
    _sql(db_copy, "UPDATE documents SET title = 'x', date = NULL WHERE id != 5", "UPDATE documents SET region_code = NULL",
         "DELETE FROM figures", "DELETE FROM measures WHERE id % 2 = 0",
         "UPDATE documents SET page_meta = NULL WHERE id = 5")  # stored before page hints were kept
    result = run("reprocess", "--db", db_copy)
    assert result.exit_code == 0, result.output
    assert "Reprocessing" in result.stderr and f"{len(SMALL)} documents re-extracted, 0 failed" in result.stderr
    after = _extraction(db_copy)
    assert after["figures"] == original["figures"] and after["measures"] == original["measures"]
    expected = [row if row[0] != 3 else (*row[:4], "other", *row[5:]) for row in original["documents"]]
    assert after["documents"] == expected
    assert run("check", "--db", db_copy).exit_code == 0


@pytest.mark.parametrize("name", ["hunan-liuyang-2018.pdf", "guangxi-rongshui-2017.docx", "henan-lankao-2023.html",
                                  "gansu-lanzhou-chengguan-2021.txt", "fujian-jinjiang-2021.pdf"])
def test_tables_are_rebuilt_from_the_stored_text(name):
    data = (CORPUS / "reports" / name).read_bytes()
    doc = clean.build_document(ingest.read_bytes(data, os.path.splitext(name)[1]), name, sha256(data).hexdigest())
    assert doc.tables and tables_from_text(doc.text) == doc.tables

"""Bad inputs (built by make_bad_inputs.py): each failing file is named on stderr with its
reason, recorded in ingest_errors, and changes nothing else; the load goes on; awkward but
readable files are read, their damage noted in `warnings`."""
import functools
import json
import multiprocessing
import os
import sqlite3
from concurrent.futures import ProcessPoolExecutor

import pytest

from conftest import bundled_reports, run
from make_bad_inputs import FAILING, OVERSIZE_LIMIT, READABLE, write_failing, write_readable
from junheng import bulk
from junheng.store import database as store


def _snapshot(db) -> dict:
    """Everything in the database but ingest_errors."""
    connection = sqlite3.connect(db)
    tables = ["documents", "figures", "measures", "regions", "junheng_meta"]
    state = {table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in tables}
    state["search"] = connection.execute("SELECT rowid FROM documents_fts ORDER BY rowid").fetchall()
    return state


@pytest.fixture(scope="module")
def loads(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    write_failing(root / "fail")
    write_readable(root / "read")
    db = root / "bad.db"
    assert run("ingest", bundled_reports()[0], "--db", db, "--workers", "1").exit_code == 0
    before = _snapshot(db)
    failing = run("ingest", root / "fail", "--db", db, "--workers", "2", "--max-bytes", OVERSIZE_LIMIT)
    after = _snapshot(db)
    readable = run("ingest", root / "read", "--db", db, "--workers", "2")
    return {"root": root, "db": db, "before": before, "after": after, "failing": failing, "readable": readable}


def test_the_failing_half_fails_file_by_file_and_exits_1(loads):
    result = loads["failing"]
    assert result.exit_code == 1
    assert f"0 added, 0 already present, {len(FAILING)} failed" in result.stderr


@pytest.mark.parametrize("name, reason", FAILING.items())
def test_each_failing_file_gets_one_stderr_line_and_an_error_row(loads, name, reason):
    path = str(loads["root"] / "fail" / name)
    lines = [line for line in loads["failing"].stderr.splitlines() if line.startswith(f"failed: {path}: ")]
    assert len(lines) == 1 and reason in lines[0]
    rows = sqlite3.connect(loads["db"]).execute("SELECT reason FROM ingest_errors WHERE source = ?", [path]).fetchall()
    assert len(rows) == 1 and reason in rows[0][0]


def test_failures_change_nothing_but_ingest_errors(loads):
    assert loads["after"] == loads["before"]
    errors = sqlite3.connect(loads["db"]).execute("SELECT count(*) FROM ingest_errors").fetchone()[0]
    assert errors == len(FAILING)  # the symlink loop was walked once: no file twice


def test_symlink_loops_are_walked_once(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "report.txt").write_text("报告", encoding="utf-8")
    os.symlink("../..", tmp_path / "a" / "b" / "up")  # a loop two levels deep
    os.symlink("b", tmp_path / "a" / "same-as-b")  # the same folder under a second name
    files, skipped = bulk.collect_paths([str(tmp_path)])
    assert files == [str(tmp_path / "a" / "b" / "report.txt")] and skipped == []


def test_the_readable_half_is_all_added(loads):
    result = loads["readable"]
    assert result.exit_code == 0, result.output
    assert f"{len(READABLE)} added, 0 already present, 0 failed" in result.stderr


@pytest.mark.parametrize("name, phrase", READABLE.items())
def test_each_readable_file_is_stored_with_its_text(loads, name, phrase):
    connection = sqlite3.connect(loads["db"])
    (text,) = connection.execute("SELECT text FROM documents WHERE source = ?",
                                 [str(loads["root"] / "read" / name)]).fetchone()
    assert phrase in text and "关于全县义务教育优质均衡发展工作情况的报告" in text


@pytest.mark.parametrize("name, warning", [("damaged.txt", "3 undecodable byte sequences replaced"),
                                           ("wrong-charset.html", "declared charset utf-8 is wrong")])
def test_encoding_trouble_is_noted_in_warnings(loads, name, warning):
    (warnings,) = sqlite3.connect(loads["db"]).execute(
        "SELECT warnings FROM documents WHERE source = ?", [str(loads["root"] / "read" / name)]).fetchone()
    assert any(warning in note for note in json.loads(warnings))


def test_mixed_encodings_are_read_line_by_line(loads):
    (text,) = sqlite3.connect(loads["db"]).execute(
        "SELECT text FROM documents WHERE source LIKE '%damaged.txt'").fetchone()
    assert "这一段是GBK编码的文字。" in text  # the GBK paragraph inside a UTF-8 file


def test_the_large_file_is_read_whole(loads):
    (chars,) = sqlite3.connect(loads["db"]).execute(
        "SELECT text_chars FROM documents WHERE source LIKE '%large.txt'").fetchone()
    assert chars > 2_000_000


def test_a_file_that_kills_its_worker_fails_alone(tmp_path, monkeypatch):
    """A reader crashing the whole process (a C library, the OOM killer) on one file: the
    pool is replaced, the files in flight are retried alone, only that file fails."""
    from junheng import process

    reports = bundled_reports()[:6]
    killer = reports[2]
    extract_bytes = process.extract_bytes

    def crash_on_killer(data, source, suffix=""):
        if source == str(killer):
            os._exit(9)
        return extract_bytes(data, source, suffix)

    monkeypatch.setattr(process, "extract_bytes", crash_on_killer)
    fork = functools.partial(ProcessPoolExecutor, mp_context=multiprocessing.get_context("fork"))
    monkeypatch.setattr(bulk, "ProcessPoolExecutor", fork)  # so that the workers inherit the patch
    db = store.open_db(tmp_path / "killer.db", create=True)
    summary = bulk.load(db, [str(path) for path in reports], workers=2)
    assert summary.added == 5
    assert summary.failed == [(str(killer), "the reader crashed on this file (its worker process died)")]

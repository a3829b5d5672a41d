"""Two loaders on one database: both finish and nothing is lost or stored twice; a write lock
held too long gives a plain "busy" message, and readers are never blocked."""
import re
import shutil
import sqlite3
import subprocess
import sys
from hashlib import sha256

from conftest import ROOT, bundled_reports, run
from junheng.store import database as store

REPORTS = bundled_reports()[::4]  # 11 reports; the two loaders share three of them


def _summary(stderr: str) -> tuple[int, int, int]:
    added, present, failed = re.search(r"(\d+) added, (\d+) already present, (\d+) failed", stderr).groups()
    return int(added), int(present), int(failed)


def test_two_loaders_at_once_both_finish_and_lose_nothing(tmp_path):
    halves = {"first": REPORTS[:7], "second": REPORTS[4:]}
    for name, reports in halves.items():
        (tmp_path / name).mkdir()
        for report in reports:
            shutil.copy(report, tmp_path / name / report.name)
    db = tmp_path / "shared.db"  # does not exist yet: both race to create it
    loaders = [subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "ingest", str(tmp_path / name), "--db", str(db),
                                 "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
               for name in halves]
    outputs = [loader.communicate(timeout=300)[1].decode() for loader in loaders]
    assert [loader.returncode for loader in loaders] == [0, 0], outputs
    summaries = [_summary(output) for output in outputs]
    expected = {sha256(report.read_bytes()).hexdigest() for report in REPORTS}
    # Every file added exactly once, by one loader or the other; the shared ones are "present" for the other.
    assert sum(added for added, _, _ in summaries) == len(expected)
    assert [added + present for added, present, _ in summaries] == [7, len(REPORTS) - 4]
    connection = sqlite3.connect(db)
    assert sorted(row[0] for row in connection.execute("SELECT sha256 FROM documents")) == sorted(expected)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert run("check", "--db", db).exit_code == 0


def test_a_held_write_lock_gives_a_plain_busy_message_and_loses_nothing(tmp_path, monkeypatch):
    db = tmp_path / "busy.db"
    first, second = bundled_reports()[:2]
    assert run("ingest", first, "--db", db, "--workers", "1").exit_code == 0
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that does not let go
    try:
        result = run("ingest", second, "--db", db, "--workers", "1")
        assert result.exit_code == 1
        assert "the database is busy" in result.stderr and "nothing was lost" in result.stderr
        assert "Traceback" not in result.output
        searched = run("search", "均衡", "--db", db, "--format", "json")  # readers are not blocked
        assert searched.exit_code == 0 and searched.output.count('"source"') == 1
    finally:
        holder.execute("ROLLBACK")
    result = run("ingest", first, second, "--db", db, "--workers", "1")
    assert result.exit_code == 0 and "1 added, 1 already present, 0 failed" in result.stderr

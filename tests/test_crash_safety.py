"""Crash safety: `junheng ingest` killed with SIGKILL at random points leaves a sound database
of whole documents (each with its search row, figures and measures), and a rerun completes
the set without duplicates."""
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from hashlib import sha256

import pytest

from conftest import ROOT, bundled_reports, run

SUBSET = bundled_reports()  # all 41: enough for a load to commit several batches before it ends


def _start_ingest(folder, db, workers: int) -> subprocess.Popen:
    # Its own session, so the kill takes the worker processes with it, as a crash would.
    return subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "ingest", str(folder), "--db", str(db),
                             "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, cwd=ROOT)


def _stored(db) -> int:
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def _kill_when(process: subprocess.Popen, db, stored: int, delay: float) -> int:
    """SIGKILL `process` `delay` seconds after the database holds `stored` documents; its
    exit status (-9 when the kill found it still loading)."""
    deadline = time.monotonic() + 120
    while process.poll() is None and _stored(db) < stored and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it had already finished
    return process.wait()


def _findings_by_sha(db) -> dict[str, tuple[int, int]]:
    connection = sqlite3.connect(db)
    return {sha: (figures, measures) for sha, figures, measures in connection.execute(
        "SELECT sha256, (SELECT count(*) FROM figures f WHERE f.document_id = d.id), "
        "(SELECT count(*) FROM measures m WHERE m.document_id = d.id) FROM documents d")}


def _assert_sound(db, reference: dict[str, tuple[int, int]]) -> None:
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    documents = [row[0] for row in connection.execute("SELECT id FROM documents ORDER BY id")]
    # documents_fts is contentless, but its rowids can be listed: one per document, no other.
    assert [row[0] for row in connection.execute("SELECT rowid FROM documents_fts ORDER BY rowid")] == documents
    shas = [row[0] for row in connection.execute("SELECT sha256 FROM documents")]
    assert len(shas) == len(set(shas))
    # Every stored document has exactly the figures and measures a clean load gives it.
    findings = _findings_by_sha(db)
    assert findings == {sha: reference[sha] for sha in findings}
    check = run("check", "--db", db)
    assert check.exit_code == 0, check.output


@pytest.mark.parametrize("workers", [1, 2])
def test_killed_loads_leave_whole_documents_and_a_rerun_completes_the_set(tmp_path, corpus_db, workers):
    folder = tmp_path / "reports"
    folder.mkdir()
    for report in SUBSET:
        shutil.copy(report, folder / report.name)
    db = tmp_path / "crash.db"
    reference = _findings_by_sha(corpus_db)
    rng = random.Random(workers)
    statuses = []
    for _ in range(3):  # each run stores at least one more document before it is killed
        target = rng.randint(min(_stored(db) + 1, len(SUBSET) - 1), len(SUBSET) - 1)
        statuses.append(_kill_when(_start_ingest(folder, db, workers), db, target, rng.uniform(0, 0.3)))
        _assert_sound(db, reference)
    assert -signal.SIGKILL in statuses  # at least one kill landed in the middle of a load
    final = _start_ingest(folder, db, workers)
    _, stderr = final.communicate(timeout=300)
    assert final.returncode == 0, stderr.decode()
    _assert_sound(db, reference)
    expected = {sha256(path.read_bytes()).hexdigest() for path in folder.iterdir()}
    assert set(_findings_by_sha(db)) == expected
    assert sqlite3.connect(db).execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 0

"""Bulk loading: paths in, documents stored, failures recorded; never stops on a bad file.

Extraction runs in a process pool (it is CPU-bound); the main process alone writes to the
database. Extracted documents are written a batch at a time (up to BATCH_DOCUMENTS, or what
BATCH_SECONDS gathered), each batch in one transaction, each document in a savepoint of its
own: a commit per document (and the search-index segment each one writes) was most of the
time spent storing, and the write lock is held only while a batch is written, never while a
file is extracted. A crash leaves whole documents or none, and a rerun adds the rest (files
already stored are recognised by their bytes).
"""
from __future__ import annotations

import gc
import glob
import os
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import closing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from junheng.store import database as store
from junheng.ingest import (DEFAULT_MAX_BYTES, OLD_WORD_SUFFIXES, READABLE_SUFFIXES, IngestError, NotAReport, read_path,
                     sniff_path)

BATCH_DOCUMENTS, BATCH_SECONDS = 50, 0.5
REPORT_SUFFIXES = READABLE_SUFFIXES | OLD_WORD_SUFFIXES
_frozen = False  # has this process moved its start-up objects out of the collector's reach?


@dataclass
class LoadSummary:
    added: int = 0
    present: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Job:
    source: str
    data: bytes | None = None
    sha: str | None = None
    error: str | None = None
    same_as: Job | None = None  # the earlier file of this load with the same bytes
    failed: str | None = None  # why it was not stored, once that is recorded



def collect_paths(arguments: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Files to read (folders walked, globs expanded), and the files left out of folders,
    each with why (what its content shows it to be).

    A name that does not exist is kept: reading it then fails with the reason."""
    paths: list[str] = []
    skipped: list[tuple[str, str]] = []
    for argument in arguments:
        matches = [argument] if os.path.lexists(argument) else sorted(glob.glob(argument, recursive=True)) or [argument]
        for match in matches:
            if os.path.isdir(match):
                found, skipped_here = _walk(match)
                paths.extend(found)
                skipped.extend(skipped_here)
            else:
                paths.append(match)
    return list(dict.fromkeys(paths)), skipped


def _walk(folder: str) -> tuple[list[str], list[tuple[str, str]]]:
    found, skipped, seen = [], [], set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        try:
            info = os.stat(root)
        except OSError:
            continue  # vanished while walking
        if (info.st_ino, info.st_dev) in seen:  # a symlink loop: each real folder is read once
            dirs.clear()
            continue
        seen.add((info.st_ino, info.st_dev))
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))  # .git, .svn: no reports
        for name in sorted(files):
            if name.startswith((".", "~$")):
                continue  # hidden files (.DS_Store, swap files) and Office's ~$ lock files
            path = os.path.join(root, name)
            reason = _not_a_report(path)
            if reason is None:
                found.append(path)
            else:
                skipped.append((path, reason))
    return found, skipped


def _not_a_report(path: str) -> str | None:
    """Why a file found in a folder is left out, or None to read it. A file whose suffix says
    report is always read (one that is broken should fail, not vanish); any other is told by
    its head, so pages saved as .jsp or .aspx and PDFs without a suffix are read too. A file
    that cannot be sniffed (empty, unreadable, a FIFO) is read, and fails with its reason."""
    if Path(path).suffix.lower() in REPORT_SUFFIXES:
        return None
    try:
        sniff_path(Path(path))
    except NotAReport as exc:
        return str(exc)
    except (IngestError, OSError):
        pass
    return None


def _extract(source: str, data: bytes):
    """Runs in a worker: ('ok', (Document, its search tokens)) or ('error', reason). Never
    raises. The tokens are made here, not by the main process, which alone stores."""
    from junheng.process import extract_bytes
    from junheng.store.tokens import index_tokens

    try:
        doc = extract_bytes(data, source, Path(source).suffix)
        return "ok", (doc, index_tokens(doc.text))
    except IngestError as exc:
        return "error", str(exc)
    except Exception as exc:  # a reader bug must not stop a bulk load; the reason is recorded
        return "error", f"unexpected {type(exc).__name__}: {str(exc)[:200]}"
    finally:
        _freeze_start_up()


def _freeze_start_up() -> None:
    """Once a process has extracted its first file, what it loaded to do so lives as long as
    the process (jieba's dictionary of half a million words, the lexicons, the model): moved
    out of the garbage collector's reach, it is no longer walked by every full collection,
    which made a load 7% slower."""
    global _frozen
    if not _frozen:  # a flag: gc.get_freeze_count() walks every frozen object
        gc.collect()
        gc.freeze()
        _frozen = True


def _jobs(paths: list[str], max_bytes: int) -> Iterator[Job]:
    for source in paths:
        try:
            data = read_path(Path(source), max_bytes)
        except IngestError as exc:
            yield Job(source, error=str(exc))
            continue
        yield Job(source, data=data, sha=sha256(data).hexdigest())


def load(db, paths: list[str], workers: int = 1, force: bool = False, max_bytes: int = DEFAULT_MAX_BYTES,
         on_done: Callable[[str, str], None] = lambda source, outcome: None) -> LoadSummary:
    """Ingest `paths` into `db`; `on_done(source, outcome)` is called once per file.

    A file that cannot be read or stored is recorded and the load goes on. Only a database
    that cannot be written at all (store.DatabaseBusy, disk full) stops it: the batch being
    written is rolled back, every document stored before it is whole, and running the same
    load again adds the rest."""
    summary = LoadSummary()
    jobs = _pending(db, _jobs(paths, max_bytes), force, summary, on_done)
    writer = _BatchWriter(db, force, summary, on_done)
    with closing(_extracted(jobs, workers, max_bytes)) as results:
        try:
            for job, outcome in results:
                writer.add(job, outcome)
        except BaseException as exc:
            if not isinstance(exc, (sqlite3.Error, store.DatabaseBusy)):
                writer.write()  # interrupted: the documents already extracted are whole, keep them
            raise
        writer.write()
    return summary


class _BatchWriter:
    """Extracted documents, written BATCH_DOCUMENTS at a time or when the oldest has waited
    BATCH_SECONDS, each batch in one transaction (the write lock is held only then)."""

    def __init__(self, db, force: bool, summary: LoadSummary, on_done: Callable[[str, str], None]):
        self.db, self.force, self.summary, self.on_done = db, force, summary, on_done
        self.batch: list[tuple[Job, tuple]] = []
        self.oldest = 0.0

    def add(self, job: Job, outcome: tuple) -> None:
        if not self.batch:
            self.oldest = time.monotonic()
        self.batch.append((job, outcome))
        if len(self.batch) >= BATCH_DOCUMENTS or time.monotonic() - self.oldest >= BATCH_SECONDS:
            self.write()

    def write(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        with store.write_transaction(self.db):  # each document inside is a savepoint of its own
            search_rows: list = []  # the batch's search rows go in together (store.write_document)
            outcomes = [(job.source, _record(self.db, job, outcome, self.force, self.summary, search_rows))
                        for job, outcome in batch]
            store.add_search_rows(self.db, search_rows)
        for source, outcome in outcomes:
            self.on_done(source, outcome)


def _extracted(jobs: Iterator[Job], workers: int, max_bytes: int) -> Iterator[tuple[Job, tuple]]:
    """(job, outcome) in the order of the jobs: here with one worker, else from a pool with
    a bounded window in flight (memory stays flat; the first copy of a repost stays first)."""
    if workers <= 1:
        for job in jobs:
            outcome = _unextracted(job) or _extract(job.source, job.data)
            job.data = None  # a job outlives its extraction (a later copy may ask how it went)
            yield job, outcome
        return
    with _WorkerPool(workers, max_bytes) as pool:
        window: deque = deque()
        for job in jobs:
            window.append((job, None if _unextracted(job) else pool.submit(job)))
            job.data = None  # the worker has its copy
            if len(window) >= workers * 4 + BATCH_DOCUMENTS:  # enough queued to last while a batch is written
                oldest, future = window.popleft()
                yield oldest, pool.result(oldest, future)
        while window:
            oldest, future = window.popleft()
            yield oldest, pool.result(oldest, future)


def _unextracted(job: Job) -> tuple | None:
    """The outcome of a job with nothing to extract (unreadable, or a copy), else None."""
    if job.error is not None:
        return "error", job.error
    return ("copy", None) if job.same_as is not None else None


def _record(db, job: Job, outcome: tuple, force: bool, summary: LoadSummary, search_rows: list) -> str:
    """Store the extracted document, or record why there is none; the outcome for on_done."""
    status, payload = outcome
    if status == "copy":  # its first was recorded before it: the jobs are in order
        status, payload = ("error", job.same_as.failed) if job.same_as.failed else ("present", None)
    elif status == "ok":
        status, payload = _store(db, payload, force, search_rows)
    if status == "error":
        reason = job.failed = " ".join(payload.split())  # one line on stderr per failed file
        store.record_error(db, job.source, reason, job.sha)
        summary.failed.append((job.source, reason))
        return "failed"
    if status == "added":
        summary.added += 1
    else:
        summary.present += 1
    return status


def _store(db, extracted: tuple, force: bool, search_rows: list) -> tuple[str, str | None]:
    """('added' | 'present', None), or ('error', reason) for a document that cannot be stored."""
    doc, tokens = extracted
    try:
        written = store.write_document(db, doc, replace=force, search_rows=search_rows, tokens=tokens)[1]
    except (store.DatabaseBusy, sqlite3.OperationalError):
        raise  # busy, disk full, read-only: no later document could be stored either
    except Exception as exc:  # one document that cannot be stored must not stop the load
        return "error", f"could not be stored ({type(exc).__name__}: {str(exc)[:200]})"
    return ("added" if written else "present"), None


class _WorkerPool:
    """A process pool that survives a worker dying (a reader crashing hard on some file, the
    OOM killer): a broken pool is replaced, and the files that were in flight are extracted
    again one at a time in a process of their own, so only the file that kills it fails."""

    def __init__(self, workers: int, max_bytes: int):
        self.workers, self.max_bytes = workers, max_bytes
        self.pool = ProcessPoolExecutor(max_workers=workers)

    def __enter__(self) -> "_WorkerPool":
        return self

    def __exit__(self, *exc_info) -> None:
        self.pool.shutdown(cancel_futures=True)

    def submit(self, job: Job) -> Future:
        try:
            return self.pool.submit(_extract, job.source, job.data)
        except BrokenProcessPool:
            self.pool.shutdown(wait=False)
            self.pool = ProcessPoolExecutor(max_workers=self.workers)
            return self.pool.submit(_extract, job.source, job.data)

    def result(self, job: Job, future: Future | None) -> tuple:
        if future is None:
            return _unextracted(job)
        try:
            return future.result()
        except BrokenProcessPool:
            return self._extract_alone(job.source)

    def _extract_alone(self, source: str) -> tuple:
        try:
            data = read_path(Path(source), self.max_bytes)
        except IngestError as exc:
            return "error", str(exc)
        with ProcessPoolExecutor(max_workers=1) as solo:
            try:
                return solo.submit(_extract, source, data).result()
            except BrokenProcessPool:
                return "error", "the reader crashed on this file (its worker process died)"


def _pending(db, jobs: Iterator[Job], force: bool, summary: LoadSummary, on_done) -> Iterator[Job]:
    """Jobs to extract or settle. A file already stored (same bytes) is counted, not read
    again. A file with the bytes of one met earlier in this load is not extracted again: it
    is present if that one was stored and fails with its reason if it failed, so a failed
    file never makes its hash count as present (two empty files both fail)."""
    first: dict[str, Job] = {}
    for job in jobs:
        if job.sha in first:
            job.same_as, job.data = first[job.sha], None
        elif job.sha and not force and store.find_document_id(db, job.sha) is not None:
            summary.present += 1
            on_done(job.source, "present")
            continue
        elif job.sha:
            first[job.sha] = job
        yield job

"""Bulk loading: paths in, documents stored, failures recorded; never stops on a bad file.

Extraction runs in a process pool (it is CPU-bound); the main process alone writes to the
database, one transaction per document, so a crash leaves whole documents or none.
"""
from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from . import store
from .ingest import DEFAULT_MAX_BYTES, OLD_WORD_SUFFIXES, READABLE_SUFFIXES, IngestError, read_path


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


def collect_paths(arguments: list[str]) -> tuple[list[str], int]:
    """Files to read (folders walked, globs expanded) and how many files were skipped by type.

    A name that does not exist is kept: reading it then fails with the reason."""
    paths: list[str] = []
    skipped = 0
    for argument in arguments:
        matches = [argument] if os.path.lexists(argument) else sorted(glob.glob(argument, recursive=True)) or [argument]
        for match in matches:
            if os.path.isdir(match):
                found, skipped_here = _walk(match)
                paths.extend(found)
                skipped += skipped_here
            else:
                paths.append(match)
    return list(dict.fromkeys(paths)), skipped


def _walk(folder: str) -> tuple[list[str], int]:
    found, skipped, seen = [], 0, set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        identity = os.stat(root).st_ino, os.stat(root).st_dev
        if identity in seen:  # a symlink loop: each real folder is read once
            dirs.clear()
            continue
        seen.add(identity)
        dirs.sort()
        for name in sorted(files):
            if name.startswith("."):
                continue  # hidden files (.DS_Store, editor swap files) are not reports
            if Path(name).suffix.lower() in READABLE_SUFFIXES | OLD_WORD_SUFFIXES:
                found.append(os.path.join(root, name))
            else:
                skipped += 1
    return found, skipped


def _extract(source: str, data: bytes):
    """Runs in a worker: ('ok', Document) or ('error', reason). Never raises."""
    from .process import extract_bytes

    try:
        return "ok", extract_bytes(data, source, Path(source).suffix)
    except IngestError as exc:
        return "error", str(exc)
    except Exception as exc:  # a reader bug must not stop a bulk load; the reason is recorded
        return "error", f"unexpected {type(exc).__name__}: {str(exc)[:200]}"


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
    """Ingest `paths` into `db`; `on_done(source, outcome)` is called once per file."""
    summary = LoadSummary()

    def finish(job: Job, outcome: tuple) -> None:
        status, payload = outcome
        if status == "ok":
            store.save_document(db, payload, replace=force)
            summary.added += 1
            on_done(job.source, "added")
        else:
            store.record_error(db, job.source, payload, job.sha)
            summary.failed.append((job.source, payload))
            on_done(job.source, "failed")

    pending_jobs = _pending(db, _jobs(paths, max_bytes), force, summary, on_done)
    if workers <= 1:
        for job in pending_jobs:
            finish(job, _extract(job.source, job.data) if job.error is None else ("error", job.error))
        return summary
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # Results are stored in the order of the paths (the first copy of a reposted report
        # stays the original), with a bounded window in flight to keep memory flat.
        window: deque = deque()
        for job in pending_jobs:
            future = pool.submit(_extract, job.source, job.data) if job.error is None else None
            job.data = None  # the worker has its copy
            window.append((job, future))
            if len(window) >= workers * 4:
                _finish_oldest(window, finish)
        while window:
            _finish_oldest(window, finish)
    return summary


def _finish_oldest(window: deque, finish) -> None:
    job, future = window.popleft()
    finish(job, future.result() if future is not None else ("error", job.error))


def _pending(db, jobs: Iterator[Job], force: bool, summary: LoadSummary, on_done) -> Iterator[Job]:
    """Jobs that need extracting: files already stored (same bytes) are counted, not re-read."""
    seen_now: set[str] = set()
    for job in jobs:
        if job.sha and (job.sha in seen_now or (not force and store.find_document_id(db, job.sha) is not None)):
            summary.present += 1
            on_done(job.source, "present")
            continue
        if job.sha:
            seen_now.add(job.sha)
        yield job

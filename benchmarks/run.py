"""junheng's performance benchmark: `python benchmarks/run.py [--quick] [--no-profile]`.

Builds its inputs from the corpus in a temporary folder, measures each goal as a ratio
against a bare baseline on the same input, profiles the one-worker pipeline, prints a table
and writes benchmarks/RESULTS.md. Loads run in child processes (`--child ...`), so each
starts like a real `junheng ingest` and its peak memory is its own; a throughput load first
extracts two corpus reports (its start-up, timed apart) so that the rate measured is the
pipeline's.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # standalone: `inputs` importable (junheng: pip install -e .)

import inputs  # noqa: E402
import report  # noqa: E402

SIZES = {  # full run / --quick
    "collection": (800, 200),     # recombined TXT+HTML reports for throughput and workers
    "rounds": (5, 2),  # of jieba, 1-worker load, jieba, 2-worker load; the median counts
    "memory": ((2_000, 20_000), (200, 2_000)),  # short recombined reports, small vs large load
    "pdfs": (40, 12),
    "search_docs": (100_000, 20_000),
    "search_repeats": (15, 7),
    "profile_docs": (120, 40),
}
MEMORY_PARAGRAPHS = 3  # body paragraphs per memory-test report: short, so 20,000 load in minutes
QUERIES = ["均衡", "县管校聘", "大班额", "劝返", "生均公用经费", "兰考", "交流轮岗 留守儿童"]
FILTERED = ("均衡", "河南")  # a common term within one province (--region 河南)
BARE_FTS = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY bm25(documents_fts) LIMIT 20"


def size(name: str, quick: bool):
    return SIZES[name][1 if quick else 0]


# ---------------------------------------------------------------- loads in child processes


def child_load(list_file: str, db_path: str, workers: int, warm: bool, profile_out: str | None) -> None:
    """Runs in a child: a real bulk load into a fresh database; prints its numbers as JSON.

    `warm`: first extract two corpus reports (not stored), so the one-time start-up (imports,
    jieba's dictionary, trafilatura, the model) is timed apart from the load; 2-worker loads
    fork their workers from this warmed process."""
    import resource

    started = time.perf_counter()
    from junheng import bulk
    from junheng.store import database as store

    startup = 0.0
    if warm:
        for kind in ("txt", "html"):  # as a worker's first files: start-up, then gc.freeze
            path = inputs.renderings(kind)[0]
            bulk._extract(str(path), path.read_bytes())
        startup = time.perf_counter() - started
    paths = Path(list_file).read_text(encoding="utf-8").split("\n")
    db = store.open_db(db_path, create=True)
    cpu_before = _cpu_seconds(resource.RUSAGE_SELF)
    started = time.perf_counter()
    if profile_out:
        import cProfile

        profiler = cProfile.Profile()
        summary = profiler.runcall(bulk.load, db, paths, workers=workers)
        profiler.dump_stats(profile_out)
    else:
        summary = bulk.load(db, paths, workers=workers)
    seconds = time.perf_counter() - started
    chars = db.execute("SELECT COALESCE(SUM(text_chars), 0) FROM documents").fetchone()[0]
    print(json.dumps({
        "seconds": seconds, "startup": startup, "added": summary.added, "failed": len(summary.failed), "chars": chars,
        "figures": db.execute("SELECT COUNT(*) FROM figures").fetchone()[0],
        "measures": db.execute("SELECT COUNT(*) FROM measures").fetchone()[0],
        "cpu_main": _cpu_seconds(resource.RUSAGE_SELF) - cpu_before,
        "cpu_workers": _cpu_seconds(resource.RUSAGE_CHILDREN),
        "rss_main_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "rss_workers_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "failures": summary.failed[:5],
    }))


def _cpu_seconds(who: int) -> float:
    import resource

    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_load(paths: list[str], db_path: Path, workers: int, profile_out: Path | None = None,
             warm: bool = False) -> dict:
    """A bulk load in a fresh child process; its numbers plus its peak RSS (from wait4)."""
    list_file = db_path.with_suffix(".paths")
    list_file.write_text("\n".join(paths), encoding="utf-8")
    command = [sys.executable, __file__, "--child", str(list_file), str(db_path), str(workers), "warm" if warm else "cold"]
    if profile_out:
        command.append(str(profile_out))
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if process.returncode != 0:
        raise RuntimeError(f"bulk load child failed ({process.returncode}): {text[-500:]}")
    result = json.loads(text.strip().splitlines()[-1])
    result["rss_peak_kb"] = usage.ru_maxrss  # the child or any of its workers, whichever peaked
    if result["failed"]:
        raise RuntimeError(f"{result['failed']} files failed in the benchmark load: {result['failures']}")
    return result


# ---------------------------------------------------------------- the measurements


def bench_throughput(work: Path, quick: bool) -> dict:
    """Characters per second of the whole pipeline, 1 and 2 workers, vs a bare jieba pass.

    Throughput is the rate once a process has started (both sides: jieba's dictionary load
    is left out of its rate too); the start-up of each is timed apart, and the end-to-end
    time of a cold one-worker load is their sum. The machine's speed drifts by a third over
    a minute (shared cores), so each round brackets its 1-worker load between two jieba passes
    over the same texts (the mean of the two is its baseline) and then runs a 2-worker load;
    the median round's ratios count."""
    paths = inputs.recombined_files(work / "collection", size("collection", quick))
    texts = work / "load-1-0.db"  # the texts the jieba passes segment: the first load's
    rounds, before = [], None
    for attempt in range(size("rounds", quick)):
        one = run_load(paths, work / f"load-1-{attempt}.db", workers=1, warm=True)
        after = _jieba_pass(texts)
        bracket = [pass_ for pass_ in (before, after) if pass_]
        jieba = {key: sum(pass_[key] for pass_ in bracket) / len(bracket) for key in after}
        two = run_load(paths, work / f"load-2-{attempt}.db", workers=2, warm=True)
        rounds.append({"one": one, "two": two, "jieba": jieba, "ratio": one["chars"] / one["seconds"] / jieba["cps"],
                       "workers_ratio": one["seconds"] / two["seconds"]})
        before = _jieba_pass(texts) if attempt + 1 < size("rounds", quick) else None
    middle = _median_round(rounds, "ratio")
    one, jieba = middle["one"], middle["jieba"]
    workers = _median_round(rounds, "workers_ratio")
    pipeline_cps = one["chars"] / one["seconds"]
    # Per CPU second as well: on a busy machine wall-clock ratios say more about the neighbours.
    pipeline_cpu_cps = one["chars"] / (one["cpu_main"] + one["cpu_workers"])
    startup = one["startup"]
    cold_cps = one["chars"] / (startup + one["seconds"])
    jieba_cold_cps = one["chars"] / (jieba["startup"] + one["chars"] / jieba["cps"])
    return {"files": len(paths), "one": one, "workers_one": workers["one"], "two": workers["two"],
            "pipeline_cps": pipeline_cps,
            "jieba_cps": jieba["cps"], "ratio": middle["ratio"],
            "pipeline_cpu_cps": pipeline_cpu_cps, "jieba_cpu_cps": jieba["cpu_cps"],
            "cpu_ratio": pipeline_cpu_cps / jieba["cpu_cps"],
            "workers_ratio": workers["workers_ratio"],
            "round_ratios": [r["ratio"] for r in rounds], "round_workers": [r["workers_ratio"] for r in rounds],
            "startup": startup, "jieba_startup": jieba["startup"], "cold_cps": cold_cps,
            "jieba_cold_cps": jieba_cold_cps, "cold_ratio": cold_cps / jieba_cold_cps}


def _median_round(rounds: list[dict], key: str) -> dict:
    """The round whose `key` is the median (of two, the lower: no round is flattered)."""
    return sorted(rounds, key=lambda r: r[key])[(len(rounds) - 1) // 2]


def _jieba_pass(db_path: Path) -> dict:
    """jieba.lcut over the stored texts: chars per wall-clock and per CPU second, and its
    start-up (import and dictionary) timed apart, in a fresh process like the loads."""
    code = f"""
import json, logging, sqlite3, time
started = time.perf_counter()
import jieba
jieba.setLogLevel(logging.WARNING)
jieba.initialize()
startup = time.perf_counter() - started
with sqlite3.connect({str(db_path)!r}) as connection:
    texts = [row[0] for row in connection.execute("SELECT text FROM documents")]
started, cpu_started = time.perf_counter(), time.process_time()
for text in texts:
    jieba.lcut(text)
wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
chars = sum(map(len, texts))
print(json.dumps({{"cps": chars / wall, "cpu_cps": chars / cpu, "startup": startup}}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def bench_memory(work: Path, quick: bool) -> dict:
    """Peak RSS of a bulk load (2 workers, the default on this machine) at two sizes."""
    small, large = size("memory", quick)
    paths = inputs.recombined_files(work / "memory", large, keep=MEMORY_PARAGRAPHS, seed=3)
    loads = {count: run_load(paths[:count], work / f"memory-{count}.db", workers=2) for count in (small, large)}
    growth = loads[large]["rss_peak_kb"] / loads[small]["rss_peak_kb"]
    return {"small": small, "large": large, "loads": loads, "growth": growth}


def bench_pdf(quick: bool) -> dict:
    """Seconds per page: our PDF ingest (read + clean) vs pdfplumber's bare extract_text."""
    import io
    from hashlib import sha256

    import pdfplumber

    from junheng import ingest
    from junheng.text import clean

    def bare(files) -> int:
        pages = 0
        for _, data in files:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                pages += len(pdf.pages)
                for page in pdf.pages:
                    page.extract_text()
        return pages

    def ours(files) -> None:
        for path, data in files:
            clean.build_document(ingest.read_bytes(data, path.suffix), str(path), sha256(data).hexdigest())

    files = [(path, path.read_bytes()) for path in inputs.renderings("pdf")[: size("pdfs", quick)]]
    bare(files[:1]), ours(files[:1])  # warm: fonts' CMaps are loaded on first use
    started = time.perf_counter()
    pages = bare(files)
    bare_seconds = time.perf_counter() - started
    started = time.perf_counter()
    ours(files)
    ours_seconds = time.perf_counter() - started
    return {"files": len(files), "pages": pages, "ours_per_page": ours_seconds / pages,
            "bare_per_page": bare_seconds / pages, "ratio": ours_seconds / bare_seconds}


def bench_search(work: Path, quick: bool) -> dict:
    """Latency of search_documents vs a bare FTS5 MATCH of the same tokens, N documents."""
    import statistics

    from junheng import regions
    from junheng.store import search
    from junheng.store import database as store

    count = size("search_docs", quick)
    db_path = work / "search.db"
    db = store.open_db(db_path, create=True)
    started = time.perf_counter()
    store.save_documents(db, inputs.synthetic_documents(count))
    build_seconds = time.perf_counter() - started
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    repeats = size("search_repeats", quick)
    per_query, ours_all, bare_all = {}, [], []
    for text in QUERIES:
        expression = _bare_expression(text)
        matching = db.execute("SELECT COUNT(*) FROM documents_fts WHERE documents_fts MATCH ?", [expression]).fetchone()[0]
        ours = _timings(lambda: search.search_documents(db, text, search.Filters()), repeats)
        bare = _timings(lambda: db.execute(BARE_FTS, [expression]).fetchall(), repeats)
        per_query[text] = {"matching": matching, "ours_ms": statistics.median(ours), "bare_ms": statistics.median(bare)}
        ours_all += ours
        bare_all += bare
    # A narrowing filter: bm25 scores only the matches in the filtered set (see search._ranked).
    province = search.Filters(region_codes=regions.codes_for_filter(FILTERED[1]))
    filtered = statistics.median(_timings(lambda: search.search_documents(db, FILTERED[0], province), repeats))
    return {"documents": count, "build_seconds": build_seconds, "db_bytes": db_path.stat().st_size,
            "text_chars": db.execute("SELECT SUM(text_chars) FROM documents").fetchone()[0],
            "queries": per_query, "ours": _percentiles(ours_all), "bare": _percentiles(bare_all),
            "filtered_ms": filtered}


def _bare_expression(text: str) -> str:
    """The plain FTS5 query of the same tokens: each term's bigrams as one phrase, the terms
    ANDed (search_documents may ask FTS5 differently, see search._near_cover)."""
    from junheng.store.tokens import index_tokens

    return " AND ".join('"' + " ".join(index_tokens(term).split()[:-1]) + '"' for term in text.split())


def _timings(call, repeats: int) -> list[float]:
    call()  # warm: the first run reads pages from disk into the cache
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"p50": ordered[len(ordered) // 2], "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]}


def bench_profile(work: Path, quick: bool) -> dict:
    """cProfile of a one-worker load after start-up (in a child): time per stage, hottest functions."""
    paths = inputs.recombined_files(work / "profile", size("profile_docs", quick), seed=4)
    out = work / "profile.prof"
    load = run_load(paths, work / "profile.db", workers=1, profile_out=out, warm=True)
    return {"load": load, **report.profile_summary(out)}


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs: under 3 minutes")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        list_file, db_path, workers, mode, *profile = args.child
        return child_load(list_file, db_path, int(workers), mode == "warm", profile[0] if profile else None)
    started = time.perf_counter()
    results = {"quick": args.quick, "machine": report.machine()}
    with tempfile.TemporaryDirectory(prefix="junheng-bench-") as folder:
        work = Path(folder)
        steps = [("throughput", bench_throughput), ("memory", bench_memory),
                 ("pdf", lambda work, quick: bench_pdf(quick)), ("search", bench_search)]
        if not args.no_profile:
            steps.append(("profile", bench_profile))
        for name, step in steps:
            step_started = time.perf_counter()
            print(f"… {name}", end="", file=sys.stderr, flush=True)
            results[name] = step(work, args.quick)
            results[name]["step_seconds"] = time.perf_counter() - step_started
            print(f" {results[name]['step_seconds']:.0f} s", file=sys.stderr, flush=True)
    results["total_seconds"] = time.perf_counter() - started
    print(report.table(results))
    (HERE / "RESULTS.md").write_text(report.markdown(results), encoding="utf-8")
    print(f"\nwritten {HERE / 'RESULTS.md'} ({results['total_seconds']:.0f} s)")


if __name__ == "__main__":
    main()

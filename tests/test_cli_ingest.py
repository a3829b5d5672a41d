import json
import os
import sqlite3

import pytest

from conftest import CORPUS, bundled_reports, run, source_text


def _slug(source: str) -> str:
    name = os.path.basename(source).rsplit(".", 1)[0]
    return name.removesuffix("-repost")


def test_ingest_adds_every_bundled_report(corpus_db):
    rows = sqlite3.connect(corpus_db).execute("SELECT source, text_chars FROM documents").fetchall()
    assert len(rows) == len(bundled_reports())
    assert all(chars > 500 for _, chars in rows)


def test_reingest_adds_nothing(corpus_db):
    result = run("ingest", CORPUS / "reports", "--db", corpus_db, "--workers", "1")
    assert result.exit_code == 0
    assert f"0 added, {len(bundled_reports())} already present, 0 failed" in result.output


@pytest.mark.parametrize("term", ["县管校聘", "联盟办学", "控辍保学", "劝返", "大班额", "差异系数"])
def test_search_returns_exactly_the_documents_that_contain_the_term(corpus_db, term):
    result = run("search", term, "--db", corpus_db, "--format", "json", "--limit", "1000")
    assert result.exit_code == 0
    found = {_slug(hit["source"]) for hit in json.loads(result.output)}
    slugs = {_slug(str(p)) for p in bundled_reports()}
    expected = {slug for slug in slugs if term in source_text(slug)}
    assert found == expected
    assert all(f"【{term}】" in hit["snippet"] for hit in json.loads(result.output))


def test_search_filters_by_region_at_any_level(corpus_db):
    result = run("search", "--region", "黑龙江", "--db", corpus_db, "--format", "json")
    provinces = {hit["region"]["province"] for hit in json.loads(result.output)}
    assert provinces == {"黑龙江省"}


def test_search_with_no_hit_is_an_empty_array(corpus_db):
    result = run("search", "这段文字不会出现在任何报告里", "--db", corpus_db, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output) == []


@pytest.mark.parametrize("query", ['"', "NEAR(县管 校聘)", "a AND", "*", "')--", "-", "OR"])
def test_search_never_fails_on_odd_input(corpus_db, query):
    assert run("search", query, "--db", corpus_db, "--format", "jsonl").exit_code == 0


def test_search_on_a_missing_database_is_a_usage_error(tmp_path):
    result = run("search", "均衡", "--db", tmp_path / "none.db")
    assert result.exit_code == 2 and "no database" in result.output


def test_extract_prints_the_document_record():
    pdf = next(p for p in bundled_reports() if p.suffix == ".pdf")
    result = run("extract", pdf)
    assert result.exit_code == 0
    record = json.loads(result.output)
    assert record["sha256"] and record["text_chars"] > 500 and record["title"]


def test_a_mixed_folder_loads_the_good_and_records_the_bad(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = bundled_reports()[0]
    (folder / good.name).write_bytes(good.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "noise.pdf").write_bytes(os.urandom(4096))
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (folder / "picture.png").write_bytes(b"\x89PNG")
    db = tmp_path / "mixed.db"
    result = run("ingest", folder, tmp_path / "missing.html", "--db", db, "--workers", "1")
    assert result.exit_code == 1
    assert "1 added, 0 already present, 4 failed, 1 skipped" in result.output
    for name in ("empty.txt", "noise.pdf", "old.doc", "missing.html"):
        assert name in result.output
    errors = dict(sqlite3.connect(db).execute("SELECT source, reason FROM ingest_errors").fetchall())
    assert len(errors) == 4 and all(errors.values())


def test_a_reposted_report_is_stored_once_more_but_marked_as_a_duplicate(corpus_db):
    rows = sqlite3.connect(corpus_db).execute(
        "SELECT d.source, o.source FROM documents d JOIN documents o ON d.duplicate_of = o.id").fetchall()
    pair = {str(CORPUS / "reports" / "anhui-jinzhai-2017-repost.html"), str(CORPUS / "reports" / "anhui-jinzhai-2017.html")}
    assert len(rows) == 1 and set(rows[0]) == pair  # the later of the two (path order) is the duplicate
    result = run("search", "金寨", "--db", corpus_db, "--format", "json")
    assert [hit["source"] for hit in json.loads(result.output)] == [rows[0][1]]


def _rendering(kind: str, index: int) -> bytes:
    return sorted((CORPUS / "renderings" / kind).iterdir())[index].read_bytes()


def test_a_folder_is_read_by_content_and_what_is_no_report_is_named(tmp_path):
    folder = tmp_path / "site"
    (folder / "pages").mkdir(parents=True)
    (folder / ".git").mkdir()
    reports = {"pages/content.jsp": ("html", 0), "pages/show.aspx": ("html", 1), "report": ("pdf", 0),
               "report.bin": ("pdf", 1), "attachment": ("docx", 0)}
    for name, (kind, index) in reports.items():
        (folder / name).write_bytes(_rendering(kind, index))
    (folder / "table.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / ".git" / "index").write_bytes(bytes(64))  # hidden: passed over without a word
    (folder / "~$report.docx").write_bytes(bytes(162))  # Word's lock file beside an open document
    db = tmp_path / "site.db"
    result = run("ingest", folder, "--db", db, "--workers", "2")
    assert result.exit_code == 0, result.output  # skipping what is no report is no failure
    assert f"{len(reports)} added, 0 already present, 0 failed, 2 skipped (not reports)" in result.stderr
    assert f"skipped: {folder / 'table.xls'}: a spreadsheet (old Excel or WPS format), not a report" in result.stderr
    assert f"skipped: {folder / 'logo.png'}: a PNG image, not a report" in result.stderr
    assert "index" not in result.stderr and "~$" not in result.stderr
    stored = dict(sqlite3.connect(db).execute("SELECT source, format FROM documents").fetchall())
    assert stored == {str(folder / name): kind for name, (kind, _) in reports.items()}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_failed_file_never_makes_its_bytes_count_as_present(tmp_path, workers):
    folder = tmp_path / "load"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "zero.pdf").write_bytes(b"")
    broken = b"%PDF-1.4\n" + bytes(range(256)) * 8
    (folder / "broken.pdf").write_bytes(broken)
    (folder / "broken-again.pdf").write_bytes(broken)
    good = _rendering("txt", 0)
    (folder / "good.txt").write_bytes(good)
    (folder / "good-again.txt").write_bytes(good)
    db = tmp_path / "load.db"
    for _ in range(2):  # and again in a second load: failures are met anew, never remembered
        result = run("ingest", folder, "--db", db, "--workers", workers)
        assert result.exit_code == 1
        failed = dict(line.split(": ", 2)[1:] for line in result.stderr.splitlines() if line.startswith("failed: "))
        assert failed.keys() == {str(folder / n) for n in ("empty.txt", "zero.pdf", "broken.pdf", "broken-again.pdf")}
        assert failed[str(folder / "empty.txt")] == failed[str(folder / "zero.pdf")] == "empty file"
        assert failed[str(folder / "broken.pdf")] == failed[str(folder / "broken-again.pdf")]
    assert "0 added, 2 already present, 4 failed" in result.stderr
    errors = sqlite3.connect(db).execute("SELECT source FROM ingest_errors").fetchall()
    assert len(errors) == 8

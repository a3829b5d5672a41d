"""`junheng serve`: Datasette on the database, with junheng's Chinese search, labels and facets.

In-process tests go through `Datasette.client`; the browser test runs the real command and
drives Debian's headless Chromium with selenium. Set JUNHENG_SCREENSHOT=docs/serve.png to
have the browser test save the search results page for the README.
"""
import asyncio
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

from conftest import ROOT, require_system_part, run
from junheng.document import Document, Evidence, Figure, MeasureHit
from junheng.store.search import Filters, matches, parse_query, search_documents
from junheng.outputs.serve import build_datasette
from junheng.store.database import open_db, save_document

QUERIES = ["县管校聘", '"劝返复学"', "大班额 -集团化", "县管校聘 OR 区管校聘", "“县管校聘”"]
BROWSER_TIMEOUT_S = 20


def fetch(db_path: Path, *paths: str) -> list:
    """GET each path from a fresh in-process Datasette; the responses."""
    datasette = build_datasette(db_path)

    async def fetch_all():
        return [await datasette.client.get(path) for path in paths]

    responses = asyncio.run(fetch_all())
    for path, response in zip(paths, responses):
        assert response.status_code == 200, (path, response.text[:500])
    return responses


def containing(db_path: Path, query_text: str) -> set[int]:
    """Ids of the stored documents (reposts aside) whose text satisfies the query literally."""
    query = parse_query(query_text)
    with closing(sqlite3.connect(db_path)) as conn:
        rows = conn.execute("SELECT id, text FROM documents WHERE duplicate_of IS NULL").fetchall()
    return {doc_id for doc_id, text in rows if matches(query, text)}


@pytest.mark.parametrize("query_text", QUERIES)
def test_search_query_finds_what_junheng_search_finds(corpus_db, query_text):
    [response] = fetch(corpus_db, f"/corpus/search.json?_shape=array&{urlencode({'q': query_text})}")
    found = [row["document_id"] for row in response.json()]
    expected = [r["id"] for r in search_documents(open_db(corpus_db), query_text, Filters(), limit=1000)]
    assert found and found == expected  # same documents, same bm25 order
    assert set(found) == containing(corpus_db, query_text)


def test_search_query_finds_exactly_the_documents_containing_xianguanxiaopin(corpus_db):
    with closing(sqlite3.connect(corpus_db)) as conn:
        expected = {i for (i,) in conn.execute(
            "SELECT id FROM documents WHERE duplicate_of IS NULL AND instr(text, '县管校聘') > 0")}
    [response] = fetch(corpus_db, "/corpus/search.json?_shape=array&q=县管校聘")
    rows = response.json()
    assert len(expected) >= 5 and {row["document_id"] for row in rows} == expected
    assert all("【县管校聘】" in row["snippet"] for row in rows)


@pytest.mark.parametrize("query_text", ["", "-县管校聘"])
def test_search_query_without_a_term_to_look_for_finds_nothing(corpus_db, query_text):
    [response] = fetch(corpus_db, f"/corpus/search.json?_shape=array&{urlencode({'q': query_text})}")
    assert response.json() == []


@pytest.mark.parametrize("query_text", QUERIES + ["-县管校聘"])
def test_documents_search_box_uses_junheng_search(corpus_db, query_text):
    path = f"/corpus/documents.json?_shape=objects&_size=max&{urlencode({'_search': query_text})}"
    [response] = fetch(corpus_db, path)
    assert {row["id"] for row in response.json()["rows"]} == containing(corpus_db, query_text)


@pytest.mark.parametrize("facet", ["doc_type", "province"])
def test_a_facet_narrows_the_search_hits(corpus_db, facet):
    base = "/corpus/documents.json?_shape=objects&_size=max&_search=县管校聘"
    [searched] = fetch(corpus_db, base)
    hits = {row["id"] for row in searched.json()["rows"]}
    top = searched.json()["facet_results"][facet]["results"][0]
    assert 0 < top["count"] < len(hits)
    [narrowed] = fetch(corpus_db, f"{base}&{facet}={top['value']}")
    rows = narrowed.json()["rows"]
    assert len(rows) == top["count"] and {row["id"] for row in rows} < hits
    assert {row[facet] for row in rows} == {top["value"]}


def test_pages_render_with_labels_links_and_search_box(corpus_db):
    table, ranked, row = fetch(corpus_db, "/corpus/documents?_search=县管校聘", "/corpus/search?q=县管校聘",
                               "/corpus/documents/3")
    assert "文档 Documents" in table.text and 'name="_search" value="县管校聘"' in table.text
    assert 'data-column-description="文种 Document type' in table.text
    assert '<a href="/corpus/documents/' in ranked.text  # result titles open the document
    assert 'class="col-text' in row.text


def test_every_table_and_column_has_a_label(corpus_db):
    datasette = build_datasette(corpus_db)
    database = datasette.get_database("corpus")
    hidden = set(asyncio.run(database.hidden_table_names()))
    for table in asyncio.run(database.table_names()):
        if table in hidden:
            continue
        metadata = datasette.table_metadata("corpus", table)
        columns = asyncio.run(database.table_columns(table))
        assert metadata.get("title") and metadata.get("description"), table
        assert set(columns) <= set(metadata.get("columns", {})), (table, set(columns) - set(metadata["columns"]))


def test_the_database_cannot_be_written_through_datasette(corpus_db):
    database = build_datasette(corpus_db).get_database("corpus")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(database.execute_write("DELETE FROM documents"))


def test_document_query_shows_its_figures_and_measures(tmp_path):
    text = "全县推行县管校聘改革。小学生均公用经费标准为600元，大班额由53个减少到15个。"
    figures = [Figure("per_student_funding", 600, "yuan", "小学生均公用经费标准为600元", 11, 26, level="primary"),
               Figure("large_class_count", 15, "class", "大班额由53个减少到15个", 27, 40, previous=53)]
    measures = [MeasureHit("county_managed_teachers", 0.91, [Evidence("全县推行县管校聘改革。", 0, 11)])]
    db = open_db(tmp_path / "small.db", create=True)
    doc_id = save_document(db, Document("a.txt", "a" * 64, text, "txt", title="测试县报告",
                                        figures=figures, measures=measures))
    [response] = fetch(tmp_path / "small.db", f"/small/document.json?_shape=array&id={doc_id}")
    rows = [(r["kind"], r["item"], r["value"], r["previous"], r["text"]) for r in response.json()]
    assert rows == [("数据 figure", "per_student_funding", 600, None, "小学生均公用经费标准为600元"),
                    ("数据 figure", "large_class_count", 15, 53, "大班额由53个减少到15个"),
                    ("措施 measure", "county_managed_teachers", 0.91, None, "全县推行县管校聘改革。")]
    assert {r["title"] for r in response.json()} == {"测试县报告"}


def test_serve_needs_an_existing_database(tmp_path):
    result = run("serve", "--db", tmp_path / "missing.db")
    assert result.exit_code == 2 and "no database" in result.output


# --- the real command in a real browser ---------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(db_path: Path):
    """`junheng serve` in a subprocess on a free port; yields (process, base URL)."""
    port = _free_port()
    log = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a full pipe would block the server
    process = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--db", str(db_path), "--port", str(port)],
                               cwd=ROOT, stderr=log, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"junheng serve exited: {log.seek(0) or log.read()}"
            assert time.monotonic() < deadline, "junheng serve did not start listening within 30 s"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture
def browser():
    """Headless Debian Chromium through chromedriver (skips without them, fails under
    JUNHENG_REQUIRE_SYSTEM=1)."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        require_system_part("Chromium and its driver are missing", "apt-get install -y chromium chromium-driver")
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tempfile.mkdtemp(prefix="junheng-chromium-")
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1400,1000", f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    driver.set_page_load_timeout(BROWSER_TIMEOUT_S)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _column(driver, column: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, f"table.rows-and-columns td.col-{column}")]


def _submit(driver, field_selector: str, text: str, url_part: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    field = driver.find_element(By.CSS_SELECTOR, field_selector)
    field.clear()
    field.send_keys(text, Keys.ENTER)
    WebDriverWait(driver, BROWSER_TIMEOUT_S).until(lambda d: url_part in d.current_url)


def test_browser_search_and_facet(browser, corpus_db, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    expected = [r["id"] for r in search_documents(open_db(corpus_db), "县管校聘", Filters(), limit=1000)]
    db_path = tmp_path / "junheng.db"  # the default name, so the pages are /junheng/…
    source, copy = sqlite3.connect(corpus_db), sqlite3.connect(db_path)
    source.backup(copy)
    source.close()
    copy.close()
    with served(db_path) as (process, url):
        browser.get(f"{url}/junheng/search")  # the ranked search form
        _submit(browser, "input[name=q]", "县管校聘", "q=")
        assert [int(i) for i in _column(browser, "document_id")] == expected
        assert all("【县管校聘】" in snippet for snippet in _column(browser, "snippet"))

        browser.get(f"{url}/junheng/documents")  # the table's Search box, then a facet
        _submit(browser, "#_search", "县管校聘", "_search=")
        hits = {int(i) for i in _column(browser, "id")}
        assert hits == set(expected)
        facet = browser.find_element(By.CSS_SELECTOR, "#facet-doc_type li a")
        value = facet.text
        facet.click()
        WebDriverWait(browser, BROWSER_TIMEOUT_S).until(lambda d: "doc_type=" in d.current_url)
        narrowed = {int(i) for i in _column(browser, "id")}
        assert narrowed and narrowed < hits and set(_column(browser, "doc_type")) == {value}
        if os.environ.get("JUNHENG_SCREENSHOT"):
            browser.get(f"{url}/junheng/search?q=县管校聘")
            browser.save_screenshot(os.environ["JUNHENG_SCREENSHOT"])

        process.send_signal(signal.SIGINT)  # Ctrl-C stops the server cleanly
        assert process.wait(timeout=BROWSER_TIMEOUT_S) == 0

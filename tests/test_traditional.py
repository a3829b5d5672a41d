"""Pages in traditional characters, and pinyin after characters, read like simplified text."""
import json
import sqlite3

import pytest

from conftest import run
from junheng.text import traditional
from junheng.text.clean import build_document
from junheng.document import Block, RawDocument
from junheng.process import enrich, extract_bytes
from junheng.store.search import parse_query
from junheng.store.tokens import _tokens, index_tokens


def extract(text: str):
    return extract_bytes(text.encode("utf-8"), "t.txt", ".txt")


def found(doc):
    return [(f.metric, f.value, f.unit, f.status, f.year) for f in doc.figures]


@pytest.mark.parametrize("written, simplified", [
    ("全縣義務教育鞏固率達到99.5%。", "全县义务教育巩固率达到99.5%。"),
    ("2023年全縣投入教育經費3.2億元，新建學校5所。", "2023年全县投入教育经费3.2亿元，新建学校5所。"),
    ("全縣共有專任教師2684人。", "全县共有专任教师2684人。"),
    # The year comes from the page's date, which metadata reads first.
    ("某縣教育局工作總結\n發佈日期：2021-12-20\n全年新建學校5所。", "某县教育局工作总结\n发布日期：2021-12-20\n全年新建学校5所。"),
])
def test_a_traditional_page_gives_the_figures_of_its_simplified_form(written, simplified):
    doc, plain = extract(written), extract(simplified)
    assert found(doc) and found(doc) == found(plain)
    for figure, twin in zip(doc.figures, plain.figures):
        assert traditional.simplified(doc.text) == plain.text != doc.text  # stored as written
        assert figure.text == doc.text[figure.start:figure.end]
        assert (figure.start, figure.end) == (twin.start, twin.end)
        assert traditional.simplified(figure.text) == twin.text


def test_offsets_step_over_a_pinyin_annotation():
    written = "今年全縣義(yì)務教育鞏固率達到99.5%。"
    doc = extract(written)
    assert found(doc) == found(extract("今年全县义务教育巩固率达到99.5%。"))
    (figure,) = doc.figures
    assert figure.text == written[figure.start:figure.end] == "義(yì)務教育鞏固率達到99.5%"


def test_table_cells_of_a_traditional_page_point_at_the_stored_text():
    rows = [["項目", "2017年", "2018年"], ["教育經(jīng)費總投入", "52310", "56870"]]
    raw = RawDocument(format="docx", blocks=[Block(text="某縣教育工作報告"), Block(text="單位：萬元"), Block(rows=rows)])
    doc = build_document(raw, "t.docx", "0")
    doc.page_meta["published"] = "2019-03-01"
    enrich(doc)
    assert [(f.metric, f.value, f.year) for f in doc.figures] == [
        ("education_spending", 523_100_000, 2017), ("education_spending", 568_700_000, 2018)]
    assert all(f.text == doc.text[f.start:f.end] for f in doc.figures)
    assert "經(jīng)費" in doc.text  # stored as written


@pytest.mark.parametrize("written, read", [
    ("學(xué)校", "学校"),
    ("學（xué）生", "学生"),
    ("綠(lǜ)化", "绿化"),
    ("縣(xian)城", "县城"),  # toneless, but a whole pinyin syllable
    ("推進(jìn)縣(xiàn)管校聘", "推进县管校聘"),
])
def test_pinyin_after_a_character_is_dropped(written, read):
    assert traditional.reading(written).text == read


@pytest.mark.parametrize("text", [
    "学校建设(2023年)", "（一）加大投入", "经费(万元)", "地区生产总值(GDP)", "图(a)", "测试(ok)", "(xué)开头",
    "学校（Xue）",
])
def test_real_brackets_are_kept(text):
    assert traditional.reading(text).text == text


# 乾 and 著 are characters t2s changes (乾屯 would become 干屯), too few here to make a traditional page.
LONE = ("福寿社区乾屯安置点配套小学今年秋季建成投用，新增学位八百个。" + "全县新建改建校舍三万平方米，改善农村学校办学条件，" * 3
        + "著名学者到校讲座。")


@pytest.mark.parametrize("text", ["全县义务教育巩固率达到99.5%。", LONE])
def test_a_simplified_text_is_left_as_it_is(text, monkeypatch):
    traditional.reading("縣")  # the character table is made before the converter is taken away

    def no_converter():
        raise AssertionError("the converter ran on a simplified text")

    monkeypatch.setattr(traditional, "_converter", no_converter)
    view = traditional.reading(text)
    assert view.plain and view.text is text and view.span(2, 5) == (2, 5)


def test_a_short_simplified_text_keeps_its_words_through_the_converter():
    assert traditional.reading("著名学者讲座，乾隆年间").text == "著名学者讲座，乾隆年间"


def test_a_county_written_in_traditional_resolves():
    doc = extract("河南省蘭考縣教育局關於推進縣管校聘改革的通知\n全縣共有專任教師2684人。")
    assert (doc.region.code, doc.region.county) == ("410225", "兰考县")
    assert doc.title == "河南省兰考县教育局关于推进县管校聘改革的通知"


def test_a_traditional_query_also_looks_for_its_simplified_form():
    assert parse_query("縣管校聘 -大班額").groups == [["縣管校聘", "县管校聘"]]
    assert parse_query("县管校聘").groups == [["县管校聘"]]


@pytest.fixture(scope="module")
def mixed_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    (folder / "traditional.txt").write_text("某縣教育局工作總結\n今年全縣全面推行縣管校聘改革，交流教師120人。",
                                            encoding="utf-8")
    (folder / "simplified.txt").write_text("某县教育局工作总结\n今年全县深化县管校聘管理改革。", encoding="utf-8")
    db = folder / "pages.db"
    assert run("ingest", folder, "--db", db).exit_code == 0
    return db


@pytest.mark.parametrize("query", ["县管校聘", "縣管校聘"])
def test_search_finds_both_forms(mixed_db, query):
    result = run("search", query, "--db", mixed_db, "--format", "json")
    hits = {hit["source"].rsplit("/", 1)[-1]: hit["snippet"] for hit in json.loads(result.output)}
    assert set(hits) == {"traditional.txt", "simplified.txt"}
    assert "【縣管校聘】" in hits["traditional.txt"] and "【县管校聘】" in hits["simplified.txt"]


def test_a_version_4_index_of_traditional_text_is_rebuilt(mixed_db, tmp_path):
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path)
    sqlite3.connect(mixed_db).backup(conn)  # with what its write-ahead log still holds
    doc_id, text = conn.execute("SELECT id, text FROM documents WHERE source LIKE '%traditional.txt'").fetchone()
    # What version 4 indexed: the stored text's own bigrams.
    conn.execute("INSERT INTO documents_fts(documents_fts, rowid, tokens) VALUES ('delete', ?, ?)",
                 [doc_id, index_tokens(text)])
    conn.execute("INSERT INTO documents_fts(rowid, tokens) VALUES (?, ?)", [doc_id, " ".join(_tokens(text))])
    conn.execute("UPDATE junheng_meta SET value = '4' WHERE key = 'schema_version'")
    conn.commit()
    result = run("search", "县管校聘", "--db", path, "--format", "json")
    assert len(json.loads(result.output)) == 2

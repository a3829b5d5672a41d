"""The development set's scoring rule (pipeline/evaluation/dev_scores.py) and its renderer
(corpus/render_dev.py), on made-up documents: these run without ../shared/dev."""
import sys

import pytest

from conftest import CORPUS
from junheng.evaluation.dev_scores import match_in_order, region_right, score_figures, score_metadata
from junheng.document import Document, Figure, Region


def figure(metric, value, start=0):
    return Figure(metric=metric, value=value, unit="", text=f"{value}", start=start, end=start + 1)


def test_gold_in_file_order_takes_the_first_free_prediction():
    # The corpus matcher pairs closest values first; the dev rule does not: the first gold
    # figure takes the first prediction within 0.5%, even when a later gold figure fits it better.
    gold = [{"metric": "m", "value": 100.0}, {"metric": "m", "value": 100.4}]
    predicted = [figure("m", 100.4, 1), figure("m", 300.0, 2)]
    assert match_in_order(gold, predicted) == [(0, 0)]
    assert match_in_order(gold, [figure("x", 100.0)]) == []
    assert match_in_order(gold, [figure("x", 100.0)], same_metric=False) == [(0, 0)]


def test_figures_are_pooled_and_subsets_counted_apart():
    gold = {"dt01": {"figures": [{"metric": "m", "value": 5, "text": "5所"}]},
            "dm24": {"figures": [{"metric": "m", "value": 7, "text": "7所"}, {"metric": "n", "value": 9, "text": "9人"}]}}
    docs = {"dt01": Document(source="", sha256="", text="", format="txt", figures=[figure("m", 5)]),
            "dm24": Document(source="", sha256="", text="", format="txt", figures=[figure("n", 7)])}
    result = score_figures(gold, docs)
    assert (result["all"]["gold"], result["all"]["predicted"], result["all"]["matched"]) == (3, 2, 1)
    assert result["all"]["value_recall"] == round(2 / 3, 4)
    assert result["tables"]["f1"] == 1.0 and result["traditional"]["matched"] == 0
    assert [m["text"] for m in result["misses"]] == ["7所", "9人"]
    assert score_figures(gold, {"dt01": None, "dm24": None})["all"]["recall"] == 0.0  # unreadable: nothing found


def test_region_without_gold_is_right_only_when_nothing_is_predicted():
    assert region_right({"code": "330000"}, Region(code="330000", province="浙江省"))
    assert region_right(None, Region())
    assert region_right({"code": None}, Region())
    assert not region_right({"code": None}, Region(mentioned_as="我县"))
    gold = {"a": {"region": None, "doc_type": "news", "balance_stage": None}}
    doc = Document(source="", sha256="", text="", format="txt", doc_type="news", region=Region(mentioned_as="我县"))
    result = score_metadata(gold, {"a": doc})
    assert result["region"]["accuracy"] == 0.0 and result["doc_type"]["accuracy"] == 1.0


@pytest.fixture(scope="module")
def render_dev():
    pytest.importorskip("reportlab")
    sys.path.insert(0, str(CORPUS))
    import render_dev

    return render_dev


TEXT = "当前位置：首页 > 新闻\n某某县教育局召开义务教育优质均衡发展推进会\n全县新建学校3所。\n学校 | 班级数\n一中 | 24\n二中 | 18\n"


def test_html_page_has_chrome_a_table_and_one_of_two_encodings(render_dev):
    pages = {doc_id: render_dev.render_dev_html(doc_id, TEXT) for doc_id in ("a1", "a2", "a3", "a4", "a5", "a6")}
    charsets = {b"charset=gbk" in page for page in pages.values()}
    assert charsets == {True, False}
    page = pages["a1"].decode("gbk" if b"charset=gbk" in pages["a1"] else "utf-8")
    assert '<div class="side"><h3>' in page and "<li>" in page and 'class="share"' in page and 'class="footer"' in page
    assert "<th>学校</th><th>班级数</th>" in page and "<td>一中</td><td>24</td>" in page
    assert "<h1>某某县教育局召开义务教育优质均衡发展推进会</h1>" in page  # not the breadcrumb line


def test_pdf_rendering_reads_back(render_dev, tmp_path):
    from junheng.process import extract_path

    path = tmp_path / "a1.pdf"
    path.write_bytes(render_dev.render_dev_pdf("a1", TEXT))
    doc = extract_path(path)
    assert "全县新建学校3所" in doc.text and doc.tables

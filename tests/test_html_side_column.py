"""A side column or related-links list beside the article is chrome even when its items are
plain text, for pages with a marked article container and for pages trafilatura reads; an
article's own list stays."""
from __future__ import annotations

import pytest

from junheng.process import extract_bytes

# Sentences written for these tests.
ARTICLE = "".join(f"<p>{text}</p>" for text in (
    "近年来，全县把义务教育优质均衡发展摆在教育工作的首位，统筹推进城乡学校建设。",
    "全县现有义务教育学校38所，在校学生26400人，专任教师2150人，小学生师比为15.8:1。",
    "县财政每年安排专项资金改善农村学校条件，新建校舍一万八千平方米，改造运动场九块。",
    "下一步，全县将继续深化集团化办学，让优质教育资源更多地向乡村学校延伸。",
))
TITLE = "某县义务教育优质均衡发展工作情况报告"
SIDE_ITEMS = ["双减工作专栏", "我县召开课后服务工作推进会", "县教育局部署暑期校园安全工作"]


def side_list(attribute: str = 'class="side"', tag: str = "div") -> str:
    items = "".join(f"<li>{item}</li>" for item in SIDE_ITEMS)
    return f"<{tag} {attribute}><h3>专题</h3><ul>{items}</ul></{tag}>"


def marked_page(side: str) -> str:
    """The CMS-marked container (id="zoom") holds the article and, after it, the side list."""
    return (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
            f'<div id="zoom"><div class="article-body">{ARTICLE}</div>{side}</div></body></html>')


def plain_page(side: str) -> str:
    """No marked container: trafilatura reads the page."""
    return (f"<html><head><title>{TITLE}</title></head><body><div class=\"wrap\">"
            f'<div class="content"><h1>{TITLE}</h1>{ARTICLE}</div>{side}</div></body></html>')


def extract(page: str):
    return extract_bytes(page.encode("utf-8"), "page.html", ".html")


SIDES = {
    "class side": side_list(),
    "id right": side_list('id="right"'),
    "class xgwz": side_list('class="xgwz"'),
    "class hot-list": side_list('class="hot-list"'),
    "class news_rank": side_list('class="news_rank"'),
    "aside": side_list("", tag="aside"),
    "bare ul": "<ul>" + "".join(f"<li>{item}</li>" for item in SIDE_ITEMS) + "</ul>",
}


@pytest.mark.parametrize("layout", [marked_page, plain_page], ids=["marked", "trafilatura"])
@pytest.mark.parametrize("side", list(SIDES.values()), ids=list(SIDES))
def test_side_column_items_stay_out_of_the_text(layout, side):
    doc = extract(layout(side))
    assert "集团化办学" in doc.text and "26400人" in doc.text
    for item in SIDE_ITEMS:
        assert item not in doc.text
    assert "double_reduction" not in {hit.measure for hit in doc.measures}


def test_a_side_column_in_a_layout_table_cell_is_dropped():
    items = "".join(f"<li>{item}</li>" for item in SIDE_ITEMS)
    page = f"<html><body><table><tr><td><h1>{TITLE}</h1>{ARTICLE}</td><td><ul>{items}</ul></td></tr></table></body></html>"
    doc = extract(page)
    assert "集团化办学" in doc.text and not any(item in doc.text for item in SIDE_ITEMS)


ARTICLE_LIST = ["实行县管校聘管理改革", "推进城乡学校结对帮扶", "落实双减政策要求"]


@pytest.mark.parametrize("layout", [marked_page, plain_page], ids=["marked", "trafilatura"])
def test_the_articles_own_list_is_kept(layout):
    own = "<p>今年全县重点推进以下工作：</p><ul>" + "".join(f"<li>{item}</li>" for item in ARTICLE_LIST) + "</ul>"
    page = layout(side_list()).replace(ARTICLE, ARTICLE[:-len("</p>")] + "</p>" + own + "<p>各项工作均已落实到校。</p>", 1)
    doc = extract(page)
    for item in ARTICLE_LIST:
        assert item in doc.text
    assert "双减工作专栏" not in doc.text


def test_a_left_column_holding_the_article_and_a_right_signature_stay():
    """On some sites the article *is* the "left" column, and a right-aligned signature sits
    in <div class="right">: names alone never drop the article or its lines."""
    signature = '<div class="right">某县教育局<br>2023年11月20日</div>'
    right = side_list('class="main-right"')
    page = (f'<html><body><div class="main-left"><h1>{TITLE}</h1><div id="zoom">{ARTICLE}{signature}</div></div>'
            f"{right}</body></html>")
    doc = extract(page)
    assert "集团化办学" in doc.text and "某县教育局" in doc.text and "2023年11月20日" in doc.text
    assert "双减工作专栏" not in doc.text

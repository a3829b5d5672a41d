"""The HTML reader on small pages shaped like government sites."""
import pytest

from junheng.ingest.html import read_html

ARTICLE = ("<p>全县现有义务教育学校48所，在校学生31250人。</p>"
           "<p>表1 全县义务教育学校办学条件</p>"
           "<table><tr><td>指标</td><td>小学</td><td>初中</td></tr>"
           "<tr><td>生均教学及辅助用房面积</td><td>5.2</td><td>6.8</td></tr></table>"
           "<p>近三年累计投入资金2.3亿元，新建、改扩建学校12所，消除大班额53个，"
           "全县义务教育学校全部达到省定办学标准。</p>"
           "<p>下一步，我县将深化集团化办学和县管校聘改革，推进城乡教师交流轮岗，巩固控辍保学成果。</p>")
SIDEBAR = "".join(f"<li><a href='/n/{i}.html'>某县召开第{i}次义务教育优质均衡推进会</a></li>" for i in range(12))
DISCLOSURE = ("<table class='xxgk'><tr><td>索引号</td><td>11341524/2022-00815</td>"
              "<td>发布机构</td><td>金寨县教育局</td></tr>"
              "<tr><td>发布日期</td><td>2022-06-18</td><td>主题分类</td><td>教育</td></tr></table>")


def page(container: str) -> bytes:
    return (f"<html><head><meta charset='utf-8'><title>金寨县义务教育情况报告_金寨县人民政府</title></head><body>"
            f"<div class='nav'><a href='/'>首页</a><a href='/zw/'>政务公开</a></div>{DISCLOSURE}"
            f"<div class='main'><h1>金寨县义务教育情况报告</h1>{container}</div>"
            f"<div class='side'><h3>相关文章</h3><ul>{SIDEBAR}</ul></div></body></html>").encode("utf-8")


@pytest.mark.parametrize("container", [
    f"<div id='zoom'>{ARTICLE}</div>",
    f"<div class='content TRS_Editor'>{ARTICLE}</div>",
    f"<div id='UCAP-CONTENT'><div class='TRS_UEDITOR'>{ARTICLE}</div></div>",
], ids=["zoom", "TRS_Editor", "UCAP"])
def test_a_marked_article_is_read_without_sidebars_and_with_its_disclosure_box(container):
    raw = read_html(page(container))
    lines = [block.text for block in raw.blocks if not block.is_table]
    tables = [block.rows for block in raw.blocks if block.is_table]
    assert lines[0] == "金寨县义务教育情况报告"  # the heading, from the page's title and <h1>
    assert not any("推进会" in line for line in lines)
    assert tables[0][0][:2] == ["索引号", "11341524/2022-00815"]
    # The data table stays where the article has it, after its caption.
    assert lines.index("表1 全县义务教育学校办学条件") + 1 == lines.index(
        "近三年累计投入资金2.3亿元，新建、改扩建学校12所，消除大班额53个，全县义务教育学校全部达到省定办学标准。")
    assert raw.blocks.index(next(b for b in raw.blocks if b.is_table and b.rows[0][0] == "指标")) == \
        [b.text for b in raw.blocks].index("表1 全县义务教育学校办学条件") + 1


def test_a_page_without_a_marked_article_is_read_whole():
    raw = read_html(page(f"<div class='article-body'>{ARTICLE}</div>"))
    text = "\n".join(block.text for block in raw.blocks if not block.is_table)
    assert "累计投入资金2.3亿元" in text


def test_an_empty_marked_container_is_not_taken_for_the_article():
    raw = read_html(page(f"<div id='zoom'></div><div class='article-body'>{ARTICLE}</div>"))
    text = "\n".join(block.text for block in raw.blocks if not block.is_table)
    assert "累计投入资金2.3亿元" in text


def test_a_title_cited_in_the_first_sentence_still_heads_the_text():
    body = "<p>以下是金寨县义务教育情况报告的全文，供参考。</p>" + ARTICLE
    raw = read_html(page(f"<div id='zoom'>{body}</div>"))
    assert raw.blocks[0].text == "金寨县义务教育情况报告"


def _article_lines(inner: str) -> list:
    filler = "<p>" + "全县义务教育学校办学条件持续改善，城乡差距逐步缩小。" * 5 + "</p>"
    raw = read_html(page(f"<div id='zoom'>{inner}{filler}</div>"))
    return [block.text if not block.is_table else block.rows for block in raw.blocks[1:]][1:-1]  # after the title and the box


@pytest.mark.parametrize("inner, expected", [
    ("第一段<br>第二段<br/>第三段", ["第一段", "第二段", "第三段"]),
    ("<p><span style='font-size:16px'>全县<font>共有</font><b>学校</b>48所</span></p>", ["全县共有学校48所"]),
    ("<p>正文</p><div style='display: none'>分享到微信</div><script>var a = 1;</script><!-- 注释 -->",
     ["正文"]),
    ("<p>  多余的\n   空白  </p>", ["多余的 空白"]),
    ("<table><tr><td>学段</td><td>学校数</td></tr><tr><td>小学</td><td>38</td></tr></table>",
     [[["学段", "学校数"], ["小学", "38"]]]),
    ("<table><tr><td><p>" + "长" * 160 + "</p><p>第二段</p></td></tr></table>", ["长" * 160, "第二段"]),
], ids=["br", "inline", "hidden", "spaces", "data-table", "layout-table"])
def test_a_marked_article_is_read_element_by_element(inner, expected):
    assert _article_lines(inner) == expected


def test_a_table_caption_is_the_line_before_its_rows():
    lines = _article_lines("<table><caption>表2 生均经费</caption><tr><td>小学</td><td>800</td></tr></table>")
    assert lines == ["表2 生均经费", [["小学", "800"]]]


def test_a_marked_element_whose_text_is_all_script_is_not_the_article():
    script = "<script>var 说明 = '" + "这是脚本里的文字" * 20 + "';</script>"
    raw = read_html(page(f"<div id='zoom'>{script}</div><div class='article-body'>{ARTICLE}</div>"))
    assert "累计投入资金2.3亿元" in "\n".join(block.text for block in raw.blocks if not block.is_table)

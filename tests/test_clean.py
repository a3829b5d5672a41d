import pytest

from junheng.text.clean import build_document, drop_chrome, drop_menu_runs, normalise, sniff_page_meta
from junheng.document import Block, RawDocument


@pytest.mark.parametrize("raw, expected", [
    ("全县共有学校１２３所", "全县共有学校123所"),
    ("教育经费总投入 10.67 亿元", "教育经费总投入10.67亿元"),
    ("辍学率０．９％", "辍学率0.9%"),
    ("\u3000\u3000全县  共有\u00a0学校", "全县共有学校"),
    ("Windows 10 系统", "Windows 10系统"),
    ("生师比19：1", "生师比19：1"),
    ("投入１，２３４万元", "投入1，234万元"),
    ("零\u200b宽字符", "零宽字符"),
])
def test_normalise_keeps_figures_together(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("line", [
    "当前位置：首页 > 政务公开 > 正文",
    "您现在的位置: 首页 >> 教育动态",
    "上一篇：关于做好控辍保学工作的通知",
    "【打印本页】【关闭窗口】",
    "版权所有：某某县人民政府",
    "黑ICP备12345678号 网站标识码2305230001",
    "浏览次数：1234",
    "字体：[大 中 小]",
    "发布时间：2019-04-04 来源：县教育局",
    "主办单位：某县人民政府办公室",
])
def test_chrome_lines_are_dropped(line):
    assert drop_chrome([Block(text=line)]) == []


def test_article_sentences_survive_even_with_chrome_words():
    sentence = "县教育局将上一年度的考核结果向社会公开，并在县政府网站的教育专栏发布，接受社会监督。" * 3
    assert drop_chrome([Block(text=sentence)]) == [Block(text=sentence)]


def test_related_article_list_is_dropped_with_its_items():
    blocks = [Block(text="全县推进县管校聘改革。"), Block(text="相关文章"),
              Block(text="某县县管校聘改革经验"), Block(text="大班额化解取得实效"),
              Block(text="这是一段很长的正文内容，说明列表已经结束，因此应当保留下来，不被误删。")]
    kept = [b.text for b in drop_chrome(blocks)]
    assert kept == ["全县推进县管校聘改革。", blocks[-1].text]


def test_info_bar_hints_are_kept_before_the_line_is_dropped():
    assert sniff_page_meta("发布时间：2020-11-18 来源：海西州教育局") == {
        "published": "2020-11-18", "source": "海西州教育局"}


def test_table_cells_point_into_the_text():
    raw = RawDocument("html", [Block(text="单位：万元"), Block(rows=[["项目", "2018年"], ["总投入", "１２００"]])])
    doc = build_document(raw, "x.html", "0" * 64)
    assert doc.text == "单位：万元\n项目\t2018年\n总投入\t1200"
    (table,) = doc.tables
    assert table.caption == "单位：万元"
    for row in table.rows:
        for cell in row:
            assert doc.text[cell.start:cell.end] == cell.text


def test_menu_runs_are_dropped_but_headings_and_signatures_stay():
    lines = ["微信公众号", "招聘交流群", "考生交流群", "微信小程序", "在线咨询",
             "一、基本情况", "全县共有学校38所。", "（一）加强领导", "宝清县人民政府", "2016年5月12日"]
    kept = [b.text for b in drop_menu_runs([Block(text=line) for line in lines])]
    assert kept == lines[5:]

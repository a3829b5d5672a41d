"""PDF lines are joined by what they say, not by how far they reach: a line that stops inside
a sentence runs on, however short (left-aligned text, half-width digits); headings, list
items, dates and signatures stand alone; a page break inside a sentence joins too."""
from __future__ import annotations

import io

import pytest

pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from junheng.text.clean import build_document  # noqa: E402
from junheng.ingest.pdf import read_pdf  # noqa: E402

FONT, SIZE, LEFT, TOP = "STSong-Light", 12, 80.0, 90.0
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def make_pdf(pages: list[list[tuple]], header: str | None = None) -> bytes:
    """Each line is (text,) at the left margin, (text, indent in characters), or
    (text, "right") set against the right margin; one blank line with ("",). A running
    header and page numbers only with `header` (on one page a header is just a line)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    for number, lines in enumerate(pages, start=1):
        if header:
            pdf.setFont(FONT, 9)
            pdf.drawCentredString(width / 2, height - 40, header)
            pdf.drawCentredString(width / 2, 40, f"- {number} -")
        pdf.setFont(FONT, SIZE)
        y = height - TOP
        for text, *where in lines:
            if where == ["right"]:
                pdf.drawRightString(width - LEFT, y, text)
            elif text:
                pdf.drawString(LEFT + (where[0] if where else 0) * SIZE, y, text)
            y -= SIZE * 1.6
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def text_of(pages, **kwargs) -> list[str]:
    doc = build_document(read_pdf(make_pdf(pages, **kwargs)), "test.pdf", "")
    return doc.text.split("\n")


# Body lines written for these tests, about 36 characters to a full line at 12 pt.
FULL = "全县四十二所义务教育学校的办学条件逐年改善，城乡之间的差距明显缩"
BODY = [
    ("全县义务教育学校共有四十二所，其中小学三十所、初中十二所，在校", 2),
    ("学生31250人，专任教师2380人，小学和初中的生师比分别为16.5:1",),  # stops short: digits
    ("和12.8:1，均达到省定标准。",),
]


def test_a_short_line_inside_a_sentence_runs_on():
    lines = text_of([BODY + [("各校生均公用经费足额拨付到位。", 2)]])
    assert "学生31250人，专任教师2380人，小学和初中的生师比分别为16.5:1和12.8:1，均达到省定标准。" in lines[0]
    assert lines[1] == "各校生均公用经费足额拨付到位。"


def test_ragged_lines_of_every_width_join_until_the_sentence_ends():
    ragged = [("农村学校的运动场地、", 2), ("功能教室和学生宿舍",), ("按标准配齐（见附表",),
              ("3），并由县财政统一",), ("安排维修资金。",), ("县教育局每年组织一次督导。", 2)]
    lines = text_of([ragged])
    assert lines == ["农村学校的运动场地、功能教室和学生宿舍按标准配齐（见附表3），并由县财政统一安排维修资金。",
                     "县教育局每年组织一次督导。"]


def test_headings_and_list_items_stand_alone():
    page = [("一、基本情况",), *BODY, ("（一）学校布局",), ("1.撤并一批规模过小的教学点",),
            ("2.新建两所九年一贯制学校",), ("第二章 保障措施",), ("全县教育经费投入逐年增长，其中2023年达到", 2),
            ("5.6亿元。",)]
    lines = text_of([page])
    assert lines[0] == "一、基本情况"
    assert lines[1].startswith("全县义务教育学校") and lines[1].endswith("均达到省定标准。")
    assert lines[2:6] == ["（一）学校布局", "1.撤并一批规模过小的教学点", "2.新建两所九年一贯制学校", "第二章保障措施"]
    assert lines[6] == "全县教育经费投入逐年增长，其中2023年达到5.6亿元。"


def test_a_page_break_inside_a_sentence_joins_and_page_furniture_goes():
    first = [("县里把教师交流轮岗作为缩小校际差距的重要办法，", 2), ("每年安排城区骨干教师到农村学校任教，",),
             (FULL,)]
    second = [("小，家长满意度逐年提高。",), ("下一步将继续推进集团化办学。", 2)]
    lines = text_of([first, second, [("全县学校的信息化设备全部更新到位。", 2)]], header="某县教育局文件")
    assert lines[0].endswith(FULL + "小，家长满意度逐年提高。")
    assert lines[1] == "下一步将继续推进集团化办学。"
    assert not any("某县教育局文件" in line or line.strip("- ").isdigit() for line in lines)


def test_a_sentence_end_with_a_closing_quote_ends_the_paragraph():
    page = [("为推进城乡学校共同发展，县委在全县教育工作会议上提出", 2), ("“办好每一所家门口的学校。”",),
            ("各乡镇随后制定了具体方案，并于当年秋季开学前全部上报", 2), ("县教育局备案。",)]
    assert text_of([page]) == ["为推进城乡学校共同发展，县委在全县教育工作会议上提出“办好每一所家门口的学校。”",
                               "各乡镇随后制定了具体方案，并于当年秋季开学前全部上报县教育局备案。"]


def test_signature_and_date_lines_stand_alone():
    page = [*BODY, ("",), ("某县人民政府教育督导室", "right"), ("2024年5月7日", "right")]
    lines = text_of([page])
    assert lines[-2:] == ["某县人民政府教育督导室", "2024年5月7日"]


def test_flush_paragraphs_set_apart_by_space_are_not_joined():
    """No indents: the blank line between paragraphs is the only mark, and it is kept even
    when the line before the gap does not end a sentence (a heading without a number)."""
    paragraphs = [[("工作成效",)], [("全县学校标准化建设全部完成，新建校舍两万平方米，改造",), ("运动场十二块。",)],
                  [("存在问题",)], [("农村学校音体美教师仍然不足，部分学校的",), ("实验室使用率不高。",)]]
    page = [line for paragraph in paragraphs for line in paragraph + [("",)]]
    assert text_of([page]) == ["工作成效", "全县学校标准化建设全部完成，新建校舍两万平方米，改造运动场十二块。",
                               "存在问题", "农村学校音体美教师仍然不足，部分学校的实验室使用率不高。"]

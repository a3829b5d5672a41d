"""DOCX (python-docx) and plain-text renderings."""
from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from render_model import Para, Report, TableBlock, stable_int

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


# ---------------------------------------------------------------- DOCX

def set_east_asian_font(run_or_style, name: str) -> None:
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def setup_normal_style(doc, size: float, font: str) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(size)
    set_east_asian_font(normal, font)


def add_title(doc, title: str) -> None:
    heading = doc.add_heading(level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.font.color.rgb = RGBColor(0, 0, 0)
    set_east_asian_font(run, "方正小标宋简体")


def add_para(doc, para: Para, size: float, use_heading_style: bool) -> None:
    if para.kind == "heading" and use_heading_style:
        heading = doc.add_heading(level=2)
        run = heading.add_run(para.text)
        run.font.color.rgb = RGBColor(0, 0, 0)
        set_east_asian_font(run, "黑体")
        return
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(para.text)
    if para.kind == "signature":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif para.kind in ("caption", "unit"):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if para.kind == "caption" else \
            WD_ALIGN_PARAGRAPH.RIGHT
    else:
        paragraph.paragraph_format.first_line_indent = Pt(2 * size)
    run.bold = para.kind in ("heading", "caption")


def add_table(doc, block: TableBlock) -> None:
    ncols = max(len(r) for r in block.rows)
    table = doc.add_table(rows=len(block.rows), cols=ncols)
    table.style = "Table Grid"
    for r, row in enumerate(block.rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = text
            if r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def set_core_properties(doc, report: Report) -> None:
    when = report.published or dt.date(2000, 1, 1)
    stamp = dt.datetime(when.year, when.month, when.day, 9, 0, 0)
    props = doc.core_properties
    props.title = report.title
    props.author = report.issuer or "Administrator"
    props.last_modified_by = "Administrator"
    props.created = props.modified = stamp
    props.revision = 1


def normalized_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps so re-runs are byte-identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME), src.read(info),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def render_docx(report: Report) -> bytes:
    h = stable_int(report.slug, "docx")
    size = [12, 14, 16][h % 3]
    doc = Document()
    setup_normal_style(doc, size, ["宋体", "仿宋_GB2312"][h // 3 % 2])
    add_title(doc, report.title)
    for block in report.blocks:
        if isinstance(block, TableBlock):
            add_table(doc, block)
        else:
            add_para(doc, block, size, use_heading_style=bool(h // 6 % 2))
    set_core_properties(doc, report)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalized_zip(buffer.getvalue())


# ---------------------------------------------------------------- TXT

TXT_ENCODINGS = ["gbk", "gbk", "utf-8", "utf-8-sig"]


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table_lines(block: TableBlock, aligned: bool) -> list[str]:
    if not aligned:
        return ["\t".join(row) for row in block.rows]
    ncols = max(len(r) for r in block.rows)
    widths = [max(display_width(r[i]) for r in block.rows if i < len(r)) for i in range(ncols)]
    return ["  ".join(cell + " " * (widths[i] - display_width(cell))
                      for i, cell in enumerate(row)).rstrip() for row in block.rows]


def txt_encoding(slug: str) -> str:
    return TXT_ENCODINGS[stable_int(slug, "txt-encoding") % len(TXT_ENCODINGS)]


def txt_line(block: Para, position: int, indent: str, fullwidth_digits: bool) -> str:
    text = block.text
    if fullwidth_digits and position % 3 == 1:
        text = text.translate(FULLWIDTH_DIGITS)
    return text if block.kind in ("signature", "caption", "unit") else indent + text


def render_txt(report: Report, fullwidth_digits: bool) -> bytes:
    """Title, optional publication line, paragraphs; table rows as tab- or space-aligned cells.

    GBK files are written as GB18030 (the same bytes for every GBK character) with CRLF.
    """
    h = stable_int(report.slug, "txt")
    indent = "\u3000\u3000" if h % 2 else ""
    gap = "\n\n" if h // 2 % 2 else "\n"
    lines = [report.title]
    if h // 4 % 2 and report.published:
        source = report.site.source or report.site.name
        lines.append(f"发布时间：{report.published.isoformat()}  来源：{source}")
    for i, block in enumerate(report.blocks):
        if isinstance(block, TableBlock):
            lines.append("\n".join(table_lines(block, aligned=bool(h // 8 % 2))))
        else:
            lines.append(txt_line(block, i, indent, fullwidth_digits))
    text = gap.join(lines) + "\n"
    encoding = txt_encoding(report.slug)
    if encoding == "gbk":
        return text.replace("\n", "\r\n").encode("gb18030")
    return text.encode(encoding)

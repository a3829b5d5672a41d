"""PDF renderings with reportlab: A4, built-in CID font STSong-Light, running header/footer.

STSong-Light is not embedded; it is written with the UniGB-UCS2-H CMap, so every character
is stored as its Unicode code point and extracts back exactly (pdfplumber/pdfminer). It
covers GBK; the Latin-1 signs it lacks (·, ², ®, …) are set in Times-Roman instead.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from render_model import Para, Report, TableBlock, stable_int

rl_config.invariant = 1
FONT = "STSong-Light"
LATIN_FONT = "Times-Roman"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
# Non-ASCII characters below U+2E80 that STSong-Light does map (found by round-tripping).
STSONG_LATIN_OK = set("¤¥§¨°±×àáèéêìíòó÷ùúü‐–—―‖‘’“”‥…‰′″‵※℃℅℉№℡")
PAGE_NUMBER_STYLES = ["dash_outer", "of_total", "hyphen"]


@dataclass
class PdfLook:
    font_size: float
    header: str  # running header text
    page_numbers: str  # one of PAGE_NUMBER_STYLES
    ruled: bool  # grid lines on tables
    meta_title: str | None


def choose_look(report: Report, ruled: bool) -> PdfLook:
    h = stable_int(report.slug, "pdf")
    short_title = report.title if len(report.title) <= 40 else report.title[:38] + "…"
    header = report.issuer if (h % 3 != 0 and report.issuer) else short_title
    meta_titles = [report.title, f"Microsoft Word - {report.title[:12]}（定稿）.docx", None]
    return PdfLook(font_size=[12, 14, 15, 16][h % 4], header=header,
                   page_numbers=PAGE_NUMBER_STYLES[(h // 4) % 3], ruled=ruled,
                   meta_title=meta_titles[(h // 12) % 3])


def needs_latin_font(ch: str) -> bool:
    return 0x80 <= ord(ch) < 0x2E80 and ch not in STSONG_LATIN_OK and in_cp1252(ch)


def in_cp1252(ch: str) -> bool:
    try:
        ch.encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def markup(text: str) -> str:
    """Paragraph markup: XML-escaped, signs STSong-Light lacks switched to Times-Roman."""
    out = []
    for ch in text:
        piece = escape(ch)
        out.append(f'<font name="{LATIN_FONT}">{piece}</font>' if needs_latin_font(ch) else piece)
    return "".join(out)


def styles(look: PdfLook) -> dict[str, ParagraphStyle]:
    size = look.font_size
    base = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=size * 1.75,
                          firstLineIndent=2 * size, alignment=TA_JUSTIFY, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=size + 6, leading=(size + 6) * 1.5,
                                firstLineIndent=0, alignment=TA_CENTER, spaceAfter=size * 1.5),
        "body": base,
        "heading": base,
        "caption": ParagraphStyle("caption", parent=base, firstLineIndent=0,
                                  alignment=TA_CENTER, spaceBefore=size * 0.5),
        "unit": ParagraphStyle("unit", parent=base, firstLineIndent=0, alignment=TA_RIGHT),
        "signature": ParagraphStyle("signature", parent=base, firstLineIndent=0,
                                    alignment=TA_RIGHT, rightIndent=2 * size),
        "cell": ParagraphStyle("cell", parent=base, fontSize=size - 2, leading=(size - 2) * 1.4,
                               firstLineIndent=0, alignment=TA_LEFT),
    }


CELL_PADDING = 6
MIN_CELL_FONT = 9


def best_break(text: str, size: float) -> int:
    """Where to split `text` over two lines: balanced, never inside a number or word."""
    def cost(k: int) -> float:
        return max(pdfmetrics.stringWidth(text[:k], FONT, size),
                   pdfmetrics.stringWidth(text[k:], FONT, size))

    breaks = [k for k in range(1, len(text))
              if not (text[k - 1].isascii() and text[k].isascii() and text[k] != " ")]
    return min(breaks, key=cost, default=len(text))


def two_line_width(text: str, size: float) -> float:
    k = best_break(text, size)
    return max(pdfmetrics.stringWidth(part, FONT, size) for part in (text[:k], text[k:]))


def header_markup(text: str, size: float, width: float) -> str:
    """A header cell: split at its best break when it does not fit on one line."""
    if pdfmetrics.stringWidth(text, FONT, size) <= width - 2 * CELL_PADDING - 1 + 0.01:
        return markup(text)
    k = best_break(text, size)
    return f"{markup(text[:k])}<br/>{markup(text[k:])}"


def natural_widths(rows: list[list[str]], size: float, header_lines: int = 1) -> list[float]:
    """One-line column widths; with header_lines=2 the header row may wrap once."""
    def width(r: int, i: int) -> float:
        text = rows[r][i] if i < len(rows[r]) else ""
        if r == 0 and header_lines == 2:
            return two_line_width(text, size)
        return pdfmetrics.stringWidth(text, FONT, size)

    ncols = max(len(r) for r in rows)
    return [max(width(r, i) for r in range(len(rows))) + 2 * CELL_PADDING + 1
            for i in range(ncols)]


def fair_share(natural: list[float], room: float) -> list[float]:
    """Max-min fair widths in `room`: one cap, the columns narrower than it keep theirs."""
    cap = room / len(natural)
    for width in sorted(natural):
        rest = [w for w in natural if w > width]
        if not rest or (room - sum(w for w in natural if w <= width)) / len(rest) < width:
            break
        cap = (room - sum(w for w in natural if w <= width)) / len(rest)
    return [min(w, cap) for w in natural]


def fitted_widths(natural: list[float], available: float, min_wrap: float) -> list[float]:
    """Keep the narrowest columns whole while the others keep >= min_wrap; those wrap."""
    order = sorted(range(len(natural)), key=lambda i: natural[i])
    kept: list[int] = []
    for i in order[:-1]:
        rest = len(natural) - len(kept) - 1
        if (available - sum(natural[k] for k in kept) - natural[i]) / rest < min_wrap:
            break
        kept.append(i)
    wrapping = [i for i in range(len(natural)) if i not in kept]
    shares = fair_share([natural[i] for i in wrapping], available - sum(natural[k] for k in kept))
    widths = list(natural)
    for i, width in zip(wrapping, shares):
        widths[i] = width
    return widths


def table_layout(rows: list[list[str]], size: float, available: float) -> tuple[float, list]:
    """Cell font and column widths: shrink the font, then let the header wrap, then the body."""
    for header_lines in (1, 2):
        for cell_size in range(int(size) - 2, MIN_CELL_FONT - 1, -1):
            natural = natural_widths(rows, cell_size, header_lines)
            if sum(natural) <= available:
                return cell_size, natural
    natural = natural_widths(rows, MIN_CELL_FONT, header_lines=2)
    return MIN_CELL_FONT, fitted_widths(natural, available, 5 * MIN_CELL_FONT + 2 * CELL_PADDING)


def table_flowable(block: TableBlock, st: dict, look: PdfLook, available: float) -> Table:
    cell_size, widths = table_layout(block.rows, look.font_size, available)
    cell_style = ParagraphStyle("cell", parent=st["cell"], fontSize=cell_size,
                                leading=cell_size * 1.4)
    ncols = len(widths)
    header = [header_markup(c, cell_size, w) for c, w in zip(block.rows[0], widths)]
    texts = [header] + [[markup(c) for c in r] for r in block.rows[1:]]
    rows = [[Paragraph(t, cell_style) for t in r] + [""] * (ncols - len(r)) for r in texts]
    table = Table(rows, colWidths=widths, repeatRows=1)
    commands = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING)]
    if look.ruled:
        commands += [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                     ("BOX", (0, 0), (-1, -1), 1, colors.black)]
    table.setStyle(TableStyle(commands))
    return table


def story(report: Report, look: PdfLook, available: float) -> list:
    st = styles(look)
    flowables = [Paragraph(markup(report.title), st["title"])]
    for i, block in enumerate(report.blocks):
        if isinstance(block, TableBlock):
            flowables += [table_flowable(block, st, look, available), Spacer(1, look.font_size)]
            continue
        first_signature = block.kind == "signature" and (
            i == 0 or getattr(report.blocks[i - 1], "kind", None) != "signature")
        if first_signature:
            flowables.append(Spacer(1, look.font_size * 1.5))
        flowables.append(Paragraph(markup(block.text), st[block.kind]))
    return flowables


def page_number_text(style: str, page: int, total: int) -> str:
    if style == "of_total":
        return f"第 {page} 页 共 {total} 页"
    if style == "hyphen":
        return f"- {page} -"
    return f"— {page} —"


def draw_page_furniture(canvas, doc, look: PdfLook, total: int) -> None:
    width, height = A4
    left, right = doc.leftMargin, width - doc.rightMargin
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(width / 2, height - 1.6 * cm, look.header)
    canvas.setLineWidth(0.6)
    canvas.line(left, height - 1.75 * cm, right, height - 1.75 * cm)
    canvas.setFont(FONT, 10.5)
    page = canvas.getPageNumber()
    text = page_number_text(look.page_numbers, page, total)
    if look.page_numbers == "dash_outer":
        draw = canvas.drawRightString if page % 2 else canvas.drawString
        draw(right if page % 2 else left, 1.5 * cm, text)
    else:
        canvas.drawCentredString(width / 2, 1.5 * cm, text)
    canvas.restoreState()


def build(report: Report, look: PdfLook, total: int) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2.8 * cm, rightMargin=2.6 * cm,
                            topMargin=3.0 * cm, bottomMargin=2.8 * cm, invariant=1,
                            title=look.meta_title or "", author=report.issuer or "Administrator",
                            subject="", creator="")

    def furniture(canvas, doc_):
        draw_page_furniture(canvas, doc_, look, total)

    doc.build(story(report, look, doc.width), onFirstPage=furniture, onLaterPages=furniture)
    return buffer.getvalue(), doc.page


def render_pdf(report: Report, ruled: bool) -> bytes:
    """Two passes: the first counts the pages for 第 N 页 共 M 页."""
    look = choose_look(report, ruled)
    _, total = build(report, look, 0)
    data, _ = build(report, look, total)
    return data

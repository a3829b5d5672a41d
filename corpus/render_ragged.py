"""Ragged PDFs: text set left-aligned, line by line, the way many county PDFs really look.

render_pdf.py justifies every line to the right margin, so a reader that joins lines "when
the line reaches the margin" looks better on it than on real files. Here lines end short:
runs of half-width digits and Latin letters are not split, punctuation is not allowed to
start a line, and each paragraph gets its own right edge (a few characters of play), so
the right edge of a body line says little about where a sentence ends. Each document gets
one of three paragraph styles seen in the genre: first-line indent, flush with a gap
between paragraphs, or flush with nothing (web pages printed to PDF).

    python corpus/render_ragged.py DIR OUT     # every DIR/*.txt -> OUT/<stem>.pdf
"""
from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfgen import canvas as pdf_canvas  # noqa: E402

from render_model import Para, Report, TableBlock, report_from_plain, rng_for  # noqa: E402
from render_pdf import FONT, LATIN_FONT, needs_latin_font  # noqa: E402

STYLES = ("indent", "gap", "flush")
NO_LINE_START = set("。，、；：！？）》」』”’%…,.;:!?)")  # kinsoku: never first on a line
NO_LINE_END = set("（《「『“‘(")
_UNBROKEN = re.compile(r"[A-Za-z0-9.%:/+\-_@]+")  # a number or Latin word is never split
_FULLWIDTH_DIGITS = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
LEFT, RIGHT, TOP, BOTTOM = 2.8 * cm, 2.6 * cm, 3.0 * cm, 2.8 * cm


@dataclass
class RaggedLook:
    size: float
    style: str  # one of STYLES
    play: int  # up to this many characters of random right-edge play per paragraph
    seed: str


def choose_look(slug: str, variant: int = 0) -> RaggedLook:
    rng = rng_for(slug, "ragged", str(variant))
    return RaggedLook(size=rng.choice([10.5, 12, 14, 15]), style=STYLES[(rng.randrange(3) + variant) % 3],
                      play=rng.choice([2, 4, 6]), seed=f"{slug}/{variant}")


def char_font(ch: str) -> str:
    return LATIN_FONT if needs_latin_font(ch) else FONT


def width_of(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(ch, char_font(ch), size) for ch in text)


def tokens(text: str) -> list[str]:
    """Unbreakable pieces: a Latin/digit run or one CJK character, with the punctuation that
    may not start a line glued to the piece before it and opening brackets to the piece after."""
    pieces: list[str] = []
    position = 0
    while position < len(text):
        match = _UNBROKEN.match(text, position)
        piece = match.group() if match else text[position]
        position += len(piece)
        if pieces and (piece[0] in NO_LINE_START or pieces[-1][-1] in NO_LINE_END):
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


def wrap(text: str, first_width: float, width: float, size: float) -> list[str]:
    lines, current, room = [], "", first_width
    for piece in tokens(text):
        if current and width_of(current + piece, size) > room:
            lines.append(current)
            current, room = piece.lstrip(), width
        else:
            current += piece
    if current:
        lines.append(current)
    return lines


class Pages:
    """A canvas that starts a new page (running header, page number) when the text runs out."""

    def __init__(self, header: str, look: RaggedLook):
        self.buffer = io.BytesIO()
        self.canvas = pdf_canvas.Canvas(self.buffer, pagesize=A4, invariant=1)
        self.header, self.look, self.page = header, look, 0
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        width, height = A4
        self.canvas.setFont(FONT, 9)
        self.canvas.drawCentredString(width / 2, height - 1.6 * cm, self.header)
        self.canvas.setFont(FONT, 10.5)
        self.canvas.drawCentredString(width / 2, 1.5 * cm, f"- {self.page} -")
        self.y = height - TOP

    def line(self, text: str, x: float, size: float, leading: float) -> None:
        if self.y - leading < BOTTOM:
            self.new_page()
        self.y -= leading
        for ch in text:  # character by character: Latin signs STSong-Light lacks switch font
            font = char_font(ch)
            self.canvas.setFont(font, size)
            self.canvas.drawString(x, self.y, ch)
            x += pdfmetrics.stringWidth(ch, font, size)

    def skip(self, space: float) -> None:
        self.y -= space

    def finish(self) -> bytes:
        self.canvas.save()
        return self.buffer.getvalue()


def set_paragraph(pages: Pages, block: Para, look: RaggedLook, rng) -> None:
    size, text_width = look.size, A4[0] - LEFT - RIGHT
    leading = size * 1.6
    text = block.text.translate(_FULLWIDTH_DIGITS)
    if block.kind == "signature":
        pages.line(text, A4[0] - RIGHT - 2 * size - width_of(text, size), size, leading)
        return
    width = text_width - rng.randint(0, look.play) * size
    indent = 2 * size if look.style == "indent" else 0.0
    for index, line in enumerate(wrap(text, width - indent, width, size)):
        pages.line(line, LEFT + (indent if index == 0 else 0.0), size, leading)
    if look.style == "gap":
        pages.skip(size * 0.8)


def render_ragged(report: Report, look: RaggedLook) -> bytes:
    rng = rng_for(look.seed, "widths")
    pages = Pages(report.title[:40], look)
    title_size = look.size + 6
    for line in wrap(report.title, A4[0] - LEFT - RIGHT, A4[0] - LEFT - RIGHT, title_size):
        pages.line(line, (A4[0] - width_of(line, title_size)) / 2, title_size, title_size * 1.5)
    pages.skip(look.size)
    for block in report.blocks:
        if isinstance(block, TableBlock):  # tables are not what this rendering is about
            block = Para("  ".join("  ".join(row) for row in block.rows))
        set_paragraph(pages, block, look, rng)
    return pages.finish()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    source, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.txt")):
        report = report_from_plain(path)
        look = choose_look(path.stem)
        (out / f"{path.stem}.pdf").write_bytes(render_ragged(report, look))
        print(f"{path.name}: {look.style}, {look.size}pt, play {look.play}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

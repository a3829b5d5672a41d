"""PDF reader (pdfplumber): lines rejoined into paragraphs, running headers, footers and page
numbers dropped, ruled tables found by their lines and borderless ones by column gaps.

A line break inside a Chinese sentence is layout, not text, so lines are joined without a
space; a new paragraph starts at an indent, after a short line, or at a heading.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from ..document import Block, RawDocument
from .errors import IngestError
from .pdf_tables import split_tables

_PAGE_NUMBER = re.compile(
    r"^[-—－–\s]*\d{1,4}[-—－–\s]*$|^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$"
)
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+[章节部分]|\d+[.、．](?!\d)|表\s*\d)")
_SENTENCE_END = "。！？；：”」"


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    char_width: float
    size: float  # font size: a title is set larger than the body
    segments: list[str]  # pieces separated by wide gaps (columns of a borderless table)
    spans: list[tuple[float, float]]  # x extent of each segment
    chars: list[tuple[float, float, str]]  # (x0, x1, text) of every visible character


def read_pdf(data: bytes) -> RawDocument:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_read_page(page) for page in pdf.pages]
            image_count = sum(len(page.images) for page in pdf.pages)
    except Exception as exc:  # pdfminer raises many types on damaged files, pdfplumber wraps some
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(cause).lower():
            raise IngestError("encrypted PDF: it needs a password to open")
        raise IngestError(f"damaged or truncated PDF ({_short(cause)})")
    if not any(lines or tables for lines, tables in pages):
        if image_count:
            raise IngestError("PDF has no text layer (a scanned image?): run OCR on it first")
        raise IngestError("PDF contains no text")
    return RawDocument(format="pdf", blocks=_blocks_from_pages(pages))


def _short(exc: object) -> str:
    return (str(exc).strip() or type(exc).__name__).splitlines()[0][:120]


def _read_page(page) -> tuple[list[_Line], list[tuple[float, list[list[str]]]]]:
    tables = page.find_tables() if (page.lines or page.rects) else []
    boxes = [table.bbox for table in tables]

    def outside_tables(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        return not any(x0 <= obj["x0"] and obj["x1"] <= x1 and top <= obj["top"] and obj["bottom"] <= bottom
                       for x0, top, x1, bottom in boxes)

    text_part = page.filter(outside_tables) if boxes else page
    lines = [_make_line(raw) for raw in text_part.extract_text_lines(return_chars=True, strip=True)]
    ruled = [(table.bbox[1], _clean_rows(table.extract())) for table in tables]
    return [line for line in lines if line.text], [(top, rows) for top, rows in ruled if rows]


def _make_line(raw: dict) -> _Line:
    chars = [c for c in raw["chars"] if c["text"].strip()]
    widths = sorted(c["x1"] - c["x0"] for c in chars) or [10.0]
    char_width = widths[len(widths) // 2]
    segments, spans, current, previous = [], [], "", None
    for char in chars:
        if previous is None or char["x0"] - previous["x1"] > 1.8 * char_width:
            if previous is not None:
                segments.append(current)
            spans.append([char["x0"], char["x1"]])
            current = ""
        current += char["text"]
        spans[-1][1] = char["x1"]
        previous = char
    segments.append(current)
    sizes = sorted(c.get("size", char_width) for c in chars) or [char_width]
    size = sizes[len(sizes) // 2]
    return _Line(raw["text"].strip(), raw["x0"], raw["x1"], raw["top"], raw["bottom"], char_width, size, segments,
                 [tuple(span) for span in spans], [(c["x0"], c["x1"], c["text"]) for c in chars])


def _clean_rows(rows: list[list[str | None]]) -> list[list[str]]:
    cleaned = [[re.sub(r"\s*\n\s*", "", cell or "").strip() for cell in row] for row in rows]
    return [row for row in cleaned if any(row)]


def _blocks_from_pages(pages) -> list[Block]:
    repeated = _running_lines(pages)
    body_size = _body_size(pages)
    items: list[tuple[str, object]] = []
    for lines, tables in pages:
        edges = {id(line) for line in lines[:2] + lines[-2:]}
        body = [line for line in lines if not _is_chrome(line, id(line) in edges, repeated, body_size)]
        body, borderless = split_tables(body, lambda line: len(line.segments) >= 2)
        tables = tables + borderless
        merged = sorted([(line.top, "line", line) for line in body] + [(top, "table", rows) for top, rows in tables],
                        key=lambda item: item[0])
        items.extend((kind, payload) for _, kind, payload in merged)
        items.append(("page_break", None))
    return _assemble(items, _margins(pages), body_size)


def _running_lines(pages) -> set[str]:
    """Lines that recur near the top or bottom of most pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines, _ in pages:
        edge = {_shape(line.text) for line in lines[:2] + lines[-2:]}
        counts.update(edge)
    return {shape for shape, n in counts.items() if n >= max(2, len(pages) // 2)}


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _is_chrome(line: _Line, at_edge: bool, repeated: set[str], body_size: float) -> bool:
    """A page number, or a running header/footer: a line at the top or bottom of the page
    that recurs on most pages, set no larger than the body (a title repeated as the running
    header is larger where it really stands)."""
    if _PAGE_NUMBER.match(re.sub(r"\s+", "", line.text)):
        return True
    return at_edge and _shape(line.text) in repeated and line.size <= body_size * 1.05


def _body_size(pages) -> float:
    sizes = sorted(line.size for lines, _ in pages for line in lines if len(line.text) > 8)
    return sizes[len(sizes) // 2] if sizes else 10.0


def _margins(pages) -> tuple[float, float]:
    lines = [line for page_lines, _ in pages for line in page_lines if len(line.text) > 8]
    if not lines:
        return 0.0, 0.0
    left = Counter(round(line.x0) for line in lines).most_common(1)[0][0]
    rights = sorted(line.x1 for line in lines)
    return float(left), rights[int(len(rights) * 0.9)]


def _assemble(items, margins, body_size: float) -> list[Block]:
    left, right = margins
    blocks: list[Block] = []
    paragraph: list[str] = []
    rows: list[list[str]] = []
    previous: _Line | None = None

    def flush() -> None:
        if paragraph:
            blocks.append(Block(text=_join(paragraph)))
            paragraph.clear()
        if len(rows) >= 2:
            blocks.append(Block(rows=list(rows)))
        elif rows:
            blocks.append(Block(text="  ".join(rows[0])))
        rows.clear()

    last_kind, crossed_page = None, False
    for kind, payload in items:
        if kind == "page_break":
            crossed_page = True
            continue
        continues_table = crossed_page and last_kind == kind == "table"
        last_kind, crossed_page = kind, False
        if continues_table and len(payload[0]) == len(blocks[-1].rows[0]):
            # A table running on over a page break is one table; a repeated header row goes.
            blocks[-1].rows.extend(payload[1:] if payload[0] == blocks[-1].rows[0] else payload)
        elif kind == "table":
            flush()
            blocks.append(Block(rows=payload))
            previous = None
        elif kind == "line":
            line = payload
            if len(line.segments) >= 2:
                if paragraph:
                    flush()
                rows.append([segment.strip() for segment in line.segments])
                previous = None
                continue
            if rows:
                flush()
            if previous is None or _starts_paragraph(line, previous, left, right, body_size):
                flush()
            paragraph.append(line.text)
            previous = line
    flush()
    return blocks


def _starts_paragraph(line: _Line, previous: _Line, left: float, right: float, body_size: float) -> bool:
    width = line.char_width
    if line.size > body_size * 1.15 and abs(line.size - previous.size) < 0.05 * line.size:
        return line.top - previous.bottom > 1.0 * (line.bottom - line.top)  # a title wrapped over lines
    if line.x0 > left + 1.2 * width:  # indented first line, centred title, signature block
        return True
    if previous.x1 < right - 2 * width:  # the previous line stopped short: it ended a paragraph
        return True
    if _HEADING.match(line.text) and previous.text[-1:] in _SENTENCE_END:
        return True
    return line.top - previous.bottom > 1.5 * (line.bottom - line.top)


def _join(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        glue = " " if text[-1:].isascii() and text[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum() else ""
        text += glue + line
    return text

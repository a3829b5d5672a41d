"""PDF reader (pdfplumber): lines rejoined into paragraphs, running headers, footers and page
numbers dropped, ruled tables found by their lines and borderless ones by column gaps.

A line break inside a Chinese sentence is layout, not text, so lines are joined without a
space. A line that stops inside a sentence runs on whatever its width (real PDFs are set
ragged); a new paragraph starts after a sentence's end at an indent, a gap or a short line,
and at a heading, list item, title, date or signature line.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from junheng.document import Block, RawDocument
from junheng.ingest.errors import IngestError
from junheng.ingest.pdf_tables import split_tables

_PAGE_NUMBER = re.compile(
    r"^[-—－–\s]*\d{1,4}[-—－–\s]*$|^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$"
)
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|[（(]\d{1,2}[）)]|第[一二三四五六七八九十]+[章节部分]"
                      r"|\d+[.、．](?!\d)|表\s*\d)")
_SENTENCE_END = "。！？；：;:!?"
_CLOSERS = "”’」』）)》〉】"  # after a sentence's mark: 。” and 。） end it too
_OPENERS = ("（", "(", "《", "“", "‘", "「", "【", "，", ",", "、")  # a line ending so runs on
_CLAUSE = re.compile(r"[，,、。；;！？!?]")


@dataclass
class _Layout:
    left: float  # the body's left edge
    right: float  # where full body lines end
    body_size: float
    indents: bool  # paragraphs open with an indented first line
    pitch: float  # the usual distance from one body line's top to the next one's
    gaps: bool  # paragraphs are set apart by space


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
    left, right = _margins(pages)
    pitch, gaps = _pitch(pages)
    return _assemble(items, _Layout(left, right, body_size, _indents(pages, left), pitch, gaps))


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


def _indents(pages, left: float) -> bool:
    """Whether paragraphs open indented by about two characters: then a flush line is the
    rest of a paragraph, however short the line before it stopped."""
    lines = [line for page_lines, _ in pages for line in page_lines if len(line.text) > 1]
    indented = sum(abs(line.x0 - left - 2 * line.char_width) < 0.5 * line.char_width for line in lines)
    return indented >= max(2, 0.05 * len(lines))


def _pitch(pages) -> tuple[float, bool]:
    """The median line pitch, and whether paragraphs are set apart by space: steps larger
    than the pitch come often (not only around the title, headings and signature)."""
    steps = sorted(line.top - above.top for lines, _ in pages for above, line in zip(lines, lines[1:])
                   if abs(line.size - above.size) < 0.05 * line.size and line.top > above.top)
    if not steps:
        return 0.0, False
    pitch = steps[len(steps) // 2]
    return pitch, sum(step > 1.3 * pitch for step in steps) >= max(2, 0.1 * len(steps))


def _assemble(items, layout: _Layout) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    rows: list[list[str]] = []
    previous: _Line | None = None
    first: _Line | None = None  # the paragraph's first line

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
            if previous is None or _starts_paragraph(line, previous, first, layout):
                flush()
                first = line
            paragraph.append(line.text)
            previous = line
    flush()
    return blocks


def _starts_paragraph(line: _Line, previous: _Line, first: _Line, layout: _Layout) -> bool:
    """Whether `line` starts a paragraph after `previous` (`first` opened the current one).

    The right edge is weak evidence: left-aligned text, half-width digits and unbroken Latin
    runs leave body lines short, so a line that stops inside a sentence runs on whatever its
    width. Stand-alone lines (headings, list items, titles, dates, signatures) and the ends of
    sentences are where paragraphs may break; there the indent, the gap and the edge decide."""
    if line.size > layout.body_size * 1.15 and abs(line.size - previous.size) < 0.05 * line.size:
        return line.top - previous.bottom > 1.0 * (line.bottom - line.top)  # a title wrapped over lines
    if line.top - previous.bottom > 1.5 * (line.bottom - line.top) or (
            layout.pitch and line.top - previous.top > 1.3 * layout.pitch and line.size == previous.size):
        return True  # a gap (a page break leaves none: the next page's line is higher up)
    if abs(line.size - previous.size) > 0.15 * line.size:
        return True
    if previous.text.endswith(_OPENERS):
        return False  # …，⏎ or …《⏎: certainly inside a sentence
    indented = line.x0 > layout.left + 1.2 * line.char_width
    if indented and layout.indents:
        return True  # where paragraphs open indented, a continuation line is flush
    if _stands_alone(previous, layout):
        return True
    ended = _ends_sentence(previous.text)
    if _HEADING.match(line.text):
        # A heading or the next list item, unless the line before stopped mid-sentence at
        # full length (…达到⏎3、… is rare, a heading after a comma rarer still).
        return ended or bool(_HEADING.match(first.text)) or not _CLAUSE.search(previous.text)
    if not ended:
        return False
    if indented:  # centred title, signature block
        return True
    if (layout.indents or layout.gaps) and not _is_short(previous, layout):
        return False  # no indent or space to open a paragraph: the rag, not a paragraph's end
    return previous.x1 < layout.right - 2 * line.char_width  # the previous line stopped short


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS)[-1:] in _SENTENCE_END or text[-1:] in _SENTENCE_END


def _is_short(line: _Line, layout: _Layout) -> bool:
    return line.x1 - line.x0 < 0.5 * (layout.right - layout.left)


def _stands_alone(line: _Line, layout: _Layout) -> bool:
    """A short line that does not end a sentence: a heading, list item, title, label, date or
    signature line. Inside a paragraph lines run at least half the width (only an unbreakable
    run longer than half a line would push one shorter), and a paragraph's last line ends
    with the sentence's mark."""
    return _is_short(line, layout) and not _ends_sentence(line.text)


def _join(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        glue = " " if text[-1:].isascii() and text[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum() else ""
        text += glue + line
    return text

"""HTML reader: the right encoding, the article's main text, tables as rows.

The article is the element a government CMS marks (html_article) or, on other pages, what
trafilatura finds; side columns and related-article lists are taken off first (html_side).

Site chrome that trafilatura keeps (breadcrumbs, print links, footers) is removed later by
`clean`, which knows the Chinese government-site patterns; here we only gather blocks and
the page's own hints (title, publication date, source).
"""
from __future__ import annotations

import re
from functools import lru_cache

from junheng.text.clean import sniff_page_meta
from junheng.document import Block, RawDocument
from junheng.ingest.html_article import LAYOUT_CELL_CHARS, marked_article_blocks
from junheng.ingest.html_side import strip_side_columns
from junheng.ingest.text import decode_bytes

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_META = re.compile(r"""<meta\s+[^>]*?(?:name|property)\s*=\s*["']([^"']+)["'][^>]*?content\s*=\s*["']([^"']*)["']""", re.I)
_BLOCK_TAGS = {"p", "head", "list", "item", "table", "row", "quote", "div", "code"}
# Containers whose end tag HTML requires, so open/close pairs can be counted in the raw markup.
_CONTAINER_TAG = re.compile(r"<(/?)(div|section|article|center|blockquote|table|ul|ol|span|font|b|i|u|em|strong|a)\b[^>]*>",
                            re.I)
_BLOCK_CONTAINERS = {"div", "section", "article", "center", "blockquote", "table", "ul", "ol"}
_MAX_NESTING = 100
_DATE_META_NAMES = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "others")


def read_html(data: bytes) -> RawDocument:
    declared = _CHARSET.search(data[:4096])
    markup, warnings = decode_bytes(data, declared.group(1).decode("ascii", "ignore") if declared else None)
    markup = _flatten_deep_nesting(markup.replace("\x00", ""))
    blocks, article_title = _main_blocks(markup)
    meta = _page_meta(markup)
    if article_title:
        meta["article_title"] = article_title
        if not any(_is_heading_of(block.text, article_title) for block in blocks[:5]):
            blocks.insert(0, Block(text=article_title))  # the heading starts the text, as in a PDF
    return RawDocument(format="html", blocks=blocks, page_meta=meta, warnings=warnings)


def _is_heading_of(line: str, title: str) -> bool:
    """The line is the title (perhaps with a little more: 标题：…), not a sentence citing it."""
    return title in line and len(line) <= len(title) + 8


def _flatten_deep_nesting(markup: str) -> str:
    """Drop container tags nested deeper than _MAX_NESTING, keeping their text: libxml2
    silently loses everything past 255 open elements, and trafilatura recurses per level."""
    kept: list[bool] = []  # one entry per open container: was its tag kept?
    pieces: list[str] = []
    done = 0
    for match in _CONTAINER_TAG.finditer(markup):
        if match.group(1):
            keep = kept.pop() if kept else True
        else:
            keep = len(kept) < _MAX_NESTING
            kept.append(keep)
        if not keep:
            between = markup[done:match.start()]
            block = match.group(2).lower() in _BLOCK_CONTAINERS
            # A run of dropped tags becomes one line break, not thousands of empty paragraphs.
            pieces += [between, "<br>" if block and (between.strip() or not pieces) else ""]
            done = match.end()
    return "".join(pieces) + markup[done:] if pieces else markup


def _main_blocks(markup: str) -> tuple[list[Block], str | None]:
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(markup)  # parsed once: the title and the extraction both read it
    if tree is None:
        return _fallback_blocks(markup), None
    title = _article_title(tree)
    strip_side_columns(tree)  # for both readers: a list beside the article is not its text
    marked = marked_article_blocks(tree)
    if marked is not None:
        return marked, title
    extracted = trafilatura.bare_extraction(tree, options=_extractor())
    if extracted is None or extracted.body is None:
        return _fallback_blocks(markup), None
    return list(_body_blocks(extracted.body)), title


@lru_cache(maxsize=1)
def _extractor():
    """trafilatura's settings, built once (reading its config costs as much as a small page).
    Recall mode. fast: no comparison with readability and justext, which trafilatura runs only
    on an extraction under 2,500 characters; it took a fifth of the reading time and chose
    trafilatura's own text on every corpus, seed and test page. "txt" rather than "python"
    output only skips serialising the body, which we walk ourselves. No metadata:
    _article_title takes the one field we use."""
    from trafilatura.settings import Extractor

    return Extractor(output_format="txt", fast=True, recall=True, comments=False, tables=True, formatting=False)


def _article_title(tree) -> str | None:
    """The title trafilatura's metadata gives (meta tags, JSON-LD, then <h1>/<title>), without
    the rest of that metadata (authors, dates, licence …): it costs as much as the extraction,
    and the date and source come from _page_meta."""
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

    meta = examine_meta(tree)
    try:
        meta = extract_meta_json(tree, meta)
    except Exception:  # trafilatura's own guard: its JSON-LD reader fails on odd data
        pass
    meta.title = meta.title or extract_title(tree)
    meta.clean_and_trim()  # trafilatura's trimming of every field (entities, spaces, length)
    return meta.title or None


def _body_blocks(body):
    for element in body:
        if element.tag == "table" and _is_layout_table(element):
            for cell in element.iter("cell"):
                yield from _body_blocks(cell) if len(cell) else _paragraphs(_text(cell))
        elif element.tag == "table":
            rows = [[_text(cell) for cell in row.iter("cell")] for row in element.iter("row")]
            rows = [row for row in rows if any(row)]
            if rows:
                yield Block(rows=rows)
        elif element.tag == "list":
            for item in element.iter("item"):
                yield from _paragraphs(_text(item))
        else:
            yield from _paragraphs(_text(element))


def _is_layout_table(table) -> bool:
    """Old government pages lay out the whole page with tables: a "table" whose cells hold
    many paragraphs or long text is layout, not data (a Word-pasted data table has one short
    paragraph per cell)."""
    for cell in table.iter("cell"):
        blocks = sum(child.tag in _BLOCK_TAGS for child in cell)
        if blocks > 3 or len(_text(cell)) > LAYOUT_CELL_CHARS:
            return True
    return False


def _paragraphs(text: str):
    for line in text.split("\n"):
        if line.strip():
            yield Block(text=line.strip())


def _text(element) -> str:
    return _inner_text(element).strip()


def _inner_text(element) -> str:
    # <lb/> is a line break inside a paragraph, and nested blocks are lines of their own.
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag in _BLOCK_TAGS:
            parts.append("\n" + _inner_text(child) + "\n")
        else:
            parts.append(_inner_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _fallback_blocks(markup: str) -> list[Block]:
    import lxml.html

    try:
        root = lxml.html.fromstring(markup)
    except Exception:  # lxml raises several types on junk; any of them means "no text"
        return []
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    return [Block(text=line.strip()) for line in root.text_content().splitlines() if line.strip()]


def _page_meta(markup: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    title = _TITLE.search(markup)
    if title:
        meta["html_title"] = re.sub(r"\s+", " ", _unescape(title.group(1))).strip()
    for name, content in _META.findall(markup[:20000]):
        if name.lower() in _DATE_META_NAMES and re.match(r"\d{4}", content.strip()):
            meta.setdefault("published", content.strip()[:10])
    visible = _unescape(re.sub(r"<[^>]+>", " ", markup))
    for key, value in sniff_page_meta(visible).items():
        meta.setdefault(key, value)
    return meta


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)

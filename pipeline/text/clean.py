"""Normalise text and drop site chrome, then lay the blocks out as the stored document text.

Normalisation keeps figures intact (１２３ → 123, 10.67 亿元 → 10.67亿元) but leaves Chinese
punctuation alone. The chrome patterns are data (data/chrome.tsv); before a line is dropped,
the date and source it may carry are kept as page hints for `metadata`. Both are written in
simplified characters and read a line's simplified reading (traditional.py), so a page from a
traditional mirror loses its chrome too (發佈日期 is 发布日期).
"""
from __future__ import annotations

import re
from functools import lru_cache

from junheng.document import Block, Cell, Document, RawDocument, Table
from junheng.text.data import data_rows
from junheng.text.traditional import simplified

_FULLWIDTH = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULLWIDTH.update({0xFF05: ord("%"), 0xFF0B: ord("+"), 0xFF0D: ord("-")})
_SPACES = re.compile(r"[\s\u3000\u00a0\u2000-\u200a\u202f\u205f]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…·"
# The space or the point comes first and the lookbehinds after it: a pattern that starts with
# a character lets re jump between candidates, one that starts with a lookbehind tries them all.
_SPACE_NEAR_CJK = re.compile(rf" (?:(?<=[{_CJK}] )(?=\S)|(?<=\S )(?=[{_CJK}]))")
_DECIMAL_POINT = re.compile(r"[．。](?<=\d[．。])(?=\d)")
_HAS_FULLWIDTH = re.compile("[" + "".join(map(chr, _FULLWIDTH)) + "]")
_PUBLISHED = re.compile(
    r"(?:发布时间|发布日期|发文日期|成文日期|更新时间|更新日期|日期|时间)\s*[:：]\s*"
    r"(\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}日?)"
)
_LONE_TIMESTAMP = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$", re.M)
_SOURCE = re.compile(r"(?:来源|信息来源|发布机构|来源单位)\s*[:：]\s*([^\s　|<>，,：:]{2,30})")
METADATA_LABEL = re.compile(r"^(索引号|主题分类|发布机构|成文日期|发文日期|发文字号|发文机关|发布日期|文号|有效性|主题词|名称|生成日期)$")
_LIST_ITEM_MAX = 40
_MENU_RUN = 4
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[.、．]|第[一二三四五六七八九十]+)")
CHROME_MAX = 150  # a long line is article text even when a chrome word appears in it


def normalise(text: str) -> str:
    text = _INVISIBLE.sub("", text)
    if _HAS_FULLWIDTH.search(text):  # rare, and translate looks up every character
        text = text.translate(_FULLWIDTH)
    text = _DECIMAL_POINT.sub(".", text)
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_NEAR_CJK.sub("", text)


def sniff_page_meta(text: str) -> dict[str, str]:
    """The publication date and source a page's info bar states, if any."""
    text = simplified(text)
    meta = {}
    if published := _PUBLISHED.search(text) or _LONE_TIMESTAMP.search(text):
        meta["published"] = published.group(1)
    if source := _SOURCE.search(text):
        meta["source"] = source.group(1)
    return meta


@lru_cache(maxsize=1)
def _chrome_rules() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(row["pattern"], re.I), row["action"]) for row in data_rows("chrome.tsv")]


def chrome_action(line: str) -> str | None:
    # Rule by rule: most rules are anchored (^…) and fail at once; one alternation of them all
    # was measured 1.6x slower, since it tries every rule at every character.
    if len(line) > CHROME_MAX:
        return None
    line = simplified(line)
    for pattern, action in _chrome_rules():
        if pattern.search(line):
            return action
    return None


def drop_chrome(blocks: list[Block]) -> list[Block]:
    kept: list[Block] = []
    in_list = False
    for block in blocks:
        if block.is_table:
            in_list = False
            rows = [row for row in block.rows if chrome_action(" ".join(row)) is None]
            if rows and not (is_metadata_table(block) or _is_navigation_table(Block(rows=rows))):
                kept.append(Block(rows=rows))
            continue
        action = chrome_action(block.text)
        if in_list and action is None and _looks_like_list_item(block.text):
            continue
        in_list = action == "drop_list"
        if action is None:
            kept.append(block)
    return kept


def drop_menu_runs(blocks: list[Block]) -> list[Block]:
    """Drop runs of four or more very short lines: menus, button bars and link lists.

    Article text never stacks that many fragments in a row: headings are followed by text,
    and a signature block is two or three lines."""
    kept: list[Block] = []
    run: list[Block] = []
    for block in blocks + [Block(text="")]:
        if not block.is_table and _is_fragment(block.text):
            run.append(block)
            continue
        if len(run) < _MENU_RUN:
            kept.extend(run)
        run = []
        if block.is_table or block.text:
            kept.append(block)
    return kept


def _is_fragment(line: str) -> bool:
    return 0 < len(line) <= 10 and not _ORDINAL.match(line) and not re.search(r"[。；！？]$|\d{4}\s*年", line)


def is_metadata_table(block: Block) -> bool:
    """The 索引号/发布机构/发布日期 box of government disclosure pages."""
    labels = sum(bool(METADATA_LABEL.match(simplified(cell))) for row in block.rows for cell in row)
    return labels >= 2


def _is_navigation_table(block: Block) -> bool:
    """A menu bar laid out as a one-row table: short labels, no numbers."""
    cells = [cell for row in block.rows for cell in row if cell]
    return len(block.rows) == 1 and all(len(cell) <= 8 and not re.search(r"\d", cell) for cell in cells)


def _metadata_lines(block: Block) -> list[str]:
    """A metadata table's label/value pairs as 'label：value' lines, for sniffing."""
    lines = []
    for row in block.rows:
        for label, value in zip(row[::2], row[1::2]):
            lines.append(f"{label}：{value}")
    return lines


def _looks_like_list_item(line: str) -> bool:
    return len(line) <= _LIST_ITEM_MAX and not re.search(r"[。；！？]$", line)


def normalise_blocks(blocks: list[Block]) -> list[Block]:
    result = []
    for block in blocks:
        if block.is_table:
            rows = [[normalise(cell) for cell in row] for row in block.rows]
            rows = [row for row in rows if any(row)]
            if rows:
                result.append(Block(rows=rows))
        elif text := normalise(block.text):
            result.append(Block(text=text))
    return result


def build_document(raw: RawDocument, source: str, sha256: str) -> Document:
    """The stored text: one line per paragraph; a table row per line, cells separated by tabs."""
    blocks = normalise_blocks(raw.blocks)
    opening = "\n".join(line for block in blocks[:40]
                         for line in ((_metadata_lines(block) if is_metadata_table(block) else [])
                                      if block.is_table else [block.text]))
    page_meta = {**sniff_page_meta(opening), **raw.page_meta}
    text, tables = _lay_out(drop_menu_runs(drop_chrome(blocks)))
    return Document(source=source, sha256=sha256, text=text, format=raw.format,
                    tables=tables, page_meta=page_meta, warnings=list(raw.warnings))


def _lay_out(blocks: list[Block]) -> tuple[str, list[Table]]:
    parts: list[str] = []
    tables: list[Table] = []
    offset = 0
    previous_line = None
    for block in blocks:
        if parts:
            parts.append("\n")
            offset += 1
        if not block.is_table:
            parts.append(block.text)
            offset += len(block.text)
            previous_line = block.text
            continue
        table_start = offset
        rows = []
        for index, row in enumerate(block.rows):
            if index:
                parts.append("\n")
                offset += 1
            cells = []
            for position, cell_text in enumerate(row):
                if position:
                    parts.append("\t")
                    offset += 1
                cells.append(Cell(cell_text, offset, offset + len(cell_text)))
                parts.append(cell_text)
                offset += len(cell_text)
            rows.append(cells)
        tables.append(Table(rows=rows, start=table_start, end=offset, caption=previous_line))
        previous_line = None
    return "".join(parts), tables

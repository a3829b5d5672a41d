"""Pages in traditional characters, or with pinyin after characters, read as simplified text.

Mirror sites republish county reports in traditional characters (縣管校聘) and some put the
pinyin after a character (學(xué)生, 學（xué）). The stored text stays what the file said; the
extraction stages and the search index read `reading(text).text`, a simplified copy, and
`Reading.span` maps an offset found in that copy back to the stored text.

The converter is OpenCC's t2s (the `opencc` wheel, dictionaries inside it). Which characters
it changes is asked of the converter itself, once per process, and a text with too few of
them is left alone: most pages are simplified and pay one regular-expression scan.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache

import opencc

from junheng.document import Cell, Document, Table

# Unified ideographs, extension A and the compatibility block: where t2s changes characters.
_HAN = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
# A simplified page may hold a few characters t2s would change (乾 of 乾屯, a place name);
# a page written in traditional has one in five or more. One in fifty tells them apart,
# and keeps such a simplified page exactly as it is.
TRADITIONAL_SHARE = 0.02
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# The bracket comes first and the lookbehind after it: a pattern that starts with a
# character class of all Han characters is tried at every character of the text.
_ANNOTATION = re.compile(rf"[(（](?<=[\u3400-\u9fff\uf900-\ufaff][(（])([a-z{_TONED}]{{1,6}})[)）]")
# A toneless annotation must be a whole pinyin syllable (xue, zhuang): lower-case Latin in
# brackets after a character is otherwise left alone. Initial + final, y/w spellings, and
# the syllables without an initial.
_SYLLABLE = re.compile(
    r"(?:[bpmfdtnlgkhjqxrzcs]|zh|ch|sh)(?:a|o|e|ai|ei|ao|ou|an|en|ang|eng|ong|i|ia|ie|iao|iu|ian|in|iang|ing"
    r"|iong|u|ua|uo|uai|ui|uan|un|uang|ue|v|ve)"
    r"|y(?:a|e|i|o|u|ao|ou|an|in|ang|ing|ong|ue|uan|un)|w(?:a|o|u|ai|ei|an|en|ang|eng)"
    r"|a|o|e|ai|ei|ao|ou|an|en|ang|eng|er")


@dataclass(frozen=True)
class Reading:
    """`text` as extraction reads it; `origin[i]` is the index in `stored` of `text[i]`
    (one more entry: len(stored)), or None when every character kept its place."""

    stored: str
    text: str
    origin: list[int] | None = None

    @property
    def plain(self) -> bool:
        return self.text is self.stored

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The stored text's span of `text[start:end]` (an annotation inside it included)."""
        if self.origin is None:
            return start, end
        return self.origin[start], (self.origin[end - 1] + 1 if end > start else self.origin[start])

    def position(self, stored_index: int) -> int:
        """The index in `text` of the first character kept at or after `stored_index`."""
        return stored_index if self.origin is None else bisect_left(self.origin, stored_index)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _changed_characters() -> tuple[re.Pattern, dict[int, str]]:
    """The characters t2s changes on their own and what it makes of each, from its own
    dictionary: every Han code point converted alone (a newline between two keeps them
    from forming a phrase). About 0.1 s, once per process."""
    characters = [chr(code) for low, high in _HAN for code in range(low, high)]
    converted = _converter().convert("\n".join(characters)).split("\n")
    table = {ord(c): s for c, s in zip(characters, converted) if s != c and len(s) == 1}
    return re.compile("[" + "".join(map(chr, table)) + "]"), table


def reading(text: str) -> Reading:
    """`text` with pinyin annotations dropped and, if it is written in traditional
    characters, converted to simplified; the same string when neither applies."""
    kept, origin = _drop_annotations(text)
    pattern, table = _changed_characters()
    if pattern.search(kept) and len(pattern.findall(kept)) >= TRADITIONAL_SHARE * len(kept):
        converted = _converter().convert(kept)
        # Offsets need one character for one: t2s phrases keep their length, but should
        # one ever not, the characters are converted one by one (no phrase context).
        kept = converted if len(converted) == len(kept) else kept.translate(table)
    if kept == text:
        return Reading(text, text)
    return Reading(text, kept, origin)


def simplified(text: str) -> str:
    """`reading(text).text`; a short line with nothing to change (clean reads every line) is
    let through by two searches."""
    if not _ANNOTATION.search(text) and not _changed_characters()[0].search(text):
        return text
    return reading(text).text


def _drop_annotations(text: str) -> tuple[str, list[int] | None]:
    cuts = [match.span() for match in _ANNOTATION.finditer(text) if _is_pinyin(match.group(1))]
    if not cuts:
        return text, None
    pieces: list[str] = []
    origin: list[int] = []
    last = 0
    for start, end in cuts:
        pieces.append(text[last:start])
        origin.extend(range(last, start))
        last = end
    pieces.append(text[last:])
    origin.extend(range(last, len(text) + 1))  # the last entry stands for the end
    return "".join(pieces), origin


def _is_pinyin(letters: str) -> bool:
    """xué, lǜ, zhuang: a tone mark or ü, or a toneless syllable of two letters or more
    ((a) and (b) number items)."""
    return any(letter in _TONED for letter in letters) or (len(letters) > 1 and bool(_SYLLABLE.fullmatch(letters)))


def simplified_document(doc: Document, view: Reading) -> Document:
    """A copy of `doc` whose text, tables and page hints are `view`'s, for the stages to read."""
    return replace(doc, text=view.text, tables=[_table(table, view) for table in doc.tables],
                   page_meta={key: simplified(value) for key, value in doc.page_meta.items()})


def _table(table: Table, view: Reading) -> Table:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row:
            start, end = view.position(cell.start), view.position(cell.end)
            cells.append(Cell(view.text[start:end], start, end))
        rows.append(cells)
    caption = None if table.caption is None else simplified(table.caption)
    return Table(rows=rows, start=view.position(table.start), end=view.position(table.end), caption=caption)


def restore_offsets(doc: Document, view: Reading) -> None:
    """Point the figures and measure evidence found in `view.text` at the stored text: their
    offsets are mapped back and their text is what the stored text says there."""
    evidence = [item for hit in doc.measures for item in hit.evidence]
    for item in [*doc.figures, *evidence]:
        item.start, item.end = view.span(item.start, item.end)
        item.text = view.stored[item.start:item.end]

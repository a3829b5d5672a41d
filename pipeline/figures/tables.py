"""Figures in tables: each numeric cell read with its row labels, its column header, the
section it stands in and the table's caption (表1 2015年…, 单位：万元). table_layout finds
which rows are headers, which cells label a row (carried down over merged cells) and which
rows open a section.

The metric is the best cue of all those texts: the higher tier wins (学校数 in a header over
小学 in a label), on a tie the cell's own words, then the header, the section, the labels and
the caption. A school type in a label (小学, 普通高等学校) names the row, not the metric: it
counts schools only when nothing else says what the number is. A number that no cue fits takes
the metric of the cell above it in its section (the rows under 教职工人数 are 教职工 too). A
差异系数 in the row label or the header makes the cell a coefficient of the indicator the
other names, except in a row or column of 均值; a caption of 差异系数 does so too. 标准差 rows,
序号 columns and headers no metric covers (班级数, 招生数, 分值) give no figures
(table_words.tsv). Units come from the cell (4.2人), a header or label in brackets
(（平方米）, 计划投资（亿元）), the table's 单位 line or a header word (人数, 金额); a bare
number otherwise takes the metric's own unit. Level and year come from the labels, the header,
the section, then the caption; status from words such as 目标/计划 or 现状/已完成 there, or a
year later than the report's. A column 整改前 is the `previous` of its 整改后 column, not a
figure of its own.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from junheng.document import Cell, Document, Figure, Table
from junheng.figures.lexicon import Match, lexicon, words_of
from junheng.figures.quantities import scan
from junheng.figures.table_layout import is_value, layout, squeeze

DECLARED_UNIT = re.compile(r"单位[：:]\s*([^\s，,；;（）()、]{1,6})(?![、,，])")
BRACKET_UNIT = re.compile(r"[（(]([^（）()]{1,6})[）)]")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
TARGET_HEADER = re.compile(r"目标|计划|规划|预计|标准")
ACTUAL_HEADER = re.compile(r"现状|完成|实际|已|均值|现有")
COEFFICIENT = "差异系数"
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千": 1000}
PROSE_LENGTH = 12
PROSE_MARK = re.compile(r"[。；，,]")
CAPTION_LENGTH = 60
CAPTION_LAST = 10
ENTITY = -2 * CAPTION_LAST
COUNTS = {"person", "school", "class"}
# Ties between cues of one tier: the cell's own words, the header, the section, the labels, the caption.
CELL, HEAD, SECTION, LABEL, CAPTION = 4, 3, 2, 1, 0


class Place(NamedTuple):
    """The texts a cell is read with."""

    label: str
    head: str
    section: str
    caption: str
    own: str


@lru_cache(maxsize=1)
def _words() -> dict[str, re.Pattern | dict[str, str]]:
    def pattern(category: str) -> re.Pattern:
        return re.compile("|".join(sorted(map(re.escape, words_of(category, "table_words.tsv")), key=len, reverse=True)))
    return {"skip_head": pattern("skip_head"), "skip_label": pattern("skip_label"), "mean": pattern("mean"),
            "kind": pattern("kind"), "kinds": words_of("kind", "table_words.tsv")}


def table_figures(doc: Document, table: Table, context) -> list[Figure]:
    if len(table.rows) < 2:
        return []
    plan = layout(table)
    caption = _caption(doc, table)
    table_unit = _declared_unit(caption) or _declared_unit(" ".join(plan.heads))
    earlier = _earlier_columns(plan.heads)
    figures, above, section = [], {}, None
    for row in plan.body:
        if row.section != section:
            above, section = {}, row.section
        for column, cell in enumerate(row.cells):
            if column in plan.index_columns or column in earlier.values() or not cell.text or is_prose(cell.text):
                continue
            place = Place(plan.label(row, column), plan.head(column), row.section, caption, cell.text)
            figure = _cell_figure(cell, place, table_unit, above.get(column), context)
            if figure is None:
                continue
            above[column] = figure.metric
            if column in earlier and earlier[column] < len(row.cells):
                before = row.cells[earlier[column]].text
                figure.previous = _cell_value(scan(before), figure.metric, _kind_hint(place, table_unit))
            figures.append(figure)
    return figures


def prose_cells(table: Table) -> list[Cell]:
    """Cells written as sentences (对学校2400平米体育场馆补贴5万元。): read as running text."""
    return [cell for row in table.rows for cell in row if is_prose(cell.text)]


def is_prose(text: str) -> bool:
    return len(text) >= PROSE_LENGTH and bool(PROSE_MARK.search(text)) and any(ch.isdigit() for ch in text)


def _caption(doc: Document, table: Table) -> str:
    """The short lines just above the table (表1 …, a title, 单位：万元), up to a paragraph or another table."""
    kept = []
    for line in reversed(doc.text[:table.start].rstrip("\n").split("\n")[-2:]):
        line = line.strip()
        if not line or "|" in line or "\t" in line or line[-1] in "。；;！？!?":
            break
        if len(line) > CAPTION_LENGTH:
            unit = DECLARED_UNIT.search(line)  # a PDF may join the 单位 line onto a long title line
            if unit:
                kept.insert(0, line[unit.start():])
            break
        kept.insert(0, line)
    return " ".join(kept)


def _earlier_columns(header: list[str]) -> dict[int, int]:
    """整改后 column → its 整改前 column: the earlier value is the figure's `previous`."""
    pairs = {}
    for index, text in enumerate(header):
        if "后" in text:
            twin = text.replace("后", "前")
            if twin in header:
                pairs[index] = header.index(twin)
    return pairs


def _cell_figure(cell: Cell, place: Place, table_unit, above: str | None, context) -> Figure | None:
    metric, qualifier, value = _cell_metric(cell, place, table_unit, above)
    if metric is None:
        return None
    label, head, section, caption = place.label, place.head, place.section, place.caption
    year = _year(head) or _year(label) or _year(section) or _year(caption)
    status = _status(head, label, caption, year, context.year)
    if year is None and status == "actual":
        year = context.year
    spec = lexicon().metrics[metric]
    level = _level(label) or _level(head) or _level(section) or _level(caption) or spec.level
    return Figure(metric=metric, value=round(value, 6), unit=spec.unit, text=cell.text, start=cell.start,
                  end=cell.end, level=level, year=year, status=status, qualifier=qualifier)


def _cell_metric(cell: Cell, place: Place, table_unit, above: str | None):
    """(metric, qualifier, value) of a cell, or Nones when it is no figure."""
    words = _words()
    label, head = place.label, place.head
    if words["skip_label"].search(label):
        return None, None, None
    quantities = scan(cell.text)
    hint = _kind_hint(place, table_unit)
    mean = words["mean"].search(label) or words["mean"].search(head)
    if COEFFICIENT in label or COEFFICIENT in head or (COEFFICIENT in place.caption and not mean):
        # The other text names the indicator the coefficient is of; its unit (平方米) is not the cell's.
        value = _cell_value(quantities, "balance_coefficient", None)
        return ("balance_coefficient", _coefficient_of(label, head), value) if value is not None else (None,) * 3
    cues = _cues(place)
    if cues and cues[0][2] == "-":
        return None, None, None
    if not is_value(cell.text) and not any(rank == CELL for _, rank, _ in cues):
        return None, None, None  # a number inside a text cell ([812]教育厅) needs words of its own
    if _skipped_head(head):
        return None, None, None
    if above and not any(tier >= 0 and rank != SECTION for tier, rank, _ in cues):
        cues.append((ENTITY + 1, SECTION, above))  # under a total (教职工人数), its parts
    per_student = "生均" in head + label and "百" not in head + label
    for _, _, metric in cues:
        if metric == "-" or (metric == "balance_coefficient" and mean) or (per_student and metric.endswith("_per_100")):
            continue
        value = _cell_value(quantities, metric, hint)
        if value is not None:
            return metric, None, value
    return None, None, None


@lru_cache(maxsize=256)
def _skipped_head(head: str) -> bool:
    """A header no metric covers: a skip_head word (班级数, 招生数) with no cue outside it (班级 is
    inside 班级数; 大班额比例 is a cue of its own around 比例)."""
    head = squeeze(head)
    spans = [match.span() for match in _words()["skip_head"].finditer(head)]
    if not spans:
        return False
    return all(any(a <= cue.start and cue.end <= b for a, b in spans) for cue in lexicon().cues.find(head))


def _cues(place: Place) -> list[tuple[int, int, str]]:
    """(tier, source, metric) of the cues of a cell's texts, best first."""
    entries = []
    for rank, text in ((CELL, place.own), (HEAD, place.head), (SECTION, place.section), (LABEL, place.label),
                       (CAPTION, place.caption)):
        for order, cue in enumerate(_ranked_cues(text)):
            tier = cue.tier
            if rank == LABEL and cue.metric == "school_count" and tier <= 1:
                tier = ENTITY  # a school type in a label names the row: a count only when nothing else speaks
            elif rank == CAPTION:
                tier -= CAPTION_LAST  # the caption speaks of the whole table: only when the cell's own texts do not
            entries.append((tier, rank, -order, cue))
    entries.sort(key=lambda entry: entry[:3], reverse=True)
    return [(entry[0], entry[1], entry[3].metric) for entry in entries]


def _coefficient_of(label: str, head: str) -> str | None:
    if "综合" in label + head:
        return "综合"
    other = head if COEFFICIENT in label else label
    if COEFFICIENT in other:
        return None
    return BRACKET_UNIT.sub("", other).strip() or None


@lru_cache(maxsize=1024)
def _ranked_cues(text: str) -> tuple:
    """The cues of a label, header or caption, best first (asked again for each of its cells)."""
    text = squeeze(text)
    matches: list[Match] = lexicon().cues.find(text)
    entries = [(entry.tier, match.end, entry) for match in matches for entry in match.payload
               if entry.requires is None or entry.requires.search(text)]
    return tuple(entry for _, _, entry in sorted(entries, key=lambda item: item[:2], reverse=True))


def _kind_hint(place: Place, table_unit) -> tuple[str, float] | None:
    """The kind and factor of a bare number in this cell: a unit in brackets, the table's, a word."""
    hint = _bracket_unit(place.label) or _bracket_unit(place.head) or table_unit
    if hint is None:
        for text in (place.head, place.label):
            if word := _words()["kind"].search(text):
                return _words()["kinds"][word.group()], 1.0
    return hint


def _cell_value(quantities, metric: str, hint) -> float | None:
    """The value of a cell (its quantities) in the metric's unit, or None when it cannot be that metric."""
    if len(quantities) != 1 or quantities[0].range_text:
        return None
    quantity = quantities[0]
    spec = lexicon().metrics[metric]
    kind, value = quantity.kind, quantity.value
    if kind == "bare":
        if hint is not None:
            kind, factor = hint
            value *= factor
        else:
            kind = sorted(spec.kinds)[0]  # a bare number in a table is in the metric's own unit
    if spec.unit in COUNTS and not metric.endswith("_per_100") and not float(value).is_integer():
        return None  # 12.83 is no head count
    return value if spec.accepts(kind, value) else None


def _declared_unit(text: str) -> tuple[str, float] | None:
    match = DECLARED_UNIT.search(text)
    return _unit(match.group(1)) if match else None


def _bracket_unit(text: str) -> tuple[str, float] | None:
    for match in BRACKET_UNIT.finditer(text):
        unit = _unit(match.group(1))
        if unit:
            return unit
    return None


def _unit(text: str) -> tuple[str, float] | None:
    """万元 → (money, 10000); 平方米 → (area, 1); 元/生 → (money, 1); 年 → None."""
    text = text.strip().split("/")[0]
    multiplier = 1
    if text[:1] in MULTIPLIERS and len(text) > 1:
        multiplier, text = MULTIPLIERS[text[0]], text[1:]
    known = lexicon().units.get(text)
    if known is None or known[0] in ("other", "year", "date", "change"):
        return None
    return known[0], known[1] * multiplier


def _year(text: str) -> int | None:
    match = YEAR.search(text)
    return int(match.group(1)) if match else None


def _level(text: str) -> str | None:
    for word in lexicon().words.find(squeeze(text)):
        for name, value in word.payload:
            if name == "level":
                return value
    return None


def _status(head: str, label: str, caption: str, year: int | None, doc_year: int | None) -> str:
    for text in (head, label):
        if ACTUAL_HEADER.search(text):
            return "actual"
        if TARGET_HEADER.search(text):
            return "target"
    if year is not None and doc_year is not None and year > doc_year:
        return "target"
    if TARGET_HEADER.search(caption) and not ACTUAL_HEADER.search(caption):
        return "target"
    return "actual"

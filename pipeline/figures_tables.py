"""Figures in tables: each numeric cell read with its row label, its column header and the
table's caption (表1 2015年…, 单位：万元).

The row label (or, failing that, the column header) names the metric; a table of 差异系数
makes every cell a coefficient of the indicator its row names, except 均值 columns. Units come
from the cell (4.2人), a header in brackets (（平方米）, 计划投资（亿元）) or the table's
单位 line; a bare number otherwise takes the metric's own unit. Level and year come from the
header or the label (小学（2020年）, 2022年), then the caption; status from words such as
目标/计划 or 现状/已完成 there, or a year later than the report's. A column 整改前 is the
`previous` of its 整改后 column, not a figure of its own.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .document import Cell, Document, Figure, Table
from .figures_lexicon import Match, lexicon
from .figures_quantities import scan

DECLARED_UNIT = re.compile(r"单位[：:]\s*([^\s，,；;）)]{1,6})")
BRACKET_UNIT = re.compile(r"[（(]([^（）()]{1,6})[）)]")
YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
TARGET_HEADER = re.compile(r"目标|计划|规划|预计|标准")
ACTUAL_HEADER = re.compile(r"现状|完成|实际|已|均值|现有")
COEFFICIENT = "差异系数"
MEAN_COLUMN = re.compile(r"均值|平均|现状值")
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, "千": 1000}


def table_figures(doc: Document, table: Table, context) -> list[Figure]:
    if len(table.rows) < 2:
        return []
    caption = _caption(doc, table)
    header = [cell.text for cell in table.rows[0]]
    table_unit = _declared_unit(caption) or _declared_unit(" ".join(header))
    figures = []
    for row in table.rows[1:]:
        label = row[0].text
        earlier = _earlier_columns(header)
        for column, cell in enumerate(row[1:], start=1):
            if column in earlier.values():
                continue
            head = header[column] if column < len(header) else ""
            figure = _cell_figure(cell, label, head, caption, table_unit, context)
            if figure is None:
                continue
            if column in earlier and earlier[column] < len(row):
                before = _cell_value(scan(row[earlier[column]].text), figure.metric, label, header[earlier[column]],
                                     table_unit)
                figure.previous = before
            figures.append(figure)
    return figures


def pipe_tables(text: str) -> list[Table]:
    """Runs of lines written as | a | b | (plain text kept as written): tables all the same."""
    tables, rows, offset = [], [], 0
    for line in text.split("\n") + [""]:
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            rows.append(_pipe_row(line, offset))
        else:
            if len(rows) >= 2:
                tables.append(Table(rows=rows, start=rows[0][0].start, end=rows[-1][-1].end))
            rows = []
        offset += len(line) + 1
    return tables


def _pipe_row(line: str, offset: int) -> list[Cell]:
    cells, position = [], line.index("|") + 1
    for part in line.strip().strip("|").split("|"):
        start = line.index(part, position) if part else position
        text = part.strip()
        begin = start + (len(part) - len(part.lstrip()))
        cells.append(Cell(text, offset + begin, offset + begin + len(text)))
        position = start + len(part) + 1
    return cells


def _caption(doc: Document, table: Table) -> str:
    """The short lines just above the table: 表1 … and 单位：万元."""
    lines = doc.text[:table.start].rstrip("\n").split("\n")[-2:]
    return " ".join(line for line in lines if len(line) <= 60 and (line.startswith("表") or "单位" in line
                                                                   or line == (table.caption or "")))


def _earlier_columns(header: list[str]) -> dict[int, int]:
    """整改后 column → its 整改前 column: the earlier value is the figure's `previous`."""
    pairs = {}
    for index, text in enumerate(header):
        if "后" in text:
            twin = text.replace("后", "前")
            if twin in header:
                pairs[index] = header.index(twin)
    return pairs


def _cell_figure(cell: Cell, label: str, head: str, caption: str, table_unit, context) -> Figure | None:
    metric, qualifier, value = _cell_metric(cell, label, head, caption, table_unit)
    if metric is None:
        return None
    year = _year(head) or _year(label) or _year(caption)
    status = _status(head, label, caption, year, context.year)
    if year is None and status == "actual":
        year = context.year
    spec = lexicon().metrics[metric]
    return Figure(metric=metric, value=round(value, 6), unit=spec.unit, text=cell.text, start=cell.start,
                  end=cell.end, level=_level(head) or _level(label) or spec.level, year=year,
                  status=status, qualifier=qualifier)


def _cell_metric(cell: Cell, label: str, head: str, caption: str, table_unit):
    """(metric, qualifier, value) of a cell, or Nones when it is no figure."""
    quantities = scan(cell.text)
    if COEFFICIENT in head + caption and not MEAN_COLUMN.search(head) and COEFFICIENT not in label:
        # The row names the indicator the coefficient is of; its unit (平方米) is not the cell's.
        value = _cell_value(quantities, "balance_coefficient", "", "", None)
        if value is not None:
            return "balance_coefficient", BRACKET_UNIT.sub("", label) or None, value
    for text in (label, head, caption):
        for cue in _ranked_cues(text):
            if cue.metric == "-":
                return None, None, None
            value = _cell_value(quantities, cue.metric, label, head, table_unit)
            if value is not None:
                qualifier = "综合" if "综合" in label and cue.metric == "balance_coefficient" else None
                return cue.metric, qualifier, value
    return None, None, None


@lru_cache(maxsize=256)
def _ranked_cues(text: str) -> tuple:
    """The cues of a label, header or caption, best first (asked again for each of its cells)."""
    matches: list[Match] = lexicon().cues.find(text)
    entries = [(entry.tier, match.end, entry) for match in matches for entry in match.payload
               if entry.requires is None or entry.requires.search(text)]
    return tuple(entry for _, _, entry in sorted(entries, key=lambda item: item[:2], reverse=True))


def _cell_value(quantities, metric: str, label: str, head: str, table_unit) -> float | None:
    """The value of a cell (its quantities) in the metric's unit, or None when it cannot be that metric."""
    if len(quantities) != 1 or quantities[0].range_text:
        return None
    quantity = quantities[0]
    spec = lexicon().metrics[metric]
    kind, value = quantity.kind, quantity.value
    if kind == "bare":
        unit = _bracket_unit(label) or _bracket_unit(head) or table_unit
        if unit is not None:
            kind, factor = unit
            value *= factor
        else:
            kind = sorted(spec.kinds)[0]  # a bare number in a table is in the metric's own unit
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
    """万元 → (money, 10000); 平方米 → (area, 1); 年 → None."""
    text = text.strip()
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
    words = [w for w in lexicon().words.find(text) for name, _ in w.payload if name == "level"]
    for word in words:
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

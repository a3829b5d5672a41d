"""How a table is laid out: its header rows, the label cells of each row and its sections.

Works on the `Table`s of every reader (HTML <table>, ruled PDF tables, DOCX, tab-separated
text) and on tables written in plain text as pipe rows, `| a | b |` or `a | b | c`, where an
empty cell ` |  | ` is a cell merged with the one above.

- Header rows: the first row (unless it holds numbers other than years), then up to three more
  that open with an empty corner cell and hold no numbers (生均… over (㎡), 学校数 over (所)).
  In every header row but the last, a group name spans the empty and missing cells to its
  right; a column's header is its header rows' texts joined.
- Body rows: the text cells before a row's first number are its labels (序号 columns aside).
  A row's empty leading label cells carry down the labels of the row above (merged cells),
  up to its first own label: after a new 县 its 学校类型 is its own.
- A body row of one text cell (学校数, 专任教师) names a section: the rows below are of it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from junheng.document import Cell, Table
from junheng.figures.lexicon import words_of

DIGIT = re.compile(r"\d")
LETTER = re.compile(r"[\u4e00-\u9fffA-Za-z]")
VALUE = re.compile(r"^[<>≤≥=＜＞≦≧约近]{0,2}\s*[-+]?\d[\d,，.]*\s*(?:[:：∶]\s*\d[\d.]*|[^\d\s（）()]{1,6})?\s*$")
# 2023年, 2021年现状, 2025年目标, 2022年(万元): a year heads a column, it is no value
YEAR_CELL = re.compile(r"^(?:19|20)\d{2}\s*年?度?(?:[\u4e00-\u9fff]{1,4})?\s*(?:[（(][^（）()]*[）)])?$")
INNER_SPACE = re.compile(r"(?<=[\u4e00-\u9fff#])\s+(?=[\u4e00-\u9fff])")
MAX_HEADER_ROWS = 4


@dataclass
class BodyRow:
    cells: list[Cell]
    labels: list[str]  # per column: the label text of the cell (own or carried down), "" for none
    section: str  # the section row above it, "" when none


@dataclass
class Layout:
    heads: list[str]  # per column: the header rows' texts joined
    body: list[BodyRow]
    index_columns: frozenset[int]  # 序号 columns: neither labels nor figures

    def label(self, row: BodyRow, column: int) -> str:
        """The labels of a cell: its row's label cells to its left."""
        return " ".join(text for k, text in enumerate(row.labels[:column]) if text and k not in self.index_columns)

    def head(self, column: int) -> str:
        return self.heads[column] if column < len(self.heads) else ""


@lru_cache(maxsize=1)
def _index_words() -> re.Pattern:
    return re.compile("|".join(map(re.escape, words_of("index", "table_words.tsv"))))


def squeeze(text: str) -> str:
    """小    学 → 小学: the spaces that lay out a narrow cell are no part of its words."""
    return INNER_SPACE.sub("", text.strip())


def is_label(text: str) -> bool:
    return bool(LETTER.search(text)) and not VALUE.match(text)


def is_value(text: str) -> bool:
    return bool(text) and not is_label(text) and any(ch.isdigit() for ch in text)


def layout(table: Table) -> Layout:
    rows = table.rows
    count = _header_count(rows)
    heads = _heads(rows[:count])
    index = frozenset(j for j, text in enumerate(heads) if _index_words().fullmatch(text.replace(" ", "")))
    return Layout(heads, _body(rows[count:], index), index)


def _header_count(rows: list[list[Cell]]) -> int:
    if not rows or any(is_value(c.text) and not YEAR_CELL.match(c.text) for c in rows[0]):
        return 0
    if sum(1 for c in rows[0] if c.text) <= 2 and max(len(row) for row in rows) >= 4:
        return 0  # a form (项目名称 | …, 项目资金 | 资金总额 | 10000万元 …), not a table under one header
    count = 1
    while count < min(len(rows) - 1, MAX_HEADER_ROWS):
        row = rows[count]
        texts = [c.text for c in row if c.text]
        if row[0].text or len(texts) < 2 or any(is_value(t) and not YEAR_CELL.match(t) for t in texts):
            break
        count += 1
    return count


def _heads(header_rows: list[list[Cell]]) -> list[str]:
    width = max((len(row) for row in header_rows), default=0)
    heads = [[] for _ in range(width)]
    for number, row in enumerate(header_rows):
        spans = number < len(header_rows) - 1
        group = ""
        for j in range(width):
            text = squeeze(row[j].text) if j < len(row) else ""
            if text:
                group = text
            elif spans and group and j > 0:
                text = group
            if text:
                heads[j].append(text)
    return [" ".join(parts) for parts in heads]


def _body(rows: list[list[Cell]], index: frozenset[int]) -> list[BodyRow]:
    body, above, section = [], [], ""
    for row in rows:
        texts = [squeeze(c.text) for c in row]
        own = [t for t in texts if t]
        if len(own) == 1 and is_label(own[0]) and len(row) > 1 and len(own[0]) <= 40 and not DIGIT.search(own[0]):
            section, above = own[0], []
            continue
        labels, own = [], False
        for j, text in enumerate(texts):
            if j in index:
                labels.append("")
                continue
            if is_value(text):
                break
            own = own or bool(text)
            labels.append(text if own else (above[j] if j < len(above) else ""))
        labels += [text if is_label(text) else "" for text in texts[len(labels):]]
        body.append(BodyRow(row, labels, section))
        above = labels
    return body


def pipe_tables(text: str) -> list[Table]:
    """Runs of two or more lines of cells separated by | (plain text kept as written), with at
    least one line of three cells: `| a | b |` or `a | b | c`; a run's rows may be shorter."""
    tables, run, offset = [], [], 0
    for line in text.split("\n") + [""]:
        if "|" in line and line.strip() != "|":
            run.append((line, offset))
        else:
            if len(run) >= 2 and max(line.count("|") for line, _ in run) >= 2:
                boxed = all(line.strip().startswith("|") and line.strip().endswith("|") for line, _ in run)
                rows = [_pipe_row(line, start, boxed) for line, start in run]
                tables.append(Table(rows=rows, start=run[0][1], end=run[-1][1] + len(run[-1][0])))
            run = []
        offset += len(line) + 1
    return tables


def _pipe_row(line: str, offset: int, boxed: bool) -> list[Cell]:
    """The cells of a line; in a `| a | b |` table the outer bars hold no cells."""
    bars = [-1] + [i for i, char in enumerate(line) if char == "|"] + [len(line)]
    spans = list(zip(bars, bars[1:]))
    if boxed:
        spans = spans[1:-1]
    cells = []
    for left, right in spans:
        part = line[left + 1:right]
        begin = left + 1 + len(part) - len(part.lstrip())
        text = part.strip()
        cells.append(Cell(text, offset + begin, offset + begin + len(text)))
    return cells

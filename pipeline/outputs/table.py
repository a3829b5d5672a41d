"""`--format table`: records as plain text that fits the width of the terminal.

rich lays the text out (a Chinese character is two columns wide, a cut cell ends in …); this
module decides how wide each column is. Short columns (dates, scores, codes, numbers) are never
cut; long text columns (titles, snippets, figure texts) give way first. When the columns cannot
all have their least width, the table becomes one block per record: its place as a heading,
then a `column: value` line per filled cell.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import sys

from rich import box
from rich.cells import cell_len, chop_cells
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

FALLBACK_WIDTH = 100  # not a terminal and no COLUMNS: wide enough for a file or a pager
GAP = 2  # columns between two table columns
SHORT = 12  # a column whose every cell fits in this many columns is shown whole
LEAST = 8  # a longer column is cut to no fewer columns than this, or the table becomes blocks
BLOCK_INDENT = 2
NARROWEST = 24  # below this a block's names and values have no room: lines may then be wider
PLACE_COLUMNS = ("province", "city", "county", "region_province", "region_city", "region_county")
CODE_COLUMNS = ("code", "region_code")
# Dashes under the header and spaces between columns: rich's own rules draw ─, which CJK
# terminals often show two columns wide (East Asian "ambiguous"), breaking the alignment.
_HEADER_RULE = box.Box("    \n    \n -  \n    \n    \n    \n    \n    \n", ascii=True)
_NAME_PIECE = re.compile(r"[^_: ]*[_: ]+|[^_: ]+")  # region_ | province: names break after _ : and space


def output_width() -> int:
    """COLUMNS when set (also in a pipe, so `COLUMNS=80 junheng … | less` works), else the
    terminal's width, else FALLBACK_WIDTH."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns
    return FALLBACK_WIDTH


def table_text(records: list[dict], columns: list[str], width: int | None = None) -> str:
    """`records` (flat dicts) under `columns`, as a table or, if it cannot fit, as blocks."""
    if not records:
        return "(no results)\n"
    width = max(width or output_width(), NARROWEST)
    cells = [[_cell(record.get(column)) for column in columns] for record in records]
    numeric = [all(isinstance(r.get(column), (int, float)) and not isinstance(r.get(column), bool)
                   for r in records if r.get(column) is not None) for column in columns]
    widths = _column_widths(columns, cells, numeric, width)
    if widths is None:
        return _render(_blocks(records, columns, width), width)
    table = Table(box=_HEADER_RULE, show_edge=False, padding=(0, 1, 0, 0), pad_edge=False)
    for column, column_width, is_number in zip(columns, widths, numeric):
        table.add_column(Text(_break_name(column, column_width)), width=column_width, no_wrap=True,
                         overflow="ellipsis", justify="right" if is_number else "left")
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))
    return _render(table, width)


def _cell(value) -> str:
    return "" if value is None else str(value).replace("\n", " ").replace("\t", " ")


def _column_widths(columns: list[str], cells: list[list[str]], numeric: list[bool], width: int) -> list[int] | None:
    """Each column's width, or None when the least widths do not fit in `width`.

    A column's least width is its longest cell if that is short or all its cells are numbers
    (a cut number reads as another number); else its typical cell (the 90th percentile: a few
    long qualifiers do not make a column long) if that is short; else LEAST; never less than
    the longest piece of its name, so a header breaks between words.
    Then every column grows toward its typical cell, its whole name, its longest cell in turn,
    until the room runs out."""
    lengths = [sorted(cell_len(row[i]) for row in cells) for i in range(len(columns))]
    longest = [widths[-1] for widths in lengths]
    typical = [widths[(len(widths) - 1) * 9 // 10] for widths in lengths]
    pieces = [max((cell_len(piece.rstrip()) for piece in _NAME_PIECE.findall(column)), default=0)
              for column in columns]
    least = [max(piece, most if most <= SHORT or number else usual if usual <= SHORT else LEAST)
             for piece, most, usual, number in zip(pieces, longest, typical, numeric)]
    budget = width - GAP * (len(columns) - 1)
    if sum(least) > budget:
        return None
    widths = least
    names = [cell_len(column) for column in columns]
    for goal in (typical, names, [max(n, most) for n, most in zip(names, longest)]):
        widths, short = _grow(widths, goal, budget - sum(widths))
        if short:
            break
    return widths


def _grow(widths: list[int], goal: list[int], spare: int) -> tuple[list[int], bool]:
    """Widen toward `goal` with `spare` columns, the columns that lack least first (a province
    name is whole before a title grows), the rest shared evenly; the bool says whether some
    goal was not met."""
    lacking = [g - w if g > w else 0 for g, w in zip(goal, widths)]
    needy = sorted((i for i in range(len(widths)) if lacking[i]), key=lambda i: lacking[i])
    grown = list(widths)
    for position, index in enumerate(needy):
        given = min(lacking[index], spare // (len(needy) - position))
        grown[index] += given
        spare -= given
    return grown, any(w < g for w, g in zip(grown, goal))


def _break_name(name: str, width: int) -> str:
    """A column name in lines of at most `width`, broken after _ : or a space where it can be."""
    lines = [""]
    for piece in _NAME_PIECE.findall(name):
        if lines[-1] and cell_len(lines[-1] + piece.rstrip()) > width:
            lines.append("")
        lines[-1] += piece
    return "\n".join(part for line in lines for part in chop_cells(line.rstrip(), width) or [""])


def _blocks(records: list[dict], columns: list[str], width: int) -> Group:
    places = [column for column in PLACE_COLUMNS if column in columns]  # province first, whatever the table's order
    codes = [column for column in columns if column in CODE_COLUMNS]
    heading_columns = places + codes if places else columns[:1]
    rest = [column for column in columns if column not in heading_columns]
    name_width = min(max((cell_len(column) + 1 for column in rest), default=1), (width - BLOCK_INDENT) // 2)
    parts = []
    for record in records:
        heading = _heading(record, places, codes) if places else _cell(record.get(columns[0]))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=name_width, no_wrap=True)
        grid.add_column(overflow="fold")
        for column in rest:
            value = _cell(record.get(column))
            if value:
                grid.add_row(Text(_break_name(column + ":", name_width)), Text(value))
        parts += [Text()] if parts else []  # a blank line between blocks
        parts += [Text(heading, overflow="fold"), Padding(grid, (0, 0, 0, BLOCK_INDENT))]
    return Group(*parts)


def _heading(record: dict, places: list[str], codes: list[str]) -> str:
    """The place, each name once (北京市 is province and city), then the code: 北京市 朝阳区 (110105)."""
    names: list[str] = []
    for column in places:
        name = _cell(record.get(column))
        if name and name not in names:
            names.append(name)
    code = " ".join(f"({_cell(record.get(column))})" for column in codes if record.get(column))
    return " ".join(names + ([code] if code else [])) or "(no place)"


def _render(renderable, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, force_terminal=False, color_system=None, no_color=True,
                      highlight=False, markup=False, emoji=False, soft_wrap=False, legacy_windows=False)
    console.print(renderable)
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines()) + "\n"

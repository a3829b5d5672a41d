"""Borderless tables in a PDF page: rows are lines whose characters fall into columns
separated by wide gaps; a header wrapped over several short lines above them is merged
column by column (小学 / 校均值 → 小学校均值)."""
from __future__ import annotations

import re

_NUMBER = re.compile(r"\d")
_CAPTION = re.compile(r"^(表\s*\d|单位|注[:：])")
_MAX_HEADER_LINES = 3


def split_tables(lines: list, line_is_row) -> tuple[list, list[tuple[float, list[list[str]]]]]:
    """(lines left for paragraphs, [(top, rows)]) for one page's body lines in reading order."""
    used: set[int] = set()
    tables = []
    index = 0
    while index < len(lines):
        run = _data_run(lines, index, line_is_row)
        if len(run) < 2:
            index += 1
            continue
        header = _header_lines(lines, run[0], used)
        members = header + run
        rows = _rows(lines, header, run)
        if rows:
            tables.append((lines[members[0]].top, rows))
            used.update(members)
        index = run[-1] + 1
    return [line for i, line in enumerate(lines) if i not in used], tables


def _data_run(lines, start: int, line_is_row) -> list[int]:
    """Indexes of consecutive column lines from `start` that carry numbers (data rows); one
    short line between two of them (a wrapped header cell) may be skipped."""
    run: list[int] = []
    index = start
    while index < len(lines):
        line = lines[index]
        if line_is_row(line) and _NUMBER.search(line.text):
            run.append(index)
            index += 1
        elif run and index + 1 < len(lines) and len(line.text) <= 12 and line_is_row(lines[index + 1]):
            index += 1
        else:
            break
    return run


def _header_lines(lines, first_row: int, used: set[int]) -> list[int]:
    """Short lines right above the first data row: a header, maybe wrapped over lines."""
    header: list[int] = []
    index = first_row - 1
    while index >= 0 and len(header) < _MAX_HEADER_LINES and index not in used:
        text = lines[index].text
        if _CAPTION.match(text) or len(text) > 30 or re.search(r"[。；：:]$", text):
            break
        header.insert(0, index)
        index -= 1
    return header


def _rows(lines, header: list[int], run: list[int]) -> list[list[str]]:
    bounds = _column_bounds([lines[i] for i in run])
    if len(bounds) < 1:
        return []
    rows = [_cells(lines[i], bounds) for i in run]
    if header:
        header_cells = [_cells(lines[i], bounds) for i in header]
        merged = ["".join(parts) for parts in zip(*header_cells)]
        rows.insert(0, merged)
    return rows


def _column_bounds(rows) -> list[float]:
    """x positions splitting the columns: midway across the gaps of the widest data rows."""
    widest = max(len(row.spans) for row in rows)
    template = [row.spans for row in rows if len(row.spans) == widest]
    bounds = []
    for column in range(1, widest):
        left_end = max(spans[column - 1][1] for spans in template)
        right_start = min(spans[column][0] for spans in template)
        bounds.append((left_end + right_start) / 2)
    return bounds


def _cells(line, bounds: list[float]) -> list[str]:
    cells = [""] * (len(bounds) + 1)
    for x0, x1, text in line.chars:
        centre = (x0 + x1) / 2
        column = sum(centre > bound for bound in bounds)
        cells[column] += text
    return [cell.strip() for cell in cells]

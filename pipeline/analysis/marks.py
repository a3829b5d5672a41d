"""A comparison table's cells marked against a national evaluation standard (`compare --standard`).

The thresholds and the verdicts are `junheng.analysis.standards`' own (data/standards.tsv and the
province files); this module only applies them to a `ComparisonTable` as MARK_RULE in
compare.py says: a mark per cell, the threshold for each column's header, and counts per row.
`marked_cells` gives the same marks to the web page (`junheng serve`).
"""
from __future__ import annotations

from collections import Counter

from junheng.analysis.compare import Cell, Column, ComparisonTable, RegionRow, UnknownId, compare, preset_columns
from junheng.analysis.standards import (RESOURCE_LEVELS, RESOURCE_METRICS, STANDARDS, Mark, find_standard, mark,
                        province_of, resource_summary)

VERDICTS = ("met", "missed", "unknown")


def compare_marked(db, metrics: list[str], measures: list[str], region_codes: list[str] | None = None,
                   year: int | None = None, level: str | None = None, status: str = "actual",
                   standard: str | None = None) -> ComparisonTable:
    """`compare`'s table, its cells marked against `standard` (quality or basic, MARK_RULE) when
    one is given: what `junheng compare` shows."""
    table = compare(db, metrics, measures, region_codes, year, level, status)
    if standard:
        mark_table(table, standard)
    return table


def mark_table(table: ComparisonTable, standard: str) -> None:
    """Mark the table's metric cells against `standard` and count the marks of each row."""
    if standard not in STANDARDS:
        raise UnknownId(f"unknown standard {standard!r}; standards: {', '.join(STANDARDS)}")
    table.standard = standard
    marked = [column for column in table.columns
              if column.kind == "metric" and _mark_column(column, table.rows, standard)]
    # The seven indicators are counted when the table has them at a level the standard sets.
    resource = [column for column in marked if column.id in RESOURCE_METRICS and column.level in RESOURCE_LEVELS]
    for row in table.rows:
        row.counts = {**_resource_counts(row, resource, standard), **_mark_counts(row, marked)}


def _mark_column(column: Column, rows: list[RegionRow], standard: str) -> bool:
    """Mark the column's cells (an empty cell that a standard covers becomes unknown) and set
    its header threshold; whether a standard covers any of it."""
    marks: dict[str, Mark] = {}
    for row in rows:
        cell = row.cells.get(column.key)
        # The column's level and qualifier, settled once, pick the standard for every cell.
        found = mark(column.id, column.level, cell.value if cell else None, row.code, column.qualifier, standard)
        if found is None:
            continue
        if cell is None:
            cell = row.cells[column.key] = Cell(None)
        cell.mark = found
        marks[row.province or province_of(row.code)] = found
    national = find_standard(column.id, column.level, column.qualifier, standard)
    column.threshold = _header_threshold(national.text if national else None, marks)
    return column.threshold is not None


def _header_threshold(national: str | None, marks_by_province: dict[str, Mark]) -> str | None:
    """The national threshold, then each province whose own file sets another: ≤45; 浙江省 ≤40."""
    overrides = sorted({(province, found.threshold) for province, found in marks_by_province.items()
                        if found.threshold != national})
    parts = ([national] if national else []) + [f"{province} {threshold}" for province, threshold in overrides]
    return "; ".join(parts) or None


def _mark_counts(row: RegionRow, marked: list[Column]) -> dict[str, int]:
    verdicts = Counter(row.cells[c.key].mark.verdict for c in marked if c.key in row.cells and row.cells[c.key].mark)
    return {f"standards_{verdict}": verdicts[verdict] for verdict in VERDICTS}


def _resource_counts(row: RegionRow, resource: list[Column], standard: str) -> dict[str, int | str]:
    """standards.resource_summary over the table's resource columns (an indicator at a level the
    table lacks is unknown); judged at one level when the table has only one."""
    if not resource:
        return {}
    levels = {column.level for column in resource}
    values = {(c.id, c.level): row.cells[c.key].value for c in resource if c.key in row.cells}
    summary = resource_summary(values, row.code, levels.pop() if len(levels) == 1 else None, standard)
    return {"resource_indicators": summary.text,
            **{f"resource_indicators_{verdict}": len(getattr(summary, verdict)) for verdict in VERDICTS}}


def marked_cells(db, preset: str, standard: str) -> list[dict]:
    """The cells of `compare --preset P --standard S --long` that a standard covers, each with its
    region's counts: what the web page's compare queries show."""
    metrics, measures = preset_columns(preset)
    table = compare_marked(db, metrics, measures, standard=standard)
    counts = {row.code: row.counts for row in table.rows}
    return [{**record, **counts[record["code"]]} for record in table.long() if record["mark"]]

"""Comparison tables: chosen metrics and measures side by side, one row per region.

Only documents that are not reposts (`duplicate_of` is null) and have a region count. A
metric column first settles what its cells compare, once for the whole column, so that
they compare like with like (`CELL_RULE` says how, and `junheng compare --help` prints it);
then each region's cell is its best figure. Every cell keeps its provenance: the document's
source, title and date, and the figure's own text.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from junheng.analysis.standards import Mark
from junheng.figures.lexicon import metric_table as metric_vocabulary
from junheng.text.data import data_rows

LEVELS = ("compulsory", "primary", "junior", "senior", "preschool", "special")  # tie order too
WHOLE = "compulsory"  # a figure without a level is about compulsory education as a whole
MEASURE_PREFIX = "measure:"
MARK_SUFFIX = " mark"  # the wide form's mark column of a metric column: "<column> mark"
MARK_FIELDS = ("standard", "threshold", "mark", "standard_source")  # of each --long record with --standard

CELL_RULE = """\
Each metric cell is one figure of a document about that region (reposts count once),
chosen like this:
  1. status: actual figures (--status target for targets); --year Y keeps figures stated
     for year Y; --level L (or a column written metric:level) keeps that level, and
     compulsory includes figures with no level.
  2. qualifier, for the whole column: unqualified figures (approximations such as 近, 约,
     以上, bounds such as 不低于, ranges, 综合 差异系数 and the 56人以上 definition of 大班额
     count as unqualified, see pipeline/data/compare_qualifiers.tsv); if the column has none, the
     qualifier most regions have (the --long form shows it).
  3. level, for a column with no level given: the level most regions have a figure for
     (ties: compulsory, primary, junior, …); the column is then named metric:level.
  4. per region: the latest year; at the same year the document dated latest; within a
     document the first figure in its text.
A measure cell is true when a document about the region reports or plans the measure
(--year Y: a document dated in Y), shown by the latest such document, else false.
Rows: every region with at least one value or measure present, by division code."""

MARK_RULE = """\
--standard quality|basic marks every metric cell that a national standard covers
(pipeline/data/standards.tsv, at the column's level; a province's own file in
pipeline/data/standards_provinces overrides it for that province's regions):
  met or missed by the region's value, unknown when the region has no value.
  Columns with no standard (and measures) get no mark.
  The threshold is in the column's header: qualified_teachers_per_100:primary (≥4.2).
  Wide form: the value stays a number and the mark is in the column "<column> mark"
  (--format table shows both in one cell: 5.12 met); per region the counts
  standards_met, standards_missed, standards_unknown, and with columns of the seven
  resource indicators resource_indicators ("7 of 7 resource indicators met"; an
  indicator is met when met at every level the table has) with its _met, _missed,
  _unknown counts. --long: each cell has standard, threshold, mark, standard_source."""


class UnknownId(ValueError):
    """A metric, measure, level or preset that the vocabularies do not have."""


def unknown_id(kind: str, value: str, vocabulary: dict[str, dict[str, str]], listing: str) -> UnknownId:
    """The error for an id not in `vocabulary`, suggesting the nearest id (by spelling, or by
    its Chinese name: 差异系数 → balance_coefficient) instead of listing them all."""
    import difflib

    by_name = [id_ for id_, row in vocabulary.items() if value and value in (row.get("name_zh") or "")]
    by_prefix = [id_ for id_ in vocabulary if value and id_.startswith(value.lower())]
    nearest = (by_name or by_prefix)[:2] or difflib.get_close_matches(value.lower(), list(vocabulary), n=2, cutoff=0.7)
    hint = f"; did you mean {' or '.join(nearest)}?" if nearest else ""
    return UnknownId(f"unknown {kind} {value!r}{hint} (`{listing}` lists them all)")


# ---------------------------------------------------------------- vocabularies


@lru_cache(maxsize=1)
def measure_vocabulary() -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in data_rows("measures.tsv")}


@lru_cache(maxsize=1)
def presets() -> dict[str, dict]:
    path = resources.files("junheng") / "data" / "presets.json"
    return json.loads(path.read_text(encoding="utf-8"))


def preset_columns(name: str) -> tuple[list[str], list[str]]:
    """The metric specs and measure ids of a named preset (data/presets.json)."""
    preset = presets().get(name)
    if preset is None:
        raise UnknownId(f"unknown preset {name!r}; presets: {', '.join(presets())}")
    return list(preset["metrics"]), list(preset["measures"])


@lru_cache(maxsize=1)
def _neutral_patterns() -> dict[str, list[re.Pattern]]:
    patterns: dict[str, list[re.Pattern]] = {}
    for row in data_rows("compare_qualifiers.tsv"):
        patterns.setdefault(row["metric"], []).append(re.compile(row["pattern"]))
    return patterns


def is_neutral(metric: str, qualifier: str | None) -> bool:
    """Whether a qualifier leaves the figure comparable with unqualified ones."""
    if not qualifier:
        return True
    patterns = _neutral_patterns().get("*", []) + _neutral_patterns().get(metric, [])
    parts = [part.strip() for part in re.split(r"[；;，,]", qualifier) if part.strip()]
    return all(any(p.fullmatch(part) for p in patterns) for part in parts)


# ---------------------------------------------------------------- the table


@dataclass
class Column:
    kind: str  # metric | measure
    id: str
    level: str | None = None  # asked for (metric:level or --level), else chosen from the data
    qualifier: str | None = None  # the column's qualifier when it has no unqualified figure
    threshold: str | None = None  # with --standard: the standard's threshold (≥4.2) when one covers it

    @property
    def key(self) -> str:
        if self.kind == "measure":
            return MEASURE_PREFIX + self.id
        return self.id if self.level in (None, WHOLE) else f"{self.id}:{self.level}"

    @property
    def header(self) -> str:
        """The wide form's name of the column: its key, and the threshold when it has one."""
        return f"{self.key} ({self.threshold})" if self.threshold else self.key


@dataclass
class Cell:
    value: float | bool | None
    source: str | None = None
    title: str | None = None
    date: str | None = None
    text: str | None = None  # the figure's text, or the measure's first evidence sentence
    unit: str | None = None
    level: str | None = None
    year: int | None = None
    status: str | None = None
    qualifier: str | None = None
    mark: Mark | None = None  # with --standard, when a standard covers the cell


@dataclass
class RegionRow:
    code: str
    province: str | None
    city: str | None
    county: str | None
    cells: dict[str, Cell] = field(default_factory=dict)
    counts: dict[str, int | str] = field(default_factory=dict)  # with --standard: counts of the marks

    def names(self) -> dict:
        return {"code": self.code, "province": self.province, "city": self.city, "county": self.county}


@dataclass
class ComparisonTable:
    columns: list[Column]
    rows: list[RegionRow]
    standard: str | None = None  # the standard the cells are marked against (MARK_RULE)

    def wide(self, marks_in_values: bool = False) -> list[dict]:
        """One record per region: its names, its mark counts, then per column its value (None when
        empty) and, for a column with a threshold, its mark. `marks_in_values` puts value and mark
        in one text cell (5.12 met): for reading only, as --format table shows it."""
        records = []
        for row in self.rows:
            record = {**row.names(), **row.counts}
            for column in self.columns:
                cell = row.cells.get(column.key) or Cell(None)
                value = _plain(cell.value)
                if marks_in_values and cell.mark:
                    value = cell.mark.verdict if value is None else f"{value} {cell.mark.verdict}"
                record[column.header] = value
                if column.threshold and not marks_in_values:
                    record[column.key + MARK_SUFFIX] = cell.mark.verdict if cell.mark else None
            records.append(record)
        return records

    def long(self) -> list[dict]:
        """One record per filled cell with its provenance (a measure cell is never empty); with a
        standard, also the cells it marks unknown, and each record its standard, threshold, mark."""
        records = []
        for row in self.rows:
            for column in self.columns:
                cell = row.cells.get(column.key)
                if cell is not None:
                    records.append(_long_record(row, column, cell, self.standard))
        return records

    def table_columns(self) -> list[str]:
        """What --format table shows of the wide form: place, readable counts, the columns."""
        counts = self.rows[0].counts if self.rows else {}
        readable = [key for key in counts if not key.startswith("resource_indicators_")]  # its text says them
        return ["code", "province", "city", "county"] + readable + [column.header for column in self.columns]


def _long_record(row: RegionRow, column: Column, cell: Cell, standard: str | None) -> dict:
    is_metric = column.kind == "metric"
    record = {**row.names(), "column": column.key, "kind": column.kind, "id": column.id,
              "value": _plain(cell.value) if is_metric else None,
              "present": None if is_metric else cell.value,
              "unit": cell.unit, "level": cell.level, "year": cell.year, "status": cell.status,
              "qualifier": cell.qualifier, "text": cell.text, "source": cell.source,
              "title": cell.title, "date": cell.date}
    if standard:  # the same four fields on every record, empty where no standard covers the cell
        found = cell.mark
        record.update({"standard": standard, "threshold": found.threshold, "mark": found.verdict,
                       "standard_source": found.source} if found else dict.fromkeys(MARK_FIELDS))
    return record


def _plain(value):
    """Whole numbers as int (15, not 15.0), as the JSON of `extract` has them."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


# ---------------------------------------------------------------- building it


@dataclass
class FigureRow:
    """A stored figure with what the rule needs of its document."""

    region: str
    metric: str
    value: float
    unit: str
    level: str | None
    year: int | None
    status: str
    qualifier: str | None
    text: str
    start: int
    figure_id: int
    document_date: str | None
    source: str
    title: str | None

    @property
    def level_class(self) -> str:
        return self.level or WHOLE

    def recency(self) -> tuple:
        # Latest year, then latest document date, then first figure in the text.
        return (self.year if self.year is not None else -1, self.document_date or "", -(self.start or 0),
                -self.figure_id)

    def cell(self) -> Cell:
        return Cell(value=self.value, source=self.source, title=self.title, date=self.document_date,
                    text=self.text, unit=self.unit, level=self.level, year=self.year, status=self.status,
                    qualifier=self.qualifier)


def parse_columns(metrics: list[str], measures: list[str], level: str | None = None) -> list[Column]:
    """Columns from metric specs (id or id:level) and measure ids; raises UnknownId."""
    columns = []
    for spec in metrics:
        metric, _, spec_level = spec.partition(":")
        if metric not in metric_vocabulary():
            raise unknown_id("metric", metric, metric_vocabulary(), "junheng metrics")
        if spec_level and spec_level not in LEVELS:
            raise UnknownId(f"unknown level {spec_level!r} in {spec!r}; levels: {', '.join(LEVELS)}")
        columns.append(Column("metric", metric, spec_level or level))
    for measure in measures:
        if measure not in measure_vocabulary():
            raise unknown_id("measure", measure, measure_vocabulary(), "junheng measures")
        columns.append(Column("measure", measure))
    return columns


def compare(db, metrics: list[str], measures: list[str], region_codes: list[str] | None = None,
            year: int | None = None, level: str | None = None, status: str = "actual") -> ComparisonTable:
    """The comparison table of the chosen metrics (id or id:level) and measures (CELL_RULE);
    `marks.compare_marked` marks its cells against a standard (MARK_RULE)."""
    rows: dict[str, RegionRow] = {}
    columns: dict[str, Column] = {}
    requested = parse_columns(metrics, measures, level)
    metric_ids = sorted({c.id for c in requested if c.kind == "metric"})
    figures = load_figures(db, metric_ids, region_codes, year, status) if metric_ids else []
    for column in requested:
        if column.kind == "metric":
            chosen = choose_figures(column, figures)
            cells = {region: max(found, key=FigureRow.recency).cell() for region, found in _by_region(chosen).items()}
        else:
            cells = _measure_cells(db, column.id, region_codes, year)
        if column.key in columns:  # metric and metric:level may settle on the same column
            continue
        columns[column.key] = column
        for region, cell in cells.items():
            rows.setdefault(region, RegionRow(region, None, None, None)).cells[column.key] = cell
    _fill_names(db, rows)
    _absent_measures(list(columns.values()), rows)
    return ComparisonTable(list(columns.values()), [rows[code] for code in sorted(rows)])


def choose_figures(column: Column, figures: list[FigureRow]) -> list[FigureRow]:
    """The column's figures after steps 1-3 of CELL_RULE; sets the column's level and qualifier."""
    found = [f for f in figures if f.metric == column.id]
    if column.level:
        found = [f for f in found if f.level_class == column.level]
    neutral = [f for f in found if is_neutral(f.metric, f.qualifier)]
    if neutral:
        found = neutral
    elif found:
        column.qualifier = _most_regions(found, lambda f: f.qualifier, sorted)
        found = [f for f in found if f.qualifier == column.qualifier]
    if not column.level and found:
        column.level = _most_regions(found, lambda f: f.level_class, lambda keys: sorted(keys, key=_level_rank))
        found = [f for f in found if f.level_class == column.level]
    return found


def _most_regions(figures: list[FigureRow], key, tie_order) -> str:
    """The key value that most regions have a figure for; ties go to the first in tie_order."""
    regions = Counter(k for k, _ in {(key(f), f.region) for f in figures})
    best = max(regions.values())
    return tie_order([k for k, n in regions.items() if n == best])[0]


def _level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def _by_region(figures: list[FigureRow]) -> dict[str, list[FigureRow]]:
    grouped: dict[str, list[FigureRow]] = {}
    for figure in figures:
        grouped.setdefault(figure.region, []).append(figure)
    return grouped


def metric_series(db, spec: str, region_codes: list[str] | None = None, level: str | None = None,
                  status: str = "actual") -> tuple[Column, dict[str, dict[int, Cell]]]:
    """For a line over the years: the column (settled once) and each region's cell per year."""
    [column] = parse_columns([spec], [], level)
    chosen = choose_figures(column, load_figures(db, [column.id], region_codes, None, status))
    series: dict[str, dict[int, Cell]] = {}
    for region, found in _by_region([f for f in chosen if f.year is not None]).items():
        years: dict[int, list[FigureRow]] = {}
        for figure in found:
            years.setdefault(figure.year, []).append(figure)
        series[region] = {y: max(fs, key=FigureRow.recency).cell() for y, fs in sorted(years.items())}
    return column, series


_SCOPE = "d.duplicate_of IS NULL AND d.region_code IS NOT NULL"
_IN_REGIONS = " AND d.region_code IN (SELECT value FROM json_each(?))"


def load_figures(db, metric_ids: list[str], region_codes: list[str] | None, year: int | None,
                 status: str) -> list[FigureRow]:
    """Figures of these metrics and status from documents in scope (no reposts)."""
    sql = (f"SELECT d.region_code, f.metric, f.value, f.unit, f.level, f.year, f.status, f.qualifier, f.text, "
           f"f.start, f.id, d.date, d.source, d.title FROM figures f JOIN documents d ON d.id = f.document_id "
           f"WHERE {_SCOPE} AND f.status = ? AND f.metric IN (SELECT value FROM json_each(?))")
    params: list = [status, json.dumps(metric_ids)]
    if region_codes is not None:
        sql += _IN_REGIONS
        params.append(json.dumps(region_codes))
    if year is not None:
        sql += " AND f.year = ?"
        params.append(year)
    return [FigureRow(*row) for row in db.execute(sql, params).fetchall()]


def _measure_cells(db, measure: str, region_codes: list[str] | None, year: int | None) -> dict[str, Cell]:
    sql = (f"SELECT d.region_code, d.source, d.title, d.date, m.evidence FROM measures m "
           f"JOIN documents d ON d.id = m.document_id WHERE {_SCOPE} AND m.measure = ?")
    params: list = [measure]
    if region_codes is not None:
        sql += _IN_REGIONS
        params.append(json.dumps(region_codes))
    if year is not None:
        sql += " AND substr(d.date, 1, 4) = ?"
        params.append(str(year))
    sql += " ORDER BY coalesce(d.date, '') DESC, d.id"  # the latest document first
    cells: dict[str, Cell] = {}
    for region, source, title, date, evidence in db.execute(sql, params).fetchall():
        if region not in cells:
            sentences = json.loads(evidence) if evidence else []
            cells[region] = Cell(True, source, title, date, text=sentences[0]["text"] if sentences else None)
    return cells


def _absent_measures(columns: list[Column], rows: dict[str, RegionRow]) -> None:
    for row in rows.values():
        for column in columns:
            if column.kind == "measure" and column.key not in row.cells:
                row.cells[column.key] = Cell(False)


def _fill_names(db, rows: dict[str, RegionRow]) -> None:
    """Region names as the region's latest document states them."""
    sql = ("SELECT region_code, province, city, county FROM documents d WHERE d.duplicate_of IS NULL "
           "AND d.region_code IN (SELECT value FROM json_each(?)) ORDER BY coalesce(d.date, '') DESC, d.id")
    for code, province, city, county in db.execute(sql, [json.dumps(list(rows))]).fetchall():
        row = rows[code]
        if row.province is None:
            row.province, row.city, row.county = province, city, county

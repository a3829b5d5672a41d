"""The national evaluation standards, and whether a figure meets them.

Data: `data/standards.tsv` (one threshold a row: the 2017 优质均衡 办法 as standard `quality`,
the 2012 基本均衡 暂行办法 as `basic`, each row with its source), overridden per province by
`data/standards_provinces/<province_code>.tsv` (same columns: a row replaces the national row
with the same standard, metric, level and qualifier, or adds one). `data/metrics.tsv` is the
project's copy of the metric vocabulary (CONTRACT.md), with `one_value`.

A row applies to a figure when its level is empty or equal to the figure's, and its qualifier
is empty or a word of the figure's qualifier (骨干教师 in 骨干教师占交流总数); of the rows that
apply, the one with a qualifier beats the one without, then a row with a level beats one
without. Public API: `judge`, `find_standard`, `mark`, `resource_summary`, `province_of`,
`indicator_columns`, `RESOURCE_METRICS` (the metric vocabulary, `metric_table` and
`one_value_metrics`, is figures.lexicon's).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping


DATA = Path(__file__).resolve().parent.parent / "data"
PROVINCES_DIR = DATA / "standards_provinces"
STANDARDS = ("quality", "basic")
# The seven resource indicators of the 2017 办法 (资源配置), in its order.
RESOURCE_METRICS = (
    "qualified_teachers_per_100", "backbone_teachers_per_100", "pe_art_teachers_per_100",
    "teaching_space_per_student", "sports_space_per_student", "equipment_value_per_student",
    "multimedia_rooms_per_100",
)
RESOURCE_LEVELS = ("primary", "junior")
_SYMBOLS = {">=": "≥", "<=": "≤"}


@dataclass(frozen=True)
class Standard:
    standard: str  # quality | basic
    metric: str
    level: str  # "" = any level
    qualifier: str  # "" = any qualifier
    comparator: str  # >= | <=
    threshold: str  # as written in the source (0.50 stays 0.50 in headers)
    unit: str
    source: str
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.standard, self.metric, self.level, self.qualifier

    @property
    def text(self) -> str:
        """The threshold for a table header: ≥4.2, ≤0.50."""
        return _SYMBOLS[self.comparator] + self.threshold

    def holds(self, value: float) -> bool:
        limit = float(self.threshold)
        return value >= limit if self.comparator == ">=" else value <= limit

    def applies_to(self, level: str | None, qualifier: str | None) -> bool:
        level_fits = not self.level or self.level == level
        return level_fits and (not self.qualifier or self.qualifier in (qualifier or ""))


@dataclass(frozen=True)
class Mark:
    """What compare shows in a cell: the verdict, the threshold text and where it comes from."""

    verdict: str  # met | missed | unknown (a standard applies but the value is missing)
    threshold: str
    source: str


@dataclass(frozen=True)
class ResourceSummary:
    met: tuple[str, ...]
    missed: tuple[str, ...]
    unknown: tuple[str, ...]

    @property
    def text(self) -> str:
        total = len(self.met) + len(self.missed) + len(self.unknown)
        counts = ((self.missed, "missed"), (self.unknown, "unknown"))
        extra = [f"{len(names)} {word}" for names, word in counts if names]
        return f"{len(self.met)} of {total} resource indicators met" + (f" ({', '.join(extra)})" if extra else "")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_standards(path: Path) -> list[Standard]:
    """The rows of one standards file (national or provincial)."""
    return [Standard(**{name: (row.get(name) or "").strip() for name in Standard.__dataclass_fields__})
            for row in _read(path)]


@lru_cache(maxsize=None)
def standards(province_code: str | None = None, provinces_dir: Path = PROVINCES_DIR) -> tuple[Standard, ...]:
    """The national rows, with a province's own rows put over them when it has a file."""
    rows = {row.key: row for row in read_standards(DATA / "standards.tsv")}
    province_file = Path(provinces_dir) / f"{province_code}.tsv"
    if province_code and province_file.exists():
        rows.update({row.key: row for row in read_standards(province_file)})
    return tuple(rows.values())


def indicator_columns(standard: str) -> list[str]:
    """The compare columns (id or id:level) of every national indicator of `standard`, in the
    order of standards.tsv: what `compare --standard quality` shows when no column is named."""
    specs = [f"{row.metric}:{row.level}" if row.level else row.metric
             for row in standards() if row.standard == standard and not row.qualifier]
    return list(dict.fromkeys(specs))


def province_of(region_code: str | None) -> str | None:
    """The province of a division code: its first two digits (the GB/T 2260 code system)."""
    return f"{region_code[:2]}0000" if region_code else None


def find_standard(metric: str, level: str | None = None, qualifier: str | None = None,
                  standard: str = "quality", province_code: str | None = None,
                  provinces_dir: Path = PROVINCES_DIR) -> Standard | None:
    """The row that applies to a figure, or None when no standard covers it."""
    rows = [row for row in standards(province_code, Path(provinces_dir))
            if row.standard == standard and row.metric == metric and row.applies_to(level, qualifier)]
    return max(rows, key=lambda row: (bool(row.qualifier), bool(row.level)), default=None)


def judge(value: float | None, metric: str, level: str | None = None, qualifier: str | None = None,
          standard: str = "quality", province_code: str | None = None,
          provinces_dir: Path = PROVINCES_DIR) -> str | None:
    """"met" or "missed" against the standard that applies, None when there is none (or no value)."""
    row = find_standard(metric, level, qualifier, standard, province_code, provinces_dir)
    if row is None or value is None:
        return None
    return "met" if row.holds(value) else "missed"


def mark(metric: str, level: str | None, value: float | None, region_code: str | None,
         qualifier: str | None = None, standard: str = "quality") -> Mark | None:
    """A comparison cell's mark: the verdict and the header text (≥4.2), for the region's province;
    None when no standard covers the cell, verdict unknown when one does but there is no value."""
    row = find_standard(metric, level, qualifier, standard, province_of(region_code))
    if row is None:
        return None
    verdict = "unknown" if value is None else "met" if row.holds(value) else "missed"
    return Mark(verdict, row.text, row.source)


def resource_summary(values: Mapping[tuple[str, str], float], region_code: str | None = None,
                     level: str | None = None, standard: str = "quality") -> ResourceSummary:
    """Met, missed and unknown among the seven resource indicators of a county.

    `values` maps (metric, level) to the county's value. With `level` (primary or junior)
    each indicator is judged at that level; without, an indicator is met only when it is met
    at both levels, missed when it is missed at either, and unknown otherwise."""
    province = province_of(region_code)
    levels = (level,) if level else RESOURCE_LEVELS
    verdicts: dict[str, list[str]] = {"met": [], "missed": [], "unknown": []}
    for metric in RESOURCE_METRICS:
        marks = {judge(values.get((metric, lvl)), metric, lvl, None, standard, province) for lvl in levels}
        verdict = "missed" if "missed" in marks else "met" if marks == {"met"} else "unknown"
        verdicts[verdict].append(metric)
    return ResourceSummary(*(tuple(verdicts[name]) for name in ("met", "missed", "unknown")))

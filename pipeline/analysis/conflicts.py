"""Figures that should agree and do not.

Two figures should agree when they state the same thing: the same region, metric, level,
qualifier, year and status, for a metric a region has one value of (`one_value` yes in
metrics.tsv: rates, ratios, per-student indicators, stock counts; flows and project amounts
add up, so they never conflict). They conflict when they come from different documents and
their values are more than 1% apart. Equal values are agreement, a figure without a year
cannot be placed, and a repost (`duplicate_of` set) is the same source, so none of those is
reported.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from junheng.figures.lexicon import one_value_metrics
from junheng.analysis.trend import figure_points, plain_number

TOLERANCE = 0.01  # values within 1% of each other agree (rounding, 万 conversions)
_KEY = ("region_code", "metric", "level", "qualifier", "year", "status")
_SIDE = ("value", "source", "title", "date", "doc_type", "text", "sentence")


def conflicts(db, region_codes: list[str] | None = None, metric: str | None = None) -> list[dict]:
    """Each disagreeing pair once, earlier document first, by region, metric, level and year."""
    metrics = sorted(one_value_metrics() & {metric}) if metric else sorted(one_value_metrics())
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for point in figure_points(db, metrics, region_codes):
        if point["year"] is not None:
            groups[tuple(point[key] for key in _KEY)].append(point)
    found = []
    for key in sorted(groups, key=lambda k: tuple("" if part is None else str(part) for part in k)):
        found.extend(_pairs(groups[key]))
    return found


def disagree(a: float, b: float) -> bool:
    """More than 1% apart, relative to the larger value."""
    return abs(a - b) > TOLERANCE * max(abs(a), abs(b))


def _pairs(points: list[dict]) -> list[dict]:
    points = sorted(points, key=lambda p: (p["date"] or "", p["document_id"], p["start"]))
    seen, pairs = set(), []
    for first, second in combinations(points, 2):
        identity = (first["document_id"], first["value"], second["document_id"], second["value"])
        if first["document_id"] == second["document_id"] or identity in seen:
            continue
        if disagree(first["value"], second["value"]):
            seen.add(identity)
            pairs.append(_record(first, second))
    return pairs


def _record(first: dict, second: dict) -> dict:
    record = {key: first[key] for key in ("region_code", "region", "metric", "level", "qualifier", "year",
                                          "status", "unit")}
    record["difference_pct"] = round(100 * abs(first["value"] - second["value"])
                                     / max(abs(first["value"]), abs(second["value"])), 1)
    record["a"] = {key: plain_number(first[key]) for key in _SIDE}
    record["b"] = {key: plain_number(second[key]) for key in _SIDE}
    return record

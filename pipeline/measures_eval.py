"""Document-level evaluation of the measure classifiers against corpus/gold/*.json.

Per measure: true/false positives and false negatives over documents; micro averages pool
every (document, measure) decision, macro averages the per-measure F1 over the measures with
at least MACRO_MIN_SUPPORT gold documents (fewer make an F1 of noise).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .document import Document, MeasureHit

MACRO_MIN_SUPPORT = 3
SYSTEMS = ("model", "baseline")


def gold_measures(gold_dir: Path, slugs) -> dict[str, set[str]]:
    gold = {}
    for slug in slugs:
        path = gold_dir / f"{slug}.json"
        if path.exists():
            gold[slug] = set(json.loads(path.read_text(encoding="utf-8")).get("measures", []))
    return gold


def evaluate(gold_dir: Path, documents: dict[str, Document],
             classify: Callable[[Document], list[MeasureHit]],
             baseline: Callable[[Document], list[MeasureHit]]) -> dict:
    gold = gold_measures(gold_dir, documents)
    predicted = {
        "model": {slug: {hit.measure for hit in classify(documents[slug])} for slug in gold},
        "baseline": {slug: {hit.measure for hit in baseline(documents[slug])} for slug in gold},
    }
    from .measures_model import measure_ids

    measures = measure_ids()
    result = {"documents": len(gold), "macro_min_support": MACRO_MIN_SUPPORT, "per_measure": {}}
    for system in SYSTEMS:
        counts = {measure: measure_counts(gold, predicted[system], measure) for measure in measures}
        result[system] = averages(counts, gold, measures)
        for measure in measures:
            entry = result["per_measure"].setdefault(measure, {"support": _support(gold, measure)})
            entry[system] = prf(*counts[measure])
    result["errors"] = _errors(gold, predicted["model"])
    return result


def _support(gold: dict[str, set[str]], measure: str) -> int:
    return sum(measure in measures for measures in gold.values())


def measure_counts(gold, predicted, measure) -> tuple[int, int, int]:
    tp = sum(measure in gold[slug] and measure in predicted[slug] for slug in gold)
    fp = sum(measure not in gold[slug] and measure in predicted[slug] for slug in gold)
    fn = sum(measure in gold[slug] and measure not in predicted[slug] for slug in gold)
    return tp, fp, fn


def prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def averages(counts: dict, gold: dict, measures: list[str], min_support: int = MACRO_MIN_SUPPORT) -> dict:
    """Micro P/R/F1 over every (document, measure) decision; macro over the measures with at
    least `min_support` gold documents (the dev set's rule is 1: every measure it has)."""
    pooled = [sum(values) for values in zip(*counts.values())]
    micro = prf(*pooled)
    scored = [measure for measure in measures if _support(gold, measure) >= min_support]
    per = [prf(*counts[measure]) for measure in scored]
    macro = {key: round(sum(entry[key] for entry in per) / len(per), 4) if per else 0.0
             for key in ("precision", "recall", "f1")}
    return {"micro": micro, "macro": macro, "macro_measures": len(scored)}


def _errors(gold, predicted) -> dict[str, dict[str, list[str]]]:
    errors = {}
    for slug in sorted(gold):
        missed = sorted(gold[slug] - predicted[slug])
        extra = sorted(predicted[slug] - gold[slug])
        if missed or extra:
            errors[slug] = {"missed": missed, "extra": extra}
    return errors


def format_report(result: dict) -> str:
    """A plain-text table: averages of both systems, then each measure with its support."""
    lines = [f"Measures, document level: {result['documents']} documents "
             f"(macro over measures with ≥ {result['macro_min_support']} gold documents)", ""]
    lines.append(f"{'':28} {'model P/R/F1':>20}   {'baseline P/R/F1':>20}")
    for average in ("micro", "macro"):
        cells = [_triple(result[system][average]) for system in SYSTEMS]
        lines.append(f"{average:28} {cells[0]:>20}   {cells[1]:>20}")
    lines += ["", f"{'measure':28} {'support':>7} {'model P/R/F1':>20}   {'baseline P/R/F1':>20}"]
    for measure, entry in result["per_measure"].items():
        cells = [_triple(entry[system]) for system in SYSTEMS]
        lines.append(f"{measure:28} {entry['support']:>7} {cells[0]:>20}   {cells[1]:>20}")
    if result.get("errors"):
        lines += ["", "model errors (missed / extra):"]
        for slug, error in result["errors"].items():
            lines.append(f"  {slug}: -{','.join(error['missed']) or '∅'}  +{','.join(error['extra']) or '∅'}")
    return "\n".join(lines)


def _triple(scores: dict) -> str:
    return f"{scores['precision']:.2f}/{scores['recall']:.2f}/{scores['f1']:.2f}"

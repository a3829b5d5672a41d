"""Document-level scores of measure predictions: per measure true/false positives and false
negatives over documents; micro averages pool every (document, measure) decision, macro
averages the per-measure F1 over the measures with at least MACRO_MIN_SUPPORT gold documents
(fewer make an F1 of noise). Shared by training's cross-validation (dev) and `evaluate`.
"""
from __future__ import annotations

MACRO_MIN_SUPPORT = 3


def support(gold: dict[str, set[str]], measure: str) -> int:
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
    scored = [measure for measure in measures if support(gold, measure) >= min_support]
    per = [prf(*counts[measure]) for measure in scored]
    macro = {key: round(sum(entry[key] for entry in per) / len(per), 4) if per else 0.0
             for key in ("precision", "recall", "f1")}
    return {"micro": micro, "macro": macro, "macro_measures": len(scored)}

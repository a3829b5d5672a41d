"""Scores on the real development set, by the rule its README states (the one the project is
judged by), for one form's documents at a time.

- Figures: a gold figure matches a predicted one of the same metric whose value is within 0.5%;
  gold figures are taken in file order and each takes the first prediction still free (in text
  order). This differs on purpose from evaluation.match_figures (closest value first), which
  the corpus scores keep. Precision and recall are pooled over documents; value recall is the
  same matching without the metric. Table pages (dt…) and the pages in traditional characters
  are also scored apart, since they are where extraction is weakest.
- Measures: micro P/R/F1 pooled over (document, measure) decisions; macro-F1 the mean of each
  measure's F1 over the measures some gold document has.
- Region: right when the 6-digit codes are equal; a document whose gold has no region is right
  only when every predicted region field is null. doc_type (and balance_stage): exact.

A document the reader could not turn into text (None) predicts nothing.
"""
from __future__ import annotations

from dataclasses import fields

from junheng.document import Document, Figure, Region
from junheng.evaluation.figures import values_match

TRADITIONAL = ("dm24", "dm25", "dn05", "dn16", "ds05", "dq02")  # the dev README's list
TABLE_PREFIX = "dt"


def subset_of(doc_id: str) -> list[str]:
    """The report rows a document counts in besides `all`."""
    return ["all"] + (["tables"] if doc_id.startswith(TABLE_PREFIX) else []) + \
        (["traditional"] if doc_id in TRADITIONAL else [])


def match_in_order(gold: list[dict], predicted: list[Figure], same_metric: bool = True) -> list[tuple[int, int]]:
    """(gold index, predicted index): each gold figure, in file order, takes the first free
    prediction with a value within 0.5% (and the same metric when `same_metric`)."""
    used: set[int] = set()
    pairs = []
    for g, figure in enumerate(gold):
        for p, guess in enumerate(predicted):
            if p in used or (same_metric and guess.metric != figure["metric"]):
                continue
            if values_match(figure["value"], guess.value):
                pairs.append((g, p))
                used.add(p)
                break
    return pairs


def _figure_rates(c: dict) -> dict:
    precision = c["matched"] / c["predicted"] if c["predicted"] else 0.0
    recall = c["matched"] / c["gold"] if c["gold"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {**c, "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "value_recall": round(c["value_matched"] / c["gold"], 4) if c["gold"] else 0.0}


def score_figures(gold: dict[str, dict], documents: dict[str, Document | None]) -> dict:
    """Pooled P/R/F1 and value recall for all documents and each subset; misses and false hits."""
    counts = {name: {"documents": 0, "gold": 0, "predicted": 0, "matched": 0, "value_matched": 0}
              for name in ("all", "tables", "traditional")}
    misses, false_hits = [], []
    for doc_id in sorted(documents):
        doc = documents[doc_id]
        expected = gold[doc_id].get("figures", [])
        predicted = sorted(doc.figures, key=lambda f: (f.start, f.end)) if doc else []
        pairs = match_in_order(expected, predicted)
        value_pairs = match_in_order(expected, predicted, same_metric=False)
        for name in subset_of(doc_id):
            for key, n in (("documents", 1), ("gold", len(expected)), ("predicted", len(predicted)),
                           ("matched", len(pairs)), ("value_matched", len(value_pairs))):
                counts[name][key] += n
        matched_gold, matched_predicted = {g for g, _ in pairs}, {p for _, p in pairs}
        misses += [{"id": doc_id, "metric": f["metric"], "value": f["value"], "text": f.get("text", "")}
                   for g, f in enumerate(expected) if g not in matched_gold]
        false_hits += [{"id": doc_id, "metric": f.metric, "value": f.value, "text": f.text}
                       for p, f in enumerate(predicted) if p not in matched_predicted]
    return {**{name: _figure_rates(c) for name, c in counts.items()}, "misses": misses, "false_hits": false_hits}


def score_measures(gold: dict[str, dict], documents: dict[str, Document | None]) -> dict:
    from junheng.measures.scores import averages, measure_counts
    from junheng.measures.model import measure_ids

    expected = {doc_id: set(gold[doc_id].get("measures", [])) for doc_id in documents}
    predicted = {doc_id: {hit.measure for hit in doc.measures} if doc else set()
                 for doc_id, doc in documents.items()}
    measures = sorted(set(measure_ids()) | {m for ids in expected.values() for m in ids})
    counts = {measure: measure_counts(expected, predicted, measure) for measure in measures}
    scores = averages(counts, expected, measures, min_support=1)
    errors = [{"id": doc_id, "missed": sorted(expected[doc_id] - predicted[doc_id]),
               "extra": sorted(predicted[doc_id] - expected[doc_id]),
               "evidence": _evidence(documents[doc_id], predicted[doc_id] - expected[doc_id])}
              for doc_id in sorted(documents) if expected[doc_id] != predicted[doc_id]]
    return {"documents": len(documents), "micro": scores["micro"], "macro": scores["macro"],
            "macro_measures": scores["macro_measures"], "errors": errors}


def _evidence(doc: Document | None, extra: set[str]) -> dict[str, str]:
    """The sentence that made each wrongly predicted measure, to read beside the miss."""
    if not doc:
        return {}
    return {hit.measure: hit.evidence[0].text for hit in doc.measures if hit.measure in extra and hit.evidence}


def region_right(expected: dict | None, predicted: Region) -> bool:
    code = (expected or {}).get("code")
    if code:
        return predicted.code == code
    return all(getattr(predicted, f.name) is None for f in fields(Region))


def score_metadata(gold: dict[str, dict], documents: dict[str, Document | None]) -> dict:
    """Accuracy of region, doc_type and balance_stage, and the misses of each."""
    result = {}
    for field in ("region", "doc_type", "balance_stage"):
        misses = []
        for doc_id, doc in sorted(documents.items()):
            expected = gold[doc_id].get(field)
            if field == "region":
                ok = region_right(expected, doc.region if doc else Region())
                expected = (expected or {}).get("code")
                predicted = (doc.region.code or doc.region.mentioned_as) if doc else None
            else:
                predicted = getattr(doc, field) if doc else None
                ok = predicted == expected
            if not ok:
                misses.append({"id": doc_id, "expected": expected, "predicted": predicted})
        total = len(documents)
        result[field] = {"accuracy": round((total - len(misses)) / total, 4) if total else 0.0, "n": total,
                         "misses": misses}
    return result


SCORERS = {"figures": score_figures, "measures": score_measures, "metadata": score_metadata}
EXAMPLE_LISTS = ("misses", "false_hits", "errors")


def trimmed(result: dict, examples: int) -> dict:
    """The result with each example list cut to `examples` (for --json)."""
    out = {}
    for key, value in result.items():
        if key in EXAMPLE_LISTS:
            out[key] = value[:examples]
        elif isinstance(value, dict) and "misses" in value:  # a metadata field
            out[key] = {**value, "misses": value["misses"][:examples]}
        else:
            out[key] = value
    return out


def format_figures(results: dict[str, dict], examples: int) -> str:
    lines = [f"{'form':5} {'subset':12} {'docs':>4} {'gold':>5} {'pred':>5} {'match':>5}  "
             f"{'P':>5} {'R':>5} {'F1':>5}  {'value R':>7}"]
    for form, result in results.items():
        for subset in ("all", "tables", "traditional"):
            s = result[subset]
            lines.append(f"{form:5} {subset:12} {s['documents']:4d} {s['gold']:5d} {s['predicted']:5d} "
                         f"{s['matched']:5d}  {s['precision']:5.3f} {s['recall']:5.3f} {s['f1']:5.3f}  "
                         f"{s['value_recall']:7.3f}")
    for form, result in results.items() if examples else ():
        for title, rows in (("misses", result["misses"]), ("false hits", result["false_hits"])):
            lines += ["", f"{form} {title} ({len(rows)}, first {min(examples, len(rows))}):"]
            lines += [f"  {r['id']}: {r['metric']} {r['value']:g}  «{r['text']}»" for r in rows[:examples]]
    return "\n".join(lines)


def format_measures(results: dict[str, dict], examples: int) -> str:
    lines = [f"{'form':5} {'docs':>4}  {'micro P/R/F1':>16}  {'macro P/R/F1':>16}  (macro over measures with gold)"]
    for form, r in results.items():
        lines.append(f"{form:5} {r['documents']:4d}  {_triple(r['micro']):>16}  {_triple(r['macro']):>16}"
                     f"  ({r['macro_measures']} measures)")
    for form, result in results.items() if examples else ():
        lines += ["", f"{form} documents with errors ({len(result['errors'])}, first {examples}):"]
        for error in result["errors"][:examples]:
            lines.append(f"  {error['id']}: missed {','.join(error['missed']) or '-'}; "
                         f"extra {','.join(error['extra']) or '-'}")
            lines += [f"      {measure}: «{text[:120]}»" for measure, text in error["evidence"].items()]
    return "\n".join(lines)


def _triple(s: dict) -> str:
    return f"{s['precision']:.3f}/{s['recall']:.3f}/{s['f1']:.3f}"


def format_metadata(results: dict[str, dict], examples: int) -> str:
    forms = list(results)
    lines = ["field          " + "".join(f"{form:>8}" for form in forms)]
    for field in ("region", "doc_type", "balance_stage"):
        lines.append(f"{field:<15}" + "".join(f"{results[form][field]['accuracy']:>8.3f}" for form in forms))
    lines.append("documents      " + "".join(f"{results[form]['region']['n']:>8}" for form in forms))
    for form in forms if examples else ():
        for field in ("region", "doc_type", "balance_stage"):
            for miss in results[form][field]["misses"][:examples]:
                lines.append(f"  {form} {field} {miss['id']}: expected {miss['expected']!r}, got {miss['predicted']!r}")
    return "\n".join(lines)


FORMATTERS = {"figures": format_figures, "measures": format_measures, "metadata": format_metadata}

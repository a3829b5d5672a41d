"""Scoring the figure extractor against gold annotations (corpus/gold/<slug>.json).

Matching rule: a predicted figure matches a gold figure of the same document when the metric
is the same and the value is within 0.5% (one-to-one, greedy, closest value first). On the
matches we also report how often level, status, previous and year agree.

    from junheng.evaluation.figures import evaluate_figures, format_figures_report, source_documents
    docs = source_documents("corpus/source", "corpus/gold")
    print(format_figures_report(evaluate_figures("corpus/gold", docs)))

or `python -m junheng.evaluation.figures [SOURCE_DIR GOLD_DIR]`.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from hashlib import sha256
from pathlib import Path

from junheng.document import Document, Figure
from junheng.figures.extract import extract_figures

TOLERANCE = 0.005
ATTRIBUTES = ("level", "status", "previous", "year")


def values_match(gold: float | None, predicted: float | None) -> bool:
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return abs(predicted - gold) <= TOLERANCE * abs(gold) + 1e-9


def match_figures(gold: list[dict], predicted: list[Figure]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs: same metric, value within 0.5%, closest first."""
    candidates = []
    for g, figure in enumerate(gold):
        for p, guess in enumerate(predicted):
            if guess.metric == figure["metric"] and values_match(figure["value"], guess.value):
                candidates.append((abs(guess.value - figure["value"]), abs(guess.start - _gold_start(figure)), g, p))
    pairs, used_gold, used_predicted = [], set(), set()
    for _, _, g, p in sorted(candidates):
        if g not in used_gold and p not in used_predicted:
            pairs.append((g, p))
            used_gold.add(g)
            used_predicted.add(p)
    return sorted(pairs)


def _gold_start(figure: dict) -> int:
    return figure.get("_start", 0)


def evaluate_figures(gold_dir: str | Path, documents: dict[str, Document]) -> dict:
    """Precision, recall and F1 overall and per metric; attribute accuracy; misses and false hits.

    `documents` maps a slug to its extracted Document (the caller chooses the rendering);
    figures are extracted here unless the Document already carries them.
    """
    counts = defaultdict(lambda: {"gold": 0, "predicted": 0, "matched": 0})
    agree = {name: [0, 0] for name in ATTRIBUTES}
    misses, false_hits, disagreements = [], [], []
    for slug, doc in sorted(documents.items()):
        gold = _gold_figures(Path(gold_dir) / f"{slug}.json", doc.text)
        predicted = doc.figures or extract_figures(doc)
        pairs = match_figures(gold, predicted)
        for figure in gold:
            counts[figure["metric"]]["gold"] += 1
        for guess in predicted:
            counts[guess.metric]["predicted"] += 1
        for g, p in pairs:
            counts[gold[g]["metric"]]["matched"] += 1
            for name in ATTRIBUTES:
                ok = _attribute_agrees(name, gold[g].get(name), getattr(predicted[p], name))
                agree[name][0] += ok
                agree[name][1] += 1
                if not ok:
                    disagreements.append({"slug": slug, "attribute": name, "gold": gold[g].get(name),
                                          "predicted": getattr(predicted[p], name), "text": gold[g]["text"],
                                          "metric": gold[g]["metric"],
                                          "sentence": _sentence(doc.text, predicted[p].start, predicted[p].end)})
        matched_gold = {g for g, _ in pairs}
        matched_predicted = {p for _, p in pairs}
        misses += [{"slug": slug, **_brief(figure)} for g, figure in enumerate(gold) if g not in matched_gold]
        false_hits += [{"slug": slug, "metric": f.metric, "value": f.value, "text": f.text}
                       for p, f in enumerate(predicted) if p not in matched_predicted]
    return {"overall": _scores(_total(counts)),
            "per_metric": {metric: _scores(c) for metric, c in sorted(counts.items())},
            "attributes": {name: (ok / total if total else None) for name, (ok, total) in agree.items()},
            "documents": len(documents), "misses": misses, "false_hits": false_hits,
            "disagreements": disagreements}


def _gold_figures(path: Path, text: str) -> list[dict]:
    figures = json.loads(path.read_text(encoding="utf-8")).get("figures", [])
    for figure in figures:
        figure["_start"] = max(text.find(figure.get("text", "")), 0)
    return figures


def _attribute_agrees(name: str, gold, predicted) -> bool:
    if name == "previous":
        return values_match(gold, predicted)
    return gold == predicted


def _sentence(text: str, start: int, end: int, limit: int = 160) -> str:
    """The sentence (to 。 or the line's end) around a figure, cut to `limit` characters."""
    left = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    stops = [i for i in (text.find("。", end), text.find("\n", end)) if i >= 0]
    right = min(stops) + 1 if stops else len(text)
    return text[max(left, start - limit // 2):min(right, end + limit // 2)].strip()


def format_disagreements(result: dict) -> str:
    """Each attribute the extractor and the gold disagree on, with the figure's sentence:
    the list to read when tuning the level, year and status rules."""
    rows = sorted(result["disagreements"], key=lambda d: (d["attribute"], d["slug"]))
    lines = [f"attribute disagreements ({len(rows)}):"]
    lines += [f"  {d['attribute']:8} {d['slug']}: {d['metric']} gold={d['gold']} predicted={d['predicted']}"
              f"  «{d['text']}»\n           {d['sentence']}" for d in rows]
    return "\n".join(lines)


def _brief(figure: dict) -> dict:
    return {"metric": figure["metric"], "value": figure["value"], "text": figure.get("text", "")}


def _total(counts: dict) -> dict:
    return {key: sum(c[key] for c in counts.values()) for key in ("gold", "predicted", "matched")}


def _scores(count: dict) -> dict:
    precision = count["matched"] / count["predicted"] if count["predicted"] else 0.0
    recall = count["matched"] / count["gold"] if count["gold"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {**count, "precision": precision, "recall": recall, "f1": f1}


def format_figures_report(result: dict, examples: int = 40) -> str:
    overall = result["overall"]
    lines = [f"figures: {result['documents']} documents, gold {overall['gold']}, predicted "
             f"{overall['predicted']}, matched {overall['matched']}",
             f"overall  P {overall['precision']:.3f}  R {overall['recall']:.3f}  F1 {overall['f1']:.3f}",
             "attributes on matches: " + ", ".join(
                 f"{name} {value:.3f}" if value is not None else f"{name} -"
                 for name, value in result["attributes"].items()),
             "", f"{'metric':34} {'gold':>5} {'pred':>5} {'match':>5}  {'P':>5} {'R':>5} {'F1':>5}"]
    for metric, s in result["per_metric"].items():
        lines.append(f"{metric:34} {s['gold']:5d} {s['predicted']:5d} {s['matched']:5d}  "
                     f"{s['precision']:5.2f} {s['recall']:5.2f} {s['f1']:5.2f}")
    for title, rows in (("misses", result["misses"]), ("false hits", result["false_hits"])):
        lines += ["", f"{title} ({len(rows)}):"]
        lines += [f"  {r['slug']}: {r['metric']} {r['value']:g}  «{r['text']}»" for r in rows[:examples]]
    return "\n".join(lines)


def source_document(path: str | Path, date: str | None = None) -> Document:
    """A corpus source read as a TXT file (its | a | b | table lines laid out with tabs, as the
    TXT rendering writes them), with `date` set (the gold date) as metadata would set it."""
    from junheng.text.clean import build_document
    from junheng.ingest import read_bytes

    path = Path(path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines = ["\t".join(c.strip() for c in line.strip().strip("|").split("|")) if line.lstrip().startswith("|")
             else line for line in lines]
    data = "\n".join(lines).encode("utf-8")
    doc = build_document(read_bytes(data, ".txt"), str(path), sha256(data).hexdigest())
    doc.date = date
    return doc


def source_documents(source_dir: str | Path, gold_dir: str | Path) -> dict[str, Document]:
    """Every source that has a gold file, as `source_document` reads it."""
    documents = {}
    for path in sorted(Path(source_dir).glob("*.txt")):
        gold = Path(gold_dir) / f"{path.stem}.json"
        if gold.exists():
            date = json.loads(gold.read_text(encoding="utf-8")).get("date")
            documents[path.stem] = source_document(path, date)
    return documents


def main(argv: list[str]) -> int:
    source_dir, gold_dir = (argv + ["corpus/source", "corpus/gold"][len(argv):])[:2]
    print(format_figures_report(evaluate_figures(gold_dir, source_documents(source_dir, gold_dir)), examples=400))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

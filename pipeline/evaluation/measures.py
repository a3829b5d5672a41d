"""Document-level evaluation of the measure classifiers against corpus/gold/*.json.

Per measure: true/false positives and false negatives over documents; micro averages pool
every (document, measure) decision, macro averages the per-measure F1 over the measures with
at least MACRO_MIN_SUPPORT gold documents (fewer make an F1 of noise).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from junheng.document import Document, MeasureHit
from junheng.measures.scores import MACRO_MIN_SUPPORT, averages, measure_counts, prf, support
from junheng.measures.tagger import classify, lexicon_baseline

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
    from junheng.measures.model import measure_ids

    measures = measure_ids()
    result = {"documents": len(gold), "macro_min_support": MACRO_MIN_SUPPORT, "per_measure": {}}
    for system in SYSTEMS:
        counts = {measure: measure_counts(gold, predicted[system], measure) for measure in measures}
        result[system] = averages(counts, gold, measures)
        for measure in measures:
            entry = result["per_measure"].setdefault(measure, {"support": support(gold, measure)})
            entry[system] = prf(*counts[measure])
    result["errors"] = _errors(gold, predicted["model"])
    return result


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


def train_and_evaluate(labels_dir: Path, out_dir: Path, dev: tuple | None = None) -> dict:
    """Train on labels_dir/*.jsonl, save the artifact, meta.json and metrics.json in out_dir.
    With `dev` ((gold sets, form → id → Document), the development set as `load_dev` reads
    it), its documents are trained on too and metrics.json gets their cross-validated scores
    (`measures_dev`).

    When the evaluation corpus sits beside the labels (corpus/source, corpus/gold), the fixed
    model is then evaluated on it and the document-level numbers join metrics.json: they are
    recorded, never used to fit or tune anything."""
    from junheng.measures.dev import units_of
    from junheng.measures.train import record_document_metrics, train as train_model

    labels_dir, out_dir = Path(labels_dir), Path(out_dir)
    if dev is not None:
        gold, documents = dev
        dev = ({doc_id: set(entry.get("measures", [])) for doc_id, entry in gold.items()}, units_of(documents))
    result = train_model(labels_dir, out_dir, dev=dev)
    source_dir, gold_dir = labels_dir.parent / "source", labels_dir.parent / "gold"
    if source_dir.is_dir() and gold_dir.is_dir():
        evaluation = evaluate_measures(gold_dir, load_sources(source_dir), model_dir=str(out_dir))
        record_document_metrics(out_dir, evaluation)
        result["documents_corpus"] = {key: evaluation[key] for key in ("model", "baseline")}
    return result


def load_sources(source_dir: Path) -> dict[str, Document]:
    """slug → Document for every corpus/source/<slug>.txt, built as ingest builds them."""
    from junheng.text.clean import build_document
    from junheng.ingest import read_bytes

    return {path.stem: build_document(read_bytes(path.read_bytes(), ".txt"), str(path), "")
            for path in sorted(Path(source_dir).glob("*.txt"))}


def evaluate_measures(gold_dir: Path, documents: dict[str, Document], model_dir: str | None = None) -> dict:
    """Document-level precision/recall/F1 of the model and of the lexicon baseline."""
    return evaluate(Path(gold_dir), documents, classify=lambda doc: classify(doc, model_dir),
                    baseline=lexicon_baseline)


def format_measures_report(result: dict) -> str:
    return format_report(result)

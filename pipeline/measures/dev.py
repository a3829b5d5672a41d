"""Training the measure model with the real development set (../shared/dev) too, and its
cross-validated scores.

The dev gold gives each document its set of measures, not sentence labels. They are derived
here, at training time, in memory, and never written anywhere (the dev texts are other
people's words; a model's weights are not their sentences):

- a content unit of a document *without* measure m is a negative for m, whatever it says
  (a keyword of m there is boilerplate, a title or a passing mention);
- a content unit of a document *with* m that holds a keyword of m is a positive for m;
- a content unit of a document with m and no keyword of m is unknown for m: it is left out of
  m's classifier (the document may say it in words the lexicon lacks).

Scores on the dev set of a model trained on it are in-sample. `cross_validate` splits the
documents into folds (by document: every sentence of a document is in the same fold), trains
on the corpus labels and the other folds' documents, and scores the held-out fold's documents
in every form given (TXT, HTML, PDF), as `evaluate --gold` scores them. The document threshold
of each fold is tuned on the other folds' out-of-fold scores only, under a precision floor.

One thing the folds cannot hold out: data/measure_lexicon.tsv was widened by reading dev
documents whose measures were missed (words, not sentences). A held-out document may have its
wording in the lexicon because it was read, so the cross-validated scores (and the baseline's)
are somewhat optimistic about the keyword features; metrics.json says so (`CAVEAT`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from junheng.measures import model as mm

FOLDS = 5
LABEL_RULE = ("derived at training time from document-level gold, never stored: a unit of a document without "
              "the measure is a negative; a unit with a keyword of it in a document with it a positive; "
              "other units of such a document are left out for that measure")
_GRID = np.round(np.arange(0.30, 0.995, 0.005), 3)
CAVEAT = ("the lexicon's words were partly learnt by reading these documents' missed measures, so held-out "
          "documents are not wholly unseen by the keyword features")
PRECISION_FLOOR = 0.88  # on the tuning documents, so that held-out precision stays at 0.85 or more


@dataclass
class SentenceLabels:
    """Sentences with a label per measure, `known` where the label is known, and the
    document each came from ('' for the corpus's own labelled sentences)."""
    texts: list[str]
    Y: np.ndarray
    known: np.ndarray
    documents: np.ndarray

    def __add__(self, other: SentenceLabels) -> SentenceLabels:
        return SentenceLabels(self.texts + other.texts, np.vstack([self.Y, other.Y]),
                              np.vstack([self.known, other.known]),
                              np.concatenate([self.documents, other.documents]))

    def select(self, rows: np.ndarray) -> SentenceLabels:
        return SentenceLabels([self.texts[i] for i in rows], self.Y[rows], self.known[rows], self.documents[rows])


def corpus_labels(rows: list[dict], ids: list[str]) -> SentenceLabels:
    """corpus/labels rows: every label known (each row lists every measure it carries)."""
    Y = mm.label_matrix(rows, ids)
    return SentenceLabels([row["text"] for row in rows], Y, np.ones(Y.shape, dtype=bool),
                          np.array([""] * len(rows), dtype=object))


def derive_labels(units: dict[str, list[str]], gold: dict[str, set[str]], ids: list[str]) -> SentenceLabels:
    """Sentence labels from document-level gold sets (the rule in the module docstring).
    `units`: document id → the texts of its content units (`measures.content_units`)."""
    texts, labels, known, documents = [], [], [], []
    for doc_id in sorted(units):
        if not units[doc_id]:
            continue
        present = np.array([measure in gold.get(doc_id, ()) for measure in ids])
        keywords = mm.keyword_columns(units[doc_id]).astype(bool)
        texts += units[doc_id]
        labels.append((keywords & present).astype(np.int8))
        known.append(keywords | ~present)
        documents += [doc_id] * len(units[doc_id])
    if not texts:
        empty = np.zeros((0, len(ids)))
        return SentenceLabels([], empty.astype(np.int8), empty.astype(bool), np.array([], dtype=object))
    return SentenceLabels(texts, np.vstack(labels), np.vstack(known), np.array(documents, dtype=object))


def units_of(documents: dict[str, dict]) -> dict[str, dict[str, list[str]]]:
    """form → document id → the texts of its content units (none for an unreadable document),
    read from the simplified text, as `classify` reads it (pipeline/process.py)."""
    from junheng.measures.tagger import content_units
    from junheng.text.traditional import simplified

    return {form: {doc_id: [unit.text for unit in content_units(simplified(doc.text))] if doc else []
                   for doc_id, doc in by_id.items()} for form, by_id in documents.items()}


def dev_hash(units: dict[str, list[str]], gold: dict[str, set[str]]) -> str:
    """What the model learnt from the dev set: its units and gold sets (not stored themselves)."""
    import hashlib

    digest = hashlib.sha256()
    for doc_id in sorted(units):
        digest.update("\0".join([doc_id, *sorted(gold.get(doc_id, ())), *units[doc_id]]).encode() + b"\1")
    return digest.hexdigest()


def document_folds(doc_ids, folds: int = FOLDS, seed: int = 0) -> dict[str, int]:
    """document id → fold, shuffled by `seed`, sizes within one of each other."""
    ordered = sorted(doc_ids)
    order = np.random.default_rng(seed).permutation(len(ordered))
    return {ordered[index]: position % folds for position, index in enumerate(order)}


def fit_linear(labels: SentenceLabels, params: dict):
    """A `LinearModel` fitted on `labels` (what ingest scores with), and its feature count."""
    vectorizer = mm.make_vectorizer(params)
    X = mm.featurize(vectorizer, labels.texts, fit=True, lexicon_weight=params["lexicon_weight"])
    model = {"measures": mm.measure_ids(), "vectorizer": vectorizer, "lexicon_weight": params["lexicon_weight"],
             "classifiers": mm.fit_measures(X, labels.Y, params, known=labels.known,
                                            weights=row_weights(labels, params))}
    return model, X.shape[1]


def row_weights(labels: SentenceLabels, params: dict) -> np.ndarray | None:
    """Sample weights: the corpus's own sentences 1, the dev documents' `dev_weight`."""
    weight = params.get("dev_weight", 1.0)
    return None if weight == 1.0 else np.where(labels.documents == "", 1.0, weight)


def document_score_matrix(linear, units: list[list[str]]) -> np.ndarray:
    """Per document (row) and measure, the score `measures.classify` thresholds."""
    from junheng.measures.tagger import document_scores, sentence_scores

    rows = []
    for texts in units:
        rows.append(document_scores(sentence_scores(linear, texts)) if texts else np.zeros(len(linear.measures)))
    return np.array(rows).reshape(len(units), len(linear.measures))


def best_threshold(scores: np.ndarray, gold: np.ndarray, min_precision: float = PRECISION_FLOOR) -> float:
    """The document threshold with the best macro-F1 (over measures with gold) on these documents
    among those whose micro precision is at least `min_precision` (a measure a county did not
    report is worse than one missed); ties go to the higher threshold."""
    def precision(t: float) -> float:
        predicted = scores >= t
        return (predicted & gold).sum() / predicted.sum() if predicted.sum() else 1.0

    allowed = [t for t in _GRID if precision(t) >= min_precision] or [_GRID[-1]]
    return float(max(allowed, key=lambda t: (macro_f1(gold, scores >= t), t)))


def macro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    f1s = []
    for column in np.flatnonzero(gold.sum(axis=0)):
        tp = int((gold[:, column] & predicted[:, column]).sum())
        f1s.append(2 * tp / (gold[:, column].sum() + predicted[:, column].sum()))
    return float(np.mean(f1s)) if f1s else 0.0


def gold_matrix(gold: dict[str, set[str]], doc_ids: list[str], ids: list[str]) -> np.ndarray:
    return np.array([[measure in gold[doc_id] for measure in ids] for doc_id in doc_ids], dtype=bool)


def cross_validate(corpus: SentenceLabels, units: dict[str, dict[str, list[str]]], gold: dict[str, set[str]],
                   params: dict, folds: int = FOLDS) -> dict:
    """Out-of-fold document scores and sets, by document, for every form in `units`
    (form → document id → content unit texts; labels are derived from the 'txt' form)."""
    ids = mm.measure_ids()
    doc_ids = sorted(gold)
    fold_of = document_folds(doc_ids, folds, params["seed"])
    dev = derive_labels(units["txt"], gold, ids)
    scores = {form: np.zeros((len(doc_ids), len(ids))) for form in units}
    for fold in range(folds):
        held_out = {doc_id for doc_id in doc_ids if fold_of[doc_id] == fold}
        training = corpus + dev.select(np.flatnonzero([doc not in held_out for doc in dev.documents]))
        linear = mm.linear_model(fit_linear(training, params)[0])
        rows = [row for row, doc_id in enumerate(doc_ids) if doc_id in held_out]
        for form, by_id in units.items():
            scores[form][rows] = document_score_matrix(linear, [by_id.get(doc_ids[row], []) for row in rows])
    baseline = {form: np.array([_keywords_anywhere(by_id.get(doc_id, []), len(ids)) for doc_id in doc_ids])
                for form, by_id in units.items()}
    return {"doc_ids": doc_ids, "folds": np.array([fold_of[doc_id] for doc_id in doc_ids]), "scores": scores,
            "baseline": baseline}


def _keywords_anywhere(texts: list[str], width: int) -> np.ndarray:
    """The lexicon baseline's decision (`measures.lexicon_baseline`): a keyword in any content unit."""
    return mm.keyword_columns(texts).any(axis=0) if texts else np.zeros(width, dtype=bool)


def _baseline_scores(present, doc_ids, expected, ids) -> dict | None:
    """Micro and macro P/R/F1 of the lexicon baseline (nothing trained: no folds needed)."""
    from junheng.measures.scores import averages, measure_counts

    if present is None:
        return None
    predicted = {doc_id: {ids[c] for c in np.flatnonzero(present[row])} for row, doc_id in enumerate(doc_ids)}
    scored = averages({m: measure_counts(expected, predicted, m) for m in ids}, expected, ids, min_support=1)
    return {"micro": scored["micro"], "macro": scored["macro"]}


def nested_thresholds(oof: dict, gold: np.ndarray, folds: int = FOLDS) -> np.ndarray:
    """Each fold's threshold, tuned on the TXT out-of-fold scores of the other folds."""
    return np.array([best_threshold(oof["scores"]["txt"][oof["folds"] != fold], gold[oof["folds"] != fold])
                     for fold in range(folds)])


def cv_report(oof: dict, gold: dict[str, set[str]], thresholds: np.ndarray) -> dict:
    """Per form: micro and macro P/R/F1 (the dev set's rule), per measure, the errors."""
    from junheng.measures.scores import averages, measure_counts, prf

    ids = mm.measure_ids()
    expected = {doc_id: set(gold[doc_id]) for doc_id in oof["doc_ids"]}
    cut = thresholds[oof["folds"]][:, None]
    report = {"folds": int(len(thresholds)), "split": "by document", "documents": len(oof["doc_ids"]),
              "thresholds": [float(t) for t in thresholds], "caveat": CAVEAT, "forms": {}}
    for form, scores in oof["scores"].items():
        predicted = {doc_id: {ids[c] for c in np.flatnonzero(scores[row] >= cut[row, 0])}
                     for row, doc_id in enumerate(oof["doc_ids"])}
        counts = {measure: measure_counts(expected, predicted, measure) for measure in ids}
        scored = averages(counts, expected, ids, min_support=1)
        report["forms"][form] = {
            "micro": scored["micro"], "macro": scored["macro"], "macro_measures": scored["macro_measures"],
            "baseline": _baseline_scores(oof.get("baseline", {}).get(form), oof["doc_ids"], expected, ids),
            "per_measure": {measure: {"support": sum(measure in g for g in expected.values()), **prf(*counts[measure])}
                            for measure in ids},
            "errors": {doc_id: {"missed": sorted(expected[doc_id] - predicted[doc_id]),
                                "extra": sorted(predicted[doc_id] - expected[doc_id])}
                       for doc_id in oof["doc_ids"] if expected[doc_id] != predicted[doc_id]}}
    return report


# ---------------------------------------------------------------- in-sample scores, said so


def in_sample(doc_ids: list[str], model_dir: str | None = None) -> dict | None:
    """When the model was trained on some of these documents: how many, and the
    cross-validated dev scores recorded with the model (metrics.json), which are the honest ones."""
    import json
    from pathlib import Path

    _, meta = mm.load_model(model_dir)
    trained = set(meta.get("dev", {}).get("ids", []))
    overlap = sorted(trained & set(doc_ids))
    if not overlap:
        return None
    metrics_path = Path(model_dir) if model_dir else mm.default_dir()
    metrics = json.loads((metrics_path / mm.METRICS).read_text(encoding="utf-8"))
    cv = metrics.get("dev_cv", {})
    return {"trained_on": len(overlap), "documents": len(doc_ids), "model_version": meta["model_version"],
            "cross_validated": {form: {"micro": r["micro"], "macro": r["macro"]}
                                for form, r in cv.get("forms", {}).items()},
            "folds": cv.get("folds"), "split": cv.get("split")}


def format_in_sample(note: dict) -> str:
    lines = ["", f"IN-SAMPLE: the measure model ({note['model_version']}) was trained on {note['trained_on']} of these "
                 f"{note['documents']} documents, so the scores above overstate it.",
             f"Cross-validated ({note['folds']} folds {note['split']}, models/measures/metrics.json dev_cv):"]
    for form, r in note["cross_validated"].items():
        micro, macro = r["micro"], r["macro"]
        lines.append(f"  {form:5} micro P/R/F1 {micro['precision']:.3f}/{micro['recall']:.3f}/{micro['f1']:.3f}  "
                     f"macro P/R/F1 {macro['precision']:.3f}/{macro['recall']:.3f}/{macro['f1']:.3f}")
    return "\n".join(lines)

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
of each fold is tuned on the other folds' out-of-fold scores only.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import measures_model as mm

FOLDS = 5
_GRID = np.round(np.arange(0.30, 0.995, 0.005), 3)


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
             "classifiers": mm.fit_measures(X, labels.Y, params, known=labels.known, weights=row_weights(labels, params))}
    return model, X.shape[1]


def row_weights(labels: SentenceLabels, params: dict) -> np.ndarray | None:
    """Sample weights: the corpus's own sentences 1, the dev documents' `dev_weight`."""
    weight = params.get("dev_weight", 1.0)
    return None if weight == 1.0 else np.where(labels.documents == "", 1.0, weight)


def document_score_matrix(linear, units: list[list[str]]) -> np.ndarray:
    """Per document (row) and measure, the score `measures.classify` thresholds."""
    from .measures import document_scores, sentence_scores

    rows = []
    for texts in units:
        rows.append(document_scores(sentence_scores(linear, texts)) if texts else np.zeros(len(linear.measures)))
    return np.array(rows).reshape(len(units), len(linear.measures))


def best_threshold(scores: np.ndarray, gold: np.ndarray) -> float:
    """The document threshold with the best macro-F1 (over measures with gold) on these documents;
    ties go to the higher threshold (precision matters more than recall here)."""
    return float(max(_GRID, key=lambda t: (macro_f1(gold, scores >= t), t)))


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
    return {"doc_ids": doc_ids, "folds": np.array([fold_of[doc_id] for doc_id in doc_ids]), "scores": scores}


def nested_thresholds(oof: dict, gold: np.ndarray, folds: int = FOLDS) -> np.ndarray:
    """Each fold's threshold, tuned on the TXT out-of-fold scores of the other folds."""
    return np.array([best_threshold(oof["scores"]["txt"][oof["folds"] != fold], gold[oof["folds"] != fold])
                     for fold in range(folds)])


def cv_report(oof: dict, gold: dict[str, set[str]], thresholds: np.ndarray) -> dict:
    """Per form: micro and macro P/R/F1 (the dev set's rule), per measure, the errors."""
    from .measures_eval import averages, measure_counts, prf

    ids = mm.measure_ids()
    expected = {doc_id: set(gold[doc_id]) for doc_id in oof["doc_ids"]}
    cut = thresholds[oof["folds"]][:, None]
    report = {"folds": int(len(thresholds)), "split": "by document", "documents": len(oof["doc_ids"]),
              "thresholds": [float(t) for t in thresholds], "forms": {}}
    for form, scores in oof["scores"].items():
        predicted = {doc_id: {ids[c] for c in np.flatnonzero(scores[row] >= cut[row, 0])}
                     for row, doc_id in enumerate(oof["doc_ids"])}
        counts = {measure: measure_counts(expected, predicted, measure) for measure in ids}
        scored = averages(counts, expected, ids, min_support=1)
        report["forms"][form] = {
            "micro": scored["micro"], "macro": scored["macro"], "macro_measures": scored["macro_measures"],
            "per_measure": {measure: {"support": sum(measure in g for g in expected.values()), **prf(*counts[measure])}
                            for measure in ids},
            "errors": {doc_id: {"missed": sorted(expected[doc_id] - predicted[doc_id]),
                                "extra": sorted(predicted[doc_id] - expected[doc_id])}
                       for doc_id in oof["doc_ids"] if expected[doc_id] != predicted[doc_id]}}
    return report

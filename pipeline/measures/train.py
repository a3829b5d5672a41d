"""Training the measure model: held-out metrics, thresholds by cross-validation, the artifact.

Thresholds come from the training labels only. Out-of-fold sentence scores are assembled into
pseudo-documents (a few positive sentences for each of several measures among many sentences
that report nothing, like a report's background, statistics and title lists), and the
document threshold is the one that maximises their macro-F1. The evaluation corpus is never
read here, except to record the document-level numbers in metrics.json after the model is
fixed (`record_document_metrics`).
"""
from __future__ import annotations

import hashlib
import json
import platform
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from junheng.measures import model as mm

MODEL_VERSION = "2"
PARAMS = {"min_df": 2, "max_char_features": 20000, "C": 1.0, "lexicon_weight": 0.25, "folds": 5, "test_share": 0.2,
          "seed": 20240, "pseudo_documents": 600, "pseudo_measures": [5, 14],
          "pseudo_background": [30, 70]}
_THRESHOLD_GRID = np.round(np.arange(0.10, 0.995, 0.005), 3)


def train(labels_dir: Path, out_dir: Path, params: dict | None = None, dev: tuple | None = None) -> dict:
    """Train on the corpus labels; with `dev` (gold sets, form → id → content unit texts),
    on the development set's documents too (`measures_dev`)."""
    params = {**PARAMS, **(params or {})}
    rows = mm.read_labels(labels_dir)
    if not rows:
        raise ValueError(f"no training rows in {labels_dir}/*.jsonl")
    if dev is not None:
        return train_with_dev(labels_dir, out_dir, rows, params, *dev)
    ids = mm.measure_ids()
    texts = [row["text"] for row in rows]
    Y = mm.label_matrix(rows, ids)
    rng = np.random.default_rng(params["seed"])

    held_out = held_out_metrics(texts, Y, ids, params, rng)
    oof = out_of_fold_scores(texts, Y, params, rng)
    document_threshold, pseudo = tune_document_threshold(oof, Y, params, rng)
    evidence_threshold = float(max(0.3, round(1 - np.sqrt(1 - document_threshold), 2)))

    vectorizer = mm.make_vectorizer(params)
    X = mm.featurize(vectorizer, texts, fit=True, lexicon_weight=params["lexicon_weight"])
    model = {"measures": ids, "vectorizer": vectorizer, "lexicon_weight": params["lexicon_weight"],
             "classifiers": mm.fit_measures(X, Y, params)}
    out_dir.mkdir(parents=True, exist_ok=True)
    artifact = mm.save(model, out_dir)
    meta = _meta(labels_dir, rows, ids, Y, params, X.shape[1],
                 {"document": document_threshold, "evidence": evidence_threshold})
    _write_json(out_dir / mm.META, meta)
    metrics = {"model_version": meta["model_version"], "sentence_held_out": held_out,
               "pseudo_documents_cv": pseudo}
    _write_json(out_dir / mm.METRICS, metrics)
    mm.load_model.cache_clear()
    return {"artifact": str(artifact), "bytes": artifact.stat().st_size, "meta": meta, "metrics": metrics}


def train_with_dev(labels_dir: Path, out_dir: Path, rows: list[dict], params: dict,
                   gold: dict[str, set[str]], units: dict[str, dict[str, list[str]]]) -> dict:
    """Corpus labels plus sentence labels derived from the dev documents; the document
    threshold is tuned on the dev documents' out-of-fold scores, and metrics.json carries
    the cross-validated dev scores (5 folds by document) of every form in `units`."""
    from junheng.measures import dev as md

    ids = mm.measure_ids()
    corpus = md.corpus_labels(rows, ids)
    oof = md.cross_validate(corpus, units, gold, params)
    doc_gold = md.gold_matrix(gold, oof["doc_ids"], ids)
    report = md.cv_report(oof, gold, md.nested_thresholds(oof, doc_gold))
    document_threshold = md.best_threshold(oof["scores"]["txt"], doc_gold)
    evidence_threshold = float(max(0.3, round(1 - np.sqrt(1 - document_threshold), 2)))

    labels = corpus + md.derive_labels(units["txt"], gold, ids)
    model, n_features = md.fit_linear(labels, params)
    out_dir.mkdir(parents=True, exist_ok=True)
    artifact = mm.save(model, out_dir)
    meta = _meta(labels_dir, rows, ids, corpus.Y, params, n_features,
                 {"document": document_threshold, "evidence": evidence_threshold})
    meta["dev"] = {"documents": len(oof["doc_ids"]), "ids": oof["doc_ids"], "sentences": len(labels.texts) - len(rows),
                   "sha256": md.dev_hash(units["txt"], gold), "labels": md.LABEL_RULE,
                   "positives": {m: int(labels.Y[len(rows):, c].sum()) for c, m in enumerate(ids)}}
    meta["model_version"] += f"+dev{meta['dev']['sha256'][:6]}"
    _write_json(out_dir / mm.META, meta)
    metrics = {"model_version": meta["model_version"], "dev_cv": report}
    _write_json(out_dir / mm.METRICS, metrics)
    mm.load_model.cache_clear()
    return {"artifact": str(artifact), "bytes": artifact.stat().st_size, "meta": meta, "metrics": metrics}


def fit_and_score(train_texts, Y_train, test_texts, params) -> np.ndarray:
    """Scores of the test texts by a model fitted on the training texts, computed as ingest
    computes them (the LinearModel), so cross-validation measures what ships."""
    vectorizer = mm.make_vectorizer(params)
    weight = params["lexicon_weight"]
    X_train = mm.featurize(vectorizer, train_texts, fit=True, lexicon_weight=weight)
    model = {"measures": mm.measure_ids(), "vectorizer": vectorizer, "lexicon_weight": weight,
             "classifiers": mm.fit_measures(X_train, Y_train, params)}
    return mm.linear_model(model).scores([mm.prepare(text) for text in test_texts], mm.keyword_columns(test_texts))


def held_out_metrics(texts, Y, ids, params, rng) -> dict:
    """Sentence-level precision/recall/F1 per measure on a held-out share of the labels."""
    order = rng.permutation(len(texts))
    cut = int(len(texts) * (1 - params["test_share"]))
    train_idx, test_idx = order[:cut], order[cut:]
    scores = fit_and_score([texts[i] for i in train_idx], Y[train_idx], [texts[i] for i in test_idx], params)
    per_measure = {}
    for column, measure in enumerate(ids):
        gold = Y[test_idx, column].astype(bool)
        predicted = scores[:, column] >= 0.5
        per_measure[measure] = _prf(gold, predicted)
    f1s = [entry["f1"] for entry in per_measure.values() if entry["support"] >= 3]
    return {"train_rows": int(cut), "test_rows": int(len(test_idx)), "threshold": 0.5,
            "macro_f1": round(float(np.mean(f1s)), 4) if f1s else 0.0, "per_measure": per_measure}


def out_of_fold_scores(texts, Y, params, rng) -> np.ndarray:
    folds = rng.integers(0, params["folds"], size=len(texts))
    scores = np.zeros(Y.shape, dtype=np.float32)
    for fold in range(params["folds"]):
        train_idx, test_idx = np.flatnonzero(folds != fold), np.flatnonzero(folds == fold)
        scores[test_idx] = fit_and_score([texts[i] for i in train_idx], Y[train_idx],
                                         [texts[i] for i in test_idx], params)
    return scores


def pseudo_documents(Y, params, rng) -> list[tuple[np.ndarray, np.ndarray]]:
    """(row indices, gold measure vector) of documents built from labelled rows."""
    background = np.flatnonzero(Y.sum(axis=1) == 0)
    usable = [column for column in range(Y.shape[1]) if Y[:, column].sum() >= 3]
    documents = []
    for _ in range(params["pseudo_documents"]):
        low, high = params["pseudo_measures"]
        chosen = rng.choice(usable, size=min(len(usable), rng.integers(low, high + 1)), replace=False)
        picked = [rng.choice(np.flatnonzero(Y[:, column]), size=rng.integers(1, 4)) for column in chosen]
        low, high = params["pseudo_background"]
        picked.append(rng.choice(background, size=rng.integers(low, high + 1)))
        rows = np.unique(np.concatenate(picked))
        documents.append((rows, Y[rows].max(axis=0)))
    return documents


def tune_document_threshold(oof, Y, params, rng) -> tuple[float, dict]:
    """The document threshold with the best macro-F1 over pseudo-documents."""
    from junheng.measures.tagger import document_scores

    documents = pseudo_documents(Y, params, rng)
    doc_scores = np.array([document_scores(oof[rows]) for rows, _ in documents])
    doc_gold = np.array([gold for _, gold in documents]).astype(bool)
    best = max(_THRESHOLD_GRID, key=lambda t: (_macro_f1(doc_gold, doc_scores >= t), -abs(t - 0.5)))
    return float(best), {"documents": len(documents), "threshold": float(best),
                         "macro_f1": round(_macro_f1(doc_gold, doc_scores >= best), 4)}


def _macro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    f1s = [_prf(gold[:, c], predicted[:, c])["f1"] for c in range(gold.shape[1]) if gold[:, c].sum() >= 3]
    return float(np.mean(f1s)) if f1s else 0.0


def _prf(gold: np.ndarray, predicted: np.ndarray) -> dict:
    tp = int((gold & predicted).sum())
    precision = tp / predicted.sum() if predicted.sum() else 0.0
    recall = tp / gold.sum() if gold.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"support": int(gold.sum()), "precision": round(float(precision), 4),
            "recall": round(float(recall), 4), "f1": round(float(f1), 4)}


def data_hash(labels_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(labels_dir).glob("*.jsonl")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _meta(labels_dir, rows, ids, Y, params, n_features, thresholds) -> dict:
    import scipy
    import sklearn

    digest = data_hash(labels_dir)
    return {
        "model_version": f"{MODEL_VERSION}+{digest[:8]}",
        "artifact": mm.ARTIFACT,
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data_sha256": digest,
        "lexicon_sha256": mm.lexicon_hash(),
        "data_files": {name: sum(row["file"] == name for row in rows) for name in sorted({r["file"] for r in rows})},
        "positives": {measure: int(Y[:, column].sum()) for column, measure in enumerate(ids)},
        "measures": ids, "features": int(n_features), "params": params, "thresholds": thresholds,
        "libraries": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
                      "scikit-learn": sklearn.__version__},
    }


def record_document_metrics(out_dir: Path, result: dict) -> None:
    """Add the corpus evaluation (document level, model and baseline) to metrics.json."""
    path = Path(out_dir) / mm.METRICS
    metrics = json.loads(path.read_text(encoding="utf-8"))
    metrics["documents_corpus"] = {key: result[key] for key in ("documents", "model", "baseline", "per_measure")}
    _write_json(path, metrics)


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

"""Training with the development set: sentence labels derived from document-level gold, the
cross-validation split by document, the threshold's precision floor, the in-sample warning.
Every document here is made up for the test."""
import json
from pathlib import Path

import numpy as np
import pytest

from junheng.measures import dev as md
from junheng.measures import model as mm

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "dev"
IDS = mm.measure_ids()
DROPOUT, NUTRITION = IDS.index("dropout_control"), IDS.index("nutrition_program")

UNITS = {
    "a": ["全镇建立控辍保学台账，对辍学学生逐一劝返。", "全镇共有小学六所。", "食堂由镇中心校统一管理。"],
    "b": ["会上还提到控辍保学等工作。", "各校食堂全部实行陪餐制度。"],
}
GOLD = {"a": {"dropout_control"}, "b": {"nutrition_program"}}


@pytest.fixture(scope="module")
def labels():
    return md.derive_labels(UNITS, GOLD, IDS)


def test_a_keyword_sentence_of_a_document_with_the_measure_is_a_positive(labels):
    assert labels.texts[0].startswith("全镇建立控辍保学") and labels.documents[0] == "a"
    assert labels.Y[0, DROPOUT] == 1 and labels.known[0, DROPOUT]


def test_a_sentence_without_a_keyword_in_a_document_with_the_measure_is_left_out(labels):
    assert labels.Y[1, DROPOUT] == 0 and not labels.known[1, DROPOUT]
    # … but it is a negative for every measure the document does not have
    assert labels.known[1, NUTRITION] and labels.Y[1].sum() == 0


def test_every_sentence_of_a_document_without_the_measure_is_a_negative(labels):
    rows_b = np.flatnonzero(labels.documents == "b")
    assert labels.texts[rows_b[0]].startswith("会上还提到控辍保学")
    assert labels.known[rows_b, DROPOUT].all() and not labels.Y[rows_b, DROPOUT].any()
    # a document with nutrition_program: its keyword sentence is a positive, in a without it a negative
    assert labels.Y[rows_b[1], NUTRITION] == 1
    assert labels.known[2, NUTRITION] and labels.Y[2, NUTRITION] == 0


def test_corpus_rows_know_every_label_and_join_the_dev_rows(labels):
    corpus = md.corpus_labels([{"text": "落实营养改善计划。", "labels": ["nutrition_program"]}], IDS)
    both = corpus + labels
    assert corpus.known.all() and corpus.documents.tolist() == [""]
    assert len(both.texts) == 1 + len(labels.texts) and both.Y[0, NUTRITION] == 1
    assert md.row_weights(both, {"dev_weight": 2.0}).tolist() == [1.0] + [2.0] * len(labels.texts)
    assert md.row_weights(both, {}) is None


def test_an_empty_document_gives_no_rows():
    assert md.derive_labels({"c": []}, {"c": {"dropout_control"}}, IDS).Y.shape == (0, len(IDS))


def test_folds_put_every_document_in_exactly_one_fold_of_near_equal_size():
    doc_ids = [f"d{number:02d}" for number in range(23)]
    folds = md.document_folds(doc_ids, 5, seed=3)
    assert sorted(folds) == doc_ids and set(folds.values()) == set(range(5))
    sizes = np.bincount(list(folds.values()))
    assert sizes.max() - sizes.min() <= 1
    assert folds == md.document_folds(list(reversed(doc_ids)), 5, seed=3)  # deterministic


def test_cross_validation_never_scores_a_document_it_trained_on(monkeypatch):
    doc_ids = [f"d{number:02d}" for number in range(12)]
    units = {"txt": {doc_id: [f"{doc_id}号文件：开展控辍保学。"] for doc_id in doc_ids}}
    units["html"] = units["txt"]
    gold = {doc_id: {"dropout_control"} if number % 2 else set() for number, doc_id in enumerate(doc_ids)}
    corpus = md.corpus_labels([{"text": "落实控辍保学。", "labels": ["dropout_control"]}], IDS)
    trained, scored = [], []

    class Fake:
        measures = IDS

    def fake_fit(labels, params):
        trained.append({doc for doc in labels.documents if doc})
        return {"documents": trained[-1]}, 0

    def fake_scores(linear, doc_units):
        scored.append({texts[0][:3] for texts in doc_units})
        return np.zeros((len(doc_units), len(IDS)))

    monkeypatch.setattr(md, "fit_linear", fake_fit)
    monkeypatch.setattr(mm, "linear_model", lambda model: Fake())
    monkeypatch.setattr(md, "document_score_matrix", fake_scores)
    oof = md.cross_validate(corpus, units, gold, {"seed": 1}, folds=4)
    assert len(trained) == 4 and len(scored) == 8  # two forms per fold
    for fold in range(4):
        held_out = scored[2 * fold]
        assert held_out and not held_out & trained[fold]
        assert held_out | trained[fold] == set(doc_ids)
    assert sorted(oof["doc_ids"]) == doc_ids and set(oof["scores"]) == {"txt", "html"}


def test_the_threshold_keeps_precision_above_the_floor():
    gold = np.array([[1, 0], [1, 0], [0, 1], [0, 0], [0, 0]], dtype=bool)
    scores = np.array([[0.9, 0.1], [0.5, 0.2], [0.1, 0.95], [0.45, 0.4], [0.42, 0.1]])
    free = md.best_threshold(scores, gold, min_precision=0.0)
    strict = md.best_threshold(scores, gold, min_precision=0.9)
    predicted = scores >= strict
    assert (predicted & gold).sum() / predicted.sum() >= 0.9
    assert strict >= free


def test_the_report_scores_each_form_with_each_folds_threshold():
    oof = {"doc_ids": ["a", "b"], "folds": np.array([0, 1]),
           "scores": {"txt": np.zeros((2, len(IDS)))}}
    oof["scores"]["txt"][0, DROPOUT] = 0.8
    oof["scores"]["txt"][1, DROPOUT] = 0.8
    report = md.cv_report(oof, {"a": {"dropout_control"}, "b": set()}, np.array([0.5, 0.9]))
    txt = report["forms"]["txt"]
    assert txt["micro"]["tp"] == 1 and txt["micro"]["fp"] == 0 and report["split"] == "by document"
    assert txt["per_measure"]["dropout_control"]["f1"] == 1.0 and not txt["errors"]


def test_scores_on_documents_the_model_was_trained_on_are_called_in_sample():
    meta = mm.load_model()[1]
    if "dev" not in meta:
        pytest.skip("the shipped model was not trained with the dev set")
    assert md.in_sample(["not-a-dev-id"]) is None
    note = md.in_sample(meta["dev"]["ids"][:3] + ["not-a-dev-id"])
    assert note["trained_on"] == 3 and note["documents"] == 4 and set(note["cross_validated"]) >= {"txt"}
    assert "IN-SAMPLE" in md.format_in_sample(note) and "folds by document" in md.format_in_sample(note)


@pytest.mark.skipif(not DEV.is_dir(), reason="shared/dev not beside the project")
def test_no_dev_sentence_is_written_with_the_model():
    from junheng.measures.tagger import content_units

    written = "".join((mm.default_dir() / name).read_text(encoding="utf-8") for name in (mm.META, mm.METRICS))
    for path in sorted((DEV / "docs").glob("*.txt")):
        for unit in content_units(path.read_text(encoding="utf-8")):
            assert len(unit.text) < 12 or unit.text not in written, path.name


def test_metrics_carry_the_cross_validated_dev_scores_and_the_corpus_scores():
    metrics = json.loads((mm.default_dir() / mm.METRICS).read_text(encoding="utf-8"))
    if "dev_cv" not in metrics:
        pytest.skip("the shipped model was not trained with the dev set")
    cv = metrics["dev_cv"]
    assert cv["folds"] == 5 and cv["split"] == "by document" and "txt" in cv["forms"]
    assert cv["forms"]["txt"]["micro"]["precision"] >= 0.85  # the floor, held out
    assert metrics["documents_corpus"]["model"]["macro"]["f1"] >= 0.93

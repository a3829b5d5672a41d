"""Accuracy on the real development set (../shared/dev), each document as TXT, HTML page and PDF,
scored by its README's rule through `junheng evaluate … --gold DIR --json`.

The set is other people's text: it is read from beside the project at run time, never copied
in. Without it (a clone without shared/) the module is skipped. JUNHENG_DEV_GOLD points
elsewhere.
"""
import json
import os
from pathlib import Path

import pytest

from conftest import ROOT, run

# Floors a little below the numbers measured when they were set (2026-11, see README.md's
# Accuracy section): a change that loses accuracy fails here. Raise them as accuracy improves,
# never lower them to make a change pass.
# Measures are held to the model's cross-validated scores when it was trained on the dev set
# (5 folds by document, models/measures/metrics.json): its in-sample scores overstate it. Their
# precision floor follows issue 16 (≥ 0.85, recall being the loss), a little below the
# cross-validated 0.90; the model before it, trained without the dev set, had 0.91–0.92 at recall 0.53.
FLOORS = {
    "txt": {"figure_f1": 0.66, "value_recall": 0.55, "table_f1": 0.07, "traditional_f1": 0.80,
            "region": 0.96, "doc_type": 0.93, "measures_macro_f1": 0.72, "measures_micro_precision": 0.88,
            "measures_micro_recall": 0.64},
    "html": {"figure_f1": 0.73, "value_recall": 0.80, "table_f1": 0.53, "traditional_f1": 0.80,
             "region": 0.96, "doc_type": 0.93, "measures_macro_f1": 0.71, "measures_micro_precision": 0.88,
             "measures_micro_recall": 0.63},
    "pdf": {"figure_f1": 0.73, "value_recall": 0.81, "table_f1": 0.53, "traditional_f1": 0.80,
            "region": 0.96, "doc_type": 0.93, "measures_macro_f1": 0.70, "measures_micro_precision": 0.88,
            "measures_micro_recall": 0.62},
}

DEV = Path(os.environ.get("JUNHENG_DEV_GOLD") or ROOT.parent / "shared" / "dev")
if not (DEV / "docs").is_dir() or not (DEV / "gold").is_dir():
    pytest.skip(f"no development set at {DEV} (the project's ../shared/dev; set JUNHENG_DEV_GOLD)",
                allow_module_level=True)
pytest.importorskip("reportlab", reason="the PDF form is rendered with reportlab (the test extra)")


def evaluate(kind: str) -> dict:
    result = run("evaluate", kind, "--gold", DEV, "--forms", "txt,html,pdf", "--examples", "0", "--json")
    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    return {**output[kind], "in_sample": output.get("in_sample")}


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    return {kind: evaluate(kind) for kind in ("figures", "measures", "metadata")}


def honest_measures(measures: dict, form: str) -> dict:
    """The form's measure scores, or the cross-validated ones where the model saw these documents."""
    in_sample = measures["in_sample"]
    return in_sample["cross_validated"][form] if in_sample else measures[form]


@pytest.fixture(scope="module")
def measured(results) -> dict[str, dict[str, float]]:
    """form → metric → today's score, named as FLOORS names them."""
    figures, measures, metadata = results["figures"], results["measures"], results["metadata"]
    return {form: {"figure_f1": figures[form]["all"]["f1"],
                   "value_recall": figures[form]["all"]["value_recall"],
                   "table_f1": figures[form]["tables"]["f1"],
                   "traditional_f1": figures[form]["traditional"]["f1"],
                   "region": metadata[form]["region"]["accuracy"],
                   "doc_type": metadata[form]["doc_type"]["accuracy"],
                   "measures_macro_f1": honest_measures(measures, form)["macro"]["f1"],
                   "measures_micro_precision": honest_measures(measures, form)["micro"]["precision"],
                   "measures_micro_recall": honest_measures(measures, form)["micro"]["recall"]}
            for form in FLOORS}


@pytest.mark.parametrize("form", list(FLOORS))
def test_dev_accuracy_stays_above_its_floors(measured, form):
    below = {name: (measured[form][name], floor) for name, floor in FLOORS[form].items()
             if measured[form][name] < floor}
    assert not below, f"{form}: (measured, floor) below the floor: {below}"


def test_scores_on_documents_the_model_trained_on_are_marked_in_sample(results):
    in_sample = results["measures"]["in_sample"]
    if in_sample:
        assert in_sample["trained_on"] > 0 and set(in_sample["cross_validated"]) == set(FLOORS)


def test_every_document_is_scored_in_every_form(results):
    gold_files = len(list((DEV / "gold").glob("*.json")))
    for kind, key in (("figures", "all"), ("measures", None), ("metadata", "region")):
        for form in FLOORS:
            scored = results[kind][form][key] if key else results[kind][form]
            assert (scored.get("documents") or scored.get("n")) == gold_files, (kind, form)

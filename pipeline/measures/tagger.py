"""Which measures (shared/spec/measures.tsv) a document really reports or plans.

Two classifiers over the same sentences (`junheng.text.sentences`):

- the lexicon baseline: a measure is present when any sentence outside document titles holds
  one of its keywords (data/measure_lexicon.tsv);
- the model (`measures_model`, trained by `measures_train`): calibrated sentence scores per
  measure, aggregated per document as the noisy-or of its two best sentences, present above a
  threshold tuned by cross-validation on the training labels (never on the corpus). Trained
  with the dev set (`junheng train measures --dev`, `measures_dev`), the threshold is tuned on
  the dev documents' out-of-fold scores, and the honest dev scores are the cross-validated ones
  in metrics.json (`evaluate --gold` says so).

A measure named only inside 《…》 (a list of document titles) is not counted: titles are
masked before matching and scoring. Evidence is up to three real sentences of the document,
best first, never a table row, title list, table-of-contents line or site chrome.
"""
from __future__ import annotations

import re

import numpy as np

from junheng.measures import model as model_io
from junheng.text.clean import CHROME_MAX, chrome_action
from junheng.document import Document, Evidence, MeasureHit
from junheng.text.sentences import Span, split_sentences

MAX_EVIDENCE = 3
_TOC_LINE = re.compile(r"(?:[.…·．]{4,}|\s{2,})\s*\d{1,3}\s*$|^目\s*录$")
_TITLE_SHARE = 0.5  # a unit whose characters are mostly document titles is a title list
_SCORED_KINDS = {"sentence", "item", "heading"}


# ---------------------------------------------------------------- units worth reading


def content_units(text: str) -> list[Span]:
    """The units a measure can be read from: no table rows, title lists, TOC lines or chrome."""
    return [unit for unit in split_sentences(text) if _is_content(unit, text)]


def _is_content(unit: Span, text: str) -> bool:
    if unit.kind not in _SCORED_KINDS or _TOC_LINE.search(unit.text):
        return False
    if unit.kind == "heading" and unit.text.endswith(("：", ":")):
        return False  # an addressee (…督导委员会：) or a lead-in (整改措施：) reports nothing itself
    titles = sum(len(match.group()) for match in model_io.TITLE.finditer(unit.text))
    if titles > _TITLE_SHARE * len(unit.text):
        return False
    # clean judged every line up to CHROME_MAX characters and kept this one; the sentences of a
    # longer line, which clean keeps whole (欢迎您访问…网! before the article), are judged here.
    line_start = text.rfind("\n", 0, unit.start) + 1
    line_end = text.find("\n", unit.end)
    short_line = (len(text) if line_end < 0 else line_end) - line_start <= CHROME_MAX
    return short_line or chrome_action(unit.text) is None


# ---------------------------------------------------------------- lexicon baseline


def lexicon_baseline(doc: Document) -> list[MeasureHit]:
    """A measure per keyword found in a content unit; score 1/3 per such unit, at most 1."""
    units = content_units(doc.text)
    starts = np.array([unit.start for unit in units])
    by_measure: dict[str, list[Span]] = {}
    for measure, start, _ in model_io.lexicon_matches(doc.text):
        position = int(np.searchsorted(starts, start, side="right")) - 1
        if position >= 0 and start < units[position].end:
            hits = by_measure.setdefault(measure, [])
            if units[position] not in hits:
                hits.append(units[position])
    return [MeasureHit(measure, round(min(1.0, len(hits) / 3), 3), _evidence(hits))
            for measure, hits in by_measure.items()]


# ---------------------------------------------------------------- the model


def classify(doc: Document, model_dir: str | None = None) -> list[MeasureHit]:
    """The measures the document really reports or plans, best first, with evidence."""
    units = content_units(doc.text)
    if not units:
        return []
    model, meta = model_io.load_model(model_dir)
    scores = sentence_scores(model, [unit.text for unit in units])
    threshold = meta["thresholds"]["document"]
    evidence_floor = meta["thresholds"]["evidence"]
    by_document = document_scores(scores)
    hits = [MeasureHit(model.measures[column], round(float(by_document[column]), 3),
                       _best_evidence(units, scores[:, column], evidence_floor))
            for column in np.flatnonzero(by_document >= threshold)]
    return sorted(hits, key=lambda hit: -hit.score)


def model_version(model_dir: str | None = None) -> str:
    """The version of the model `classify` uses (stored with every measure row)."""
    return model_io.load_model(model_dir)[1]["model_version"]


def sentence_scores(model, texts: list[str]) -> np.ndarray:
    """P(measure) for each sentence, by the shipped `measures_linear.LinearModel`."""
    return model.scores([model_io.prepare(text) for text in texts], model_io.keyword_columns(texts))


def document_scores(scores: np.ndarray) -> np.ndarray:
    """Per measure (column), the noisy-or of its two best sentences (rows): one clear
    sentence or two fair ones make a measure."""
    best = np.sort(scores, axis=0)[-2:]
    return 1.0 - np.prod(1.0 - best, axis=0)


def _best_evidence(units: list[Span], scores: np.ndarray, floor: float) -> list[Evidence]:
    order = [index for index in np.argsort(-scores) if scores[index] >= floor] or [int(np.argmax(scores))]
    # A heading only names the topic: prefer the sentences that report the action.
    order.sort(key=lambda index: (units[index].kind == "heading", -scores[index]))
    return _evidence([units[index] for index in order])


def _evidence(units: list[Span]) -> list[Evidence]:
    return [Evidence(unit.text, unit.start, unit.end) for unit in units[:MAX_EVIDENCE]]

"""The measure model: the lexicon, sentence features, one calibrated linear classifier per
measure, and the artifact in models/measures/ (arrays in an .npz, see `measures_linear`)
with its meta.json.

Features are TF-IDF over the characters (1–3-grams) of the sentence with document titles
masked (《…》 → 《》: a measure named only in a title is not reported) and numbers folded to 0
(so 56人以上 and 45人以上 are one feature), plus one keyword column per measure from
data/measure_lexicon.tsv. Character n-grams, not jieba words: adding jieba's 1–2-grams
scored the corpus no better (document macro-F1 0.959 with, 0.963 without) and segmenting
every sentence cost as much as all the rest of the extraction.

The label files (corpus/labels/*.jsonl) list every measure a sentence carries, whichever
writer's block it came from, so every row is a positive or a negative for every measure.
"""
from __future__ import annotations

import csv
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

ARTIFACT = "model.npz"
META = "meta.json"
METRICS = "metrics.json"
TITLE = re.compile(r"《[^《》\n]{0,80}》")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def measure_ids() -> list[str]:
    """The measure ids in the order of data/measure_lexicon.tsv (the project's vocabulary)."""
    ids: list[str] = []
    for row in lexicon_rows():
        if row["measure"] not in ids:
            ids.append(row["measure"])
    return ids


@lru_cache(maxsize=1)
def lexicon_rows() -> tuple[dict, ...]:
    table = resources.files("junheng") / "data" / "measure_lexicon.tsv"
    with table.open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle, delimiter="\t"))


def lexicon_hash() -> str:
    """Recorded in meta.json: the model's keyword columns are only valid for this lexicon."""
    import hashlib

    table = resources.files("junheng") / "data" / "measure_lexicon.tsv"
    return hashlib.sha256(table.read_bytes()).hexdigest()


def mask_titles(text: str) -> str:
    return TITLE.sub("《》", text)


def masked_text(text: str) -> str:
    """`text` with every 《title》's inside blanked, same length, so offsets still hold."""
    return TITLE.sub(lambda match: "《" + "\u3000" * (len(match.group()) - 2) + "》", text)


@lru_cache(maxsize=1)
def _lexicon():
    """(Aho-Corasick automaton of the phrases, regex rules), built once from the lexicon.

    Not spaCy's PhraseMatcher: over one-character tokens it finds exactly the same matches
    but 12x slower (57 ms vs 4.6 ms on the 40-report corpus), and over jieba tokens it loses
    28% of them where jieba cuts across a keyword."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    phrases: dict[str, list[str]] = {}
    regexes = []
    for row in lexicon_rows():
        if row["kind"] == "regex":
            regexes.append((row["measure"], re.compile(row["pattern"])))
        else:
            phrases.setdefault(row["pattern"], []).append(row["measure"])
    for phrase, measures in phrases.items():
        automaton.add_word(phrase, (len(phrase), tuple(measures)))
    automaton.make_automaton()
    return automaton, regexes


def lexicon_matches(text: str) -> list[tuple[str, int, int]]:
    """(measure, start, end) of every keyword of the lexicon in `text`, titles excluded."""
    automaton, regexes = _lexicon()
    masked = masked_text(text)
    found = [(measure, last + 1 - length, last + 1)
             for last, (length, measures) in automaton.iter(masked) for measure in measures]
    for measure, pattern in regexes:
        found.extend((measure, match.start(), match.end()) for match in pattern.finditer(masked))
    return found


def prepare(text: str) -> str:
    """What the classifier reads: titles masked, numbers folded."""
    return _NUMBER.sub("0", mask_titles(text))


# ---------------------------------------------------------------- features and estimators


def make_vectorizer(params: dict):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char", lowercase=False, ngram_range=(1, 3), min_df=params["min_df"],
                           sublinear_tf=True, dtype=np.float32, max_features=params["max_char_features"])


def featurize(vectorizer, texts: list[str], fit: bool = False, lexicon_weight: float = 1.0):
    """TF-IDF characters plus one column per measure: does a keyword occur?

    The keyword columns carry what a few dozen examples cannot teach (the measures with few
    labelled sentences); the n-grams learn when a keyword is only a passing mention."""
    from scipy import sparse

    prepared = [prepare(text) for text in texts]
    ngrams = vectorizer.fit_transform(prepared) if fit else vectorizer.transform(prepared)
    return sparse.hstack([ngrams, sparse.csr_matrix(lexicon_weight * keyword_columns(texts))]).tocsr()


def keyword_columns(texts: list[str]) -> np.ndarray:
    """Row per text, column per measure: 1 where a keyword of the measure occurs. The texts
    are matched as one string, a line each (one pass of the automaton, not one per text)."""
    column_of = _measure_columns()
    found = lexicon_matches("\n".join(texts))
    ends = np.cumsum([len(text) + 1 for text in texts])
    rows = np.searchsorted(ends, [start for _, start, _ in found], side="right")
    matrix = np.zeros((len(texts), len(column_of)), dtype=np.float32)
    matrix[rows, [column_of[measure] for measure, _, _ in found]] = 1  # found twice is still one yes
    return matrix


@lru_cache(maxsize=1)
def _measure_columns() -> dict[str, int]:
    return {measure: column for column, measure in enumerate(measure_ids())}


def make_classifier(params: dict):
    """A linear SVM with sigmoid calibration fitted on 3-fold out-of-fold margins, so its
    scores are probabilities at the training data's own prevalence (no class reweighting,
    which would inflate every score). `ensemble=False` keeps one SVM per measure, not three.
    Chosen over logistic regression by cross-validated log loss and pseudo-document F1."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    return CalibratedClassifierCV(LinearSVC(C=params["C"], random_state=0), method="sigmoid", cv=3, ensemble=False)


def fit_measures(X, Y: np.ndarray, params: dict, known: np.ndarray | None = None,
                 weights: np.ndarray | None = None) -> list:
    """One binary classifier per measure (a measure without positives stays silent: None).

    `known` (rows × measures, optional) marks the rows whose label for a measure is known: a
    sentence of a dev document that has the measure but no keyword of it is neither a positive
    nor a negative (`measures_dev.derive_labels`), so that measure's classifier leaves it out.
    `weights` (per row, optional) are sample weights."""
    classifiers = []
    for column in range(Y.shape[1]):
        rows = np.arange(Y.shape[0]) if known is None else np.flatnonzero(known[:, column])
        target = Y[rows, column]
        if len(target) == 0 or target.min() == target.max():
            classifiers.append(None)
            continue
        weight = None if weights is None else weights[rows]
        classifiers.append(make_classifier(params).fit(X[rows], target, sample_weight=weight))
    return classifiers


def _linear_form(classifiers: list) -> tuple:
    """(columns, weights, intercepts, sigmoid slopes, sigmoid offsets) of the fitted measures:
    each is a CalibratedClassifierCV(LinearSVC, method="sigmoid", ensemble=False)."""
    fitted = [(column, c.calibrated_classifiers_[0]) for column, c in enumerate(classifiers) if c is not None]
    if not fitted:
        empty = np.zeros(0)
        return [], np.zeros((0, 0)), empty, empty, empty
    weights = np.ascontiguousarray(np.vstack([c.estimator.coef_[0] for _, c in fitted]).T)  # else copied per product
    bias = np.array([c.estimator.intercept_[0] for _, c in fitted])
    slope = np.array([c.calibrators[0].a_ for _, c in fitted])
    offset = np.array([c.calibrators[0].b_ for _, c in fitted])
    return [column for column, _ in fitted], weights, bias, slope, offset


# ---------------------------------------------------------------- training data


def read_labels(labels_dir: Path) -> list[dict]:
    """Every row of labels_dir/*.jsonl, each tagged with the file it came from."""
    rows = []
    for path in sorted(Path(labels_dir).glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    row["file"] = path.name
                    rows.append(row)
    return rows


def label_matrix(rows: list[dict], ids: list[str]) -> np.ndarray:
    index = {measure: column for column, measure in enumerate(ids)}
    Y = np.zeros((len(rows), len(ids)), dtype=np.int8)
    for row_number, row in enumerate(rows):
        for label in row["labels"]:
            if label in index:
                Y[row_number, index[label]] = 1
    return Y


# ---------------------------------------------------------------- the artifact


def default_dir() -> Path:
    """The models/measures beside the pipeline/ folder when it runs from a source tree, else
    the installed package's copy (junheng.models). The source tree comes first: with another
    checkout installed in editable mode, junheng.models would name that checkout's models."""
    source_tree = Path(__file__).resolve().parents[2] / "models" / "measures"
    if (source_tree / META).exists():
        return source_tree
    return Path(str(resources.files("junheng.models") / "measures"))


def linear_model(model: dict):
    """The fitted scikit-learn objects as the arrays ingest scores with (`LinearModel`)."""
    from junheng.measures.linear import LinearModel

    vectorizer = model["vectorizer"]
    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    columns, weights, bias, slope, offset = _linear_form(model["classifiers"])
    return LinearModel(measures=list(model["measures"]), terms=np.array(terms, dtype=str),
                       idf=vectorizer.idf_.astype(np.float32), ngram_range=vectorizer.ngram_range,
                       lexicon_weight=float(model["lexicon_weight"]), columns=np.array(columns, dtype=np.int64),
                       weights=weights.astype(np.float32), bias=bias.astype(np.float32),
                       slope=slope.astype(np.float32), offset=offset.astype(np.float32))


def save(model: dict, out_dir: Path) -> Path:
    path = Path(out_dir) / ARTIFACT
    linear_model(model).save(path)
    return path


@lru_cache(maxsize=4)
def load_model(model_dir: str | None = None) -> tuple:
    """(LinearModel, meta), loaded once per process."""
    from junheng.measures.linear import LinearModel

    directory = Path(model_dir) if model_dir else default_dir()
    meta = json.loads((directory / META).read_text(encoding="utf-8"))
    return LinearModel.load(directory / ARTIFACT), meta

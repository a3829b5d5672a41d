"""The measure model: the lexicon, sentence features, one calibrated linear classifier per
measure, and the artifact in models/measures/ (skops, never a bare pickle) with its meta.json.

Features are TF-IDF over jieba words (1–2-grams) and characters (1–3-grams) of the sentence
with document titles masked (《…》 → 《》: a measure named only in a title is not reported)
and numbers folded to 0 (so 56人以上 and 45人以上 are one feature), plus one keyword column
per measure from data/measure_lexicon.tsv.

The label files (corpus/labels/*.jsonl) list every measure a sentence carries, whichever
writer's block it came from, so every row is a positive or a negative for every measure.
"""
from __future__ import annotations

import copy
import csv
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from scipy import sparse

from . import segment

ARTIFACT = "model.skops"
META = "meta.json"
METRICS = "metrics.json"
TITLE = re.compile(r"《[^《》]{0,80}》")
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
    table = resources.files("pipeline") / "data" / "measure_lexicon.tsv"
    with table.open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle, delimiter="\t"))


def lexicon_hash() -> str:
    """Recorded in meta.json: the model's keyword columns are only valid for this lexicon."""
    import hashlib

    table = resources.files("pipeline") / "data" / "measure_lexicon.tsv"
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


def word_string(prepared: str) -> str:
    """The jieba words of a prepared sentence joined by spaces (punctuation and spaces dropped)."""
    return " ".join(word for word in segment.words(prepared) if word.strip() and not _is_punct(word))


def _is_punct(word: str) -> bool:
    return all(not char.isalnum() for char in word)


# ---------------------------------------------------------------- features and estimators


def make_vectorizers(params: dict):
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2),
                            min_df=params["min_df"], sublinear_tf=True, dtype=np.float32)
    chars = TfidfVectorizer(analyzer="char", lowercase=False, ngram_range=(1, 3),
                            min_df=params["min_df"], sublinear_tf=True, dtype=np.float32,
                            max_features=params["max_char_features"])
    return words, chars


def featurize(vectorizers, texts: list[str], fit: bool = False, lexicon_weight: float = 1.0):
    """TF-IDF words and characters, plus one column per measure: does a keyword occur?

    The keyword columns carry what a few dozen examples cannot teach (the measures with few
    labelled sentences); the n-grams learn when a keyword is only a passing mention."""
    words, chars = vectorizers
    prepared = [prepare(text) for text in texts]
    tokenized = [word_string(text) for text in prepared]
    if fit:
        blocks = [words.fit_transform(tokenized), chars.fit_transform(prepared)]
    else:
        blocks = [words.transform(tokenized), chars.transform(prepared)]
    blocks.append(lexicon_weight * keyword_columns(texts))
    return sparse.hstack(blocks).tocsr()


def keyword_columns(texts: list[str]) -> sparse.csr_matrix:
    column_of = {measure: column for column, measure in enumerate(measure_ids())}
    rows, columns = [], []
    for row, text in enumerate(texts):
        for column in sorted({column_of[measure] for measure, _, _ in lexicon_matches(text)}):
            rows.append(row)
            columns.append(column)
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, columns)), shape=(len(texts), len(column_of)))


def make_classifier(params: dict):
    """A linear SVM with sigmoid calibration fitted on 3-fold out-of-fold margins, so its
    scores are probabilities at the training data's own prevalence (no class reweighting,
    which would inflate every score). `ensemble=False` keeps one SVM per measure, not three.
    Chosen over logistic regression by cross-validated log loss and pseudo-document F1."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    return CalibratedClassifierCV(LinearSVC(C=params["C"], random_state=0), method="sigmoid", cv=3, ensemble=False)


def fit_measures(X, Y: np.ndarray, params: dict) -> list:
    """One binary classifier per measure (a measure without positives stays silent: None)."""
    classifiers = []
    for column in range(Y.shape[1]):
        target = Y[:, column]
        fits = target.min() != target.max()
        classifiers.append(make_classifier(params).fit(X, target) if fits else None)
    return classifiers


def predict_measures(classifiers: list, X) -> np.ndarray:
    """P(measure) for every row and measure: one sparse product for all the SVMs, then each
    measure's sigmoid, exactly what each classifier's predict_proba computes. Calling that
    25 times per document cost 45 ms in sklearn's input checks, for 0.5 ms of arithmetic."""
    from scipy.special import expit

    columns, weights, bias, slope, offset = _linear_form(tuple(classifiers))
    scores = np.zeros((X.shape[0], len(classifiers)), dtype=np.float32)
    if columns:
        scores[:, columns] = expit(-(slope * (X @ weights + bias) + offset))
    return scores


@lru_cache(maxsize=4)
def _linear_form(classifiers: tuple) -> tuple:
    """(columns, weights, intercepts, sigmoid slopes, sigmoid offsets) of the fitted measures:
    each is a CalibratedClassifierCV(LinearSVC, method="sigmoid", ensemble=False)."""
    fitted = [(column, c.calibrated_classifiers_[0]) for column, c in enumerate(classifiers) if c is not None]
    if not fitted:
        return [], None, None, None, None
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
    try:
        return Path(str(resources.files("pipeline.models") / "measures"))
    except ModuleNotFoundError:  # running from a source tree without the package mapping
        return Path(__file__).resolve().parent.parent / "models" / "measures"


TRUSTED_TYPES = [
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.svm._classes.LinearSVC",
    "numpy.str_",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.dtype",
    "builtins.slice",
]


def save(model: dict, out_dir: Path) -> Path:
    """Write the model with skops; vocabularies go as arrays (see `_pack_vocabularies`)."""
    import zipfile

    import skops.io as sio

    path = Path(out_dir) / ARTIFACT
    sio.dump(_pack_vocabularies(model), path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    return path


def load_artifact(model_dir: Path) -> dict:
    """The saved model; skops refuses any type outside TRUSTED_TYPES (no arbitrary code)."""
    import skops.io as sio

    return _unpack_vocabularies(sio.load(Path(model_dir) / ARTIFACT, trusted=TRUSTED_TYPES))


def _pack_vocabularies(model: dict) -> dict:
    """skops writes a dict entry by entry (27,000 n-grams: a 15 MB schema, 1 s to read back);
    as one array of terms in index order it is a single .npy file."""
    packed = dict(model)
    packed["vectorizers"], packed["vocabularies"] = [], []
    for vectorizer in model["vectorizers"]:
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        packed["vocabularies"].append(np.array(terms, dtype=str))
        clone = copy.copy(vectorizer)
        clone.vocabulary_, clone.stop_words_ = {}, None  # stop_words_: pruned n-grams, never read
        packed["vectorizers"].append(clone)
    return packed


def _unpack_vocabularies(packed: dict) -> dict:
    model = dict(packed)
    for vectorizer, terms in zip(model["vectorizers"], model.pop("vocabularies")):
        vectorizer.vocabulary_ = {term: index for index, term in enumerate(terms.tolist())}
    return model


@lru_cache(maxsize=4)
def load_model(model_dir: str | None = None) -> tuple[dict, dict]:
    """(model, meta), loaded once per process."""
    directory = Path(model_dir) if model_dir else default_dir()
    meta = json.loads((directory / META).read_text(encoding="utf-8"))
    return load_artifact(directory), meta

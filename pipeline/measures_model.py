"""The measure model: sentence features, one calibrated linear classifier per measure, and
the artifact in models/measures/ (skops, never a bare pickle) with its meta.json.

Features are TF-IDF over jieba words (1–2-grams) and characters (1–3-grams) of the sentence
with document titles masked (《…》 → 《》: a measure named only in a title is not reported)
and numbers folded to 0 (so 56人以上 and 45人以上 are one feature).

The label files are partial: each writer labelled every sentence for their own measures, and
other measures only when they noticed them. So for each measure a sentence counts as a
negative only where its label is reliable (`reliable_mask`), and each measure has its own
classifier trained on its reliable rows.
"""
from __future__ import annotations

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
# Negatives anyone could label: boilerplate and sentences about the writer's own measures.
_SAFE_NEGATIVE_KINDS = {"negative", "positive"}
_OWNER_SHARE = 0.5  # the file holding at least this share of a measure's positives owns it


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
    """Logistic regression: its probabilities are calibrated by construction (log loss),
    unlike a LinearSVC's margins, and it keeps a single weight vector per measure."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=params["C"], class_weight="balanced", max_iter=2000,
                              solver="liblinear")


def fit_measures(X, Y: np.ndarray, reliable: np.ndarray, params: dict) -> list:
    """One classifier per measure, each on the rows whose label for it is reliable."""
    classifiers = []
    for column in range(Y.shape[1]):
        rows = np.flatnonzero(reliable[:, column])
        target = Y[rows, column]
        if target.min() == target.max():
            classifiers.append(None)  # no positives (or no negatives): the measure stays silent
            continue
        classifiers.append(make_classifier(params).fit(X[rows], target))
    return classifiers


def predict_measures(classifiers: list, X) -> np.ndarray:
    scores = np.zeros((X.shape[0], len(classifiers)), dtype=np.float32)
    for column, classifier in enumerate(classifiers):
        if classifier is not None:
            scores[:, column] = classifier.predict_proba(X)[:, 1]
    return scores


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


def owners(rows: list[dict], Y: np.ndarray) -> list[set[str]]:
    """For each measure, the label files that labelled it systematically."""
    files = sorted({row["file"] for row in rows})
    file_of = np.array([row["file"] for row in rows])
    result = []
    for column in range(Y.shape[1]):
        counts = {name: int(Y[file_of == name, column].sum()) for name in files}
        total = sum(counts.values()) or 1
        result.append({name for name, count in counts.items() if count / total >= _OWNER_SHARE})
    return result


def reliable_mask(rows: list[dict], Y: np.ndarray) -> np.ndarray:
    """True where a row's label for a measure can be trusted (see the module docstring)."""
    owned = owners(rows, Y)
    mask = np.zeros(Y.shape, dtype=bool)
    for row_number, row in enumerate(rows):
        safe = row["kind"] in _SAFE_NEGATIVE_KINDS
        for column, files in enumerate(owned):
            mask[row_number, column] = bool(Y[row_number, column]) or row["file"] in files or safe
    return mask


# ---------------------------------------------------------------- the artifact


def default_dir() -> Path:
    try:
        return Path(str(resources.files("pipeline.models") / "measures"))
    except ModuleNotFoundError:  # running from a source tree without the package mapping
        return Path(__file__).resolve().parent.parent / "models" / "measures"


TRUSTED_TYPES = [
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.dtype",
    "builtins.slice",
]


def save(model: dict, out_dir: Path) -> Path:
    import zipfile

    import skops.io as sio

    path = Path(out_dir) / ARTIFACT
    sio.dump(model, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    return path


def load_artifact(model_dir: Path) -> dict:
    """The saved model, refusing any type outside TRUSTED_TYPES (no arbitrary code)."""
    import skops.io as sio

    path = Path(model_dir) / ARTIFACT
    unknown = [name for name in sio.get_untrusted_types(file=path) if name not in TRUSTED_TYPES]
    if unknown:
        raise ValueError(f"{path}: untrusted types in the model file: {', '.join(unknown)}")
    return sio.load(path, trusted=TRUSTED_TYPES)


@lru_cache(maxsize=4)
def load_model(model_dir: str | None = None) -> tuple[dict, dict]:
    """(model, meta), loaded once per process."""
    directory = Path(model_dir) if model_dir else default_dir()
    meta = json.loads((directory / META).read_text(encoding="utf-8"))
    return load_artifact(directory), meta

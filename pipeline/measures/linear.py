"""The shipped measure model as plain arrays, and the scorer that ingest runs.

Training fits scikit-learn objects (`measures_model`, `measures_train`); what a sentence's
scores need from them is a character n-gram vocabulary with its idf weights and, per measure,
a weight vector, an intercept and a sigmoid. Saved as one .npz (no pickle, nothing to trust)
they load in milliseconds without importing scikit-learn, and the n-grams of a whole
document are counted in one vectorised pass: 1–3-gram codes of its code points looked up
in a hash table of the vocabulary's codes. That reproduces TfidfVectorizer(analyzer="char",
sublinear_tf=True, norm="l2") exactly (tests/test_measures_predict.py) at a tenth of its
cost, which was most of a report's extraction time. Plain numpy throughout: scipy's import
alone took an eighth of a worker's start-up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from junheng.text.ngram_codes import code, code_points, gram_codes

_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's char analyzer folds these to one space
_CHUNK = 100_000  # entries summed at once: a few MB, however long the document


@dataclass
class LinearModel:
    measures: list[str]
    terms: np.ndarray  # the character n-grams, in feature order
    idf: np.ndarray
    ngram_range: tuple[int, int]
    lexicon_weight: float
    columns: np.ndarray  # the measures that have a classifier (the others score 0)
    weights: np.ndarray  # (n-gram features + keyword columns) × fitted measures
    bias: np.ndarray
    slope: np.ndarray
    offset: np.ndarray

    def __post_init__(self) -> None:
        self._columns = _CodeTable(np.array([code(term) for term in self.terms.tolist()], dtype=np.uint64))

    # ------------------------------------------------------------ scoring

    def scores(self, prepared: list[str], keywords: np.ndarray) -> np.ndarray:
        """P(measure) per sentence: `prepared` as `measures_model.prepare` makes them,
        `keywords` the lexicon columns of the same sentences."""
        result = np.zeros((len(prepared), len(self.measures)), dtype=np.float32)
        if not prepared or not len(self.columns):
            return result
        n_terms = len(self.terms)
        margins = _sum_rows(*self.ngram_features(prepared), self.weights[:n_terms], len(prepared))
        margins += self.lexicon_weight * (keywords @ self.weights[n_terms:])
        # The logistic of the calibrated margin; clipped where exp would overflow float32.
        result[:, self.columns] = 1 / (1 + np.exp(np.clip(self.slope * (margins + self.bias) + self.offset, -80, 80)))
        return result

    def ngram_features(self, prepared: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The TF-IDF rows (sublinear tf, l2-normalised) of the sentences, as (row, column,
        value) of their non-zero entries, by row."""
        texts = [_WHITE_SPACES.sub(" ", text) for text in prepared]
        points = code_points("".join(texts))
        sentence = np.repeat(np.arange(len(texts)), [len(text) for text in texts])
        codes, rows = [np.zeros(0, dtype=np.uint64)], [np.zeros(0, dtype=np.int64)]
        for n in range(self.ngram_range[0], min(self.ngram_range[1], len(points)) + 1):
            gram = gram_codes(points, n)
            inside = sentence[: len(gram)] == sentence[n - 1:]  # an n-gram never spans two sentences
            codes.append(gram[inside])
            rows.append(sentence[: len(gram)][inside])
        found, column = self._columns.lookup(np.concatenate(codes))  # all n at once: numpy calls cost
        key = np.concatenate(rows)[found] * len(self.terms) + column[found]  # sentence × n-gram
        key, counts = np.unique(key, return_counts=True)
        row, column = np.divmod(key, len(self.terms))
        values = (np.log(counts.astype(np.float32)) + 1) * self.idf[column]
        norms = np.sqrt(np.bincount(row, weights=values.astype(np.float64) ** 2, minlength=len(texts)))
        values /= np.where(norms > 0, norms, 1)[row].astype(np.float32)
        return row, column, values

    # ------------------------------------------------------------ the file

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path, measures=np.array(self.measures), terms=self.terms, idf=self.idf,
            ngram_range=np.array(self.ngram_range), lexicon_weight=np.array(self.lexicon_weight),
            columns=self.columns, weights=self.weights, bias=self.bias, slope=self.slope, offset=self.offset)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as arrays:
            return cls(measures=arrays["measures"].tolist(), terms=arrays["terms"], idf=arrays["idf"],
                       ngram_range=tuple(int(n) for n in arrays["ngram_range"]),
                       lexicon_weight=float(arrays["lexicon_weight"]), columns=arrays["columns"],
                       weights=arrays["weights"], bias=arrays["bias"], slope=arrays["slope"],
                       offset=arrays["offset"])


class _CodeTable:
    """n-gram code → column, as an open-addressing hash table of numpy arrays: a document's
    codes are looked up together, a few vectorised probes each. np.searchsorted in the sorted
    codes took 5× longer (its binary search misses the cache at every step)."""

    _MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of code × this

    def __init__(self, codes: np.ndarray) -> None:
        bits = max(4, int(len(codes) * 4).bit_length())  # a quarter full: short probe runs
        self._shift, self._mask = np.uint64(64 - bits), (1 << bits) - 1
        self._keys = np.zeros(1 << bits, dtype=np.uint64)  # 0: empty (a code is never 0)
        self._values = np.zeros(1 << bits, dtype=np.int64)
        slots, pending = self._slots(codes), np.arange(len(codes))
        while len(pending):  # each round, the first code aiming at each free slot takes it
            free = pending[self._keys[slots[pending]] == 0]
            taken, first = np.unique(slots[free], return_index=True)
            self._keys[taken], self._values[taken] = codes[free[first]], free[first]
            pending = pending[self._keys[slots[pending]] != codes[pending]]  # codes are distinct
            slots[pending] = (slots[pending] + 1) & self._mask

    def _slots(self, codes: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):  # the product is meant to wrap around
            return ((codes * self._MULTIPLIER) >> self._shift).astype(np.int64)

    def lookup(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(found, column) for each code; column is 0 where not found."""
        slots = self._slots(codes)
        keys = self._keys[slots]
        found = keys == codes
        columns = np.where(found, self._values[slots], 0)
        pending = np.flatnonzero(~found & (keys != 0))  # an empty slot: not in the table
        while len(pending):  # the few codes whose slot another code took: probe the next one
            slots[pending] = (slots[pending] + 1) & self._mask
            keys = self._keys[slots[pending]]
            hit = keys == codes[pending]
            found[pending[hit]] = True
            columns[pending[hit]] = self._values[slots[pending[hit]]]
            pending = pending[~hit & (keys != 0)]
        return found, columns


def _sum_rows(row: np.ndarray, column: np.ndarray, value: np.ndarray, weights: np.ndarray, n_rows: int) -> np.ndarray:
    """(sparse rows given by their entries, sorted by row) @ weights, in plain numpy, a chunk
    of entries at a time (each entry takes a row of weights while it is summed)."""
    margins = np.zeros((n_rows, weights.shape[1]), dtype=np.float32)
    for low in range(0, len(row), _CHUNK):
        rows = row[low:low + _CHUNK]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        # A row cut by a chunk's end gets the rest of its sum from the next chunk.
        margins[rows[starts]] += np.add.reduceat(value[low:low + _CHUNK, None] * weights[column[low:low + _CHUNK]],
                                                 starts, axis=0)
    return margins

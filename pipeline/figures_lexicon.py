"""The figure extractor's rules as data: metrics, units, cue words and never-figure patterns.

Everything here is read once from `pipeline/data/` (figure_metrics.tsv, figure_units.tsv,
metric_cues.tsv, figure_words.tsv, figure_never.tsv), so the rules can be read and tuned
without touching code. Word lists are matched with Aho-Corasick automata: one pass over a line
finds every cue, and a cue inside a longer one (班额 in 大班额) is dropped.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick


@dataclass(frozen=True)
class MetricSpec:
    id: str
    unit: str
    kinds: frozenset[str]
    low: float
    high: float
    # kind → a word that must be near the number for that kind to count (个 → 教学点)
    conditions: tuple[tuple[str, str], ...] = ()
    level: str | None = None  # the level when the text names none

    def accepts(self, kind: str, value: float, nearby: str | None = None) -> bool:
        """Whether a number of this kind and value can be this metric; `nearby` is the text
        around it, checked for conditional kinds (None: the condition is taken as met)."""
        condition = dict(self.conditions).get(kind)
        if condition is not None:
            kind_fits = nearby is None or condition in nearby
        else:
            # A bare zero (辍学率为0, 降为零) fits any metric whose range starts at zero.
            kind_fits = kind in self.kinds or (kind == "bare" and value == 0)
        return kind_fits and self.low <= value <= self.high


@dataclass(frozen=True)
class Cue:
    metric: str  # "-" for a blocker: the number is about something that is not a metric
    tier: int
    requires: re.Pattern | None


@dataclass(frozen=True)
class Match:
    word: str
    start: int
    end: int
    payload: tuple


def _rows(name: str) -> list[dict[str, str]]:
    path = resources.files("pipeline") / "data" / name
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


class WordFinder:
    """All occurrences of a word list in a text. Within one family of words (`family` of a
    payload entry) a word inside a longer one is dropped: 班额 in 大班额, 计划 in 国培计划;
    across families both stay (九年一贯制 the level inside 九年一贯制学校 the group)."""

    def __init__(self, entries: dict[str, tuple], family=lambda entry: ""):
        self._automaton = ahocorasick.Automaton()
        self._family = family
        self._families = {word: {family(entry) for entry in payload} for word, payload in entries.items()}
        for word, payload in entries.items():
            self._automaton.add_word(word, (word, payload))
        self._empty = not entries
        if entries:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        if self._empty or not text:
            return []
        found = sorted(((end - len(word) + 1, end + 1, word, payload)
                        for end, (word, payload) in self._automaton.iter(text)),
                       key=lambda item: (item[0], -item[1]))
        kept, reach = [], {}
        for start, end, word, payload in found:
            families = [f for f in self._families[word] if end > reach.get(f, -1)]
            if not families:
                continue  # inside a longer word of its family that starts earlier or here
            for name in families:
                reach[name] = end
            if len(families) < len(self._families[word]):
                payload = tuple(entry for entry in payload if self._family(entry) in families)
            kept.append(Match(word, start, end, payload))
        return kept


# Families of figure_words.tsv categories whose words hide the shorter words inside them.
WORD_FAMILIES = {"target": "status", "target_clause": "status", "target_plan": "status", "actual": "status", "program": "status"}


@dataclass(frozen=True)
class Lexicon:
    metrics: dict[str, MetricSpec]
    units: dict[str, tuple[str, float]]
    cues: WordFinder
    words: WordFinder
    never: re.Pattern


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    metrics = {row["id"]: _metric_spec(row) for row in _rows("figure_metrics.tsv")}
    units = {row["unit"]: (row["kind"], float(row["factor"])) for row in _rows("figure_units.tsv")}
    cues: dict[str, list[Cue]] = {}
    for row in _rows("metric_cues.tsv"):
        requires = re.compile(row["requires"]) if row.get("requires") else None
        cues.setdefault(row["cue"], []).append(Cue(row["metric"], int(row["tier"]), requires))
    words: dict[str, list[tuple[str, str]]] = {}
    for row in _rows("figure_words.tsv"):
        words.setdefault(row["word"], []).append((row["category"], row.get("value") or ""))
    never = re.compile("|".join(f"(?:{row['pattern']})" for row in _rows("figure_never.tsv")), re.M)
    return Lexicon(metrics, units, WordFinder({k: tuple(v) for k, v in cues.items()}),
                   WordFinder({k: tuple(v) for k, v in words.items()},
                              family=lambda entry: WORD_FAMILIES.get(entry[0], entry[0])), never)


def _metric_spec(row: dict[str, str]) -> MetricSpec:
    kinds, conditions = [], []
    for token in row["kinds"].split():
        kind, _, word = token.partition(":")
        (conditions.append((kind, word)) if word else kinds.append(kind))
    return MetricSpec(row["id"], row["unit"], frozenset(kinds), float(row["min"]), float(row["max"]),
                      tuple(conditions), row.get("level") or None)


def words_of(category: str) -> dict[str, str]:
    """word → value for one category of figure_words.tsv."""
    return {row["word"]: row.get("value") or "" for row in _rows("figure_words.tsv")
            if row["category"] == category}

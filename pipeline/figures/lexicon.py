"""The figure extractor's rules as data: metrics, units, cue words and never-figure patterns.

Everything here is read once from `pipeline/data/` (figure_metrics.tsv, figure_units.tsv,
metric_cues.tsv, figure_words.tsv, figure_never.tsv), so the rules can be read and tuned
without touching code. Word lists are matched with Aho-Corasick automata: one pass over a line
finds every cue, and a cue inside a longer one (班额 in 大班额) is dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import ahocorasick

from junheng.text.data import data_rows


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


class Match(NamedTuple):
    """A word found in a text. A tuple, not a dataclass: the extractor makes thousands a report."""

    word: str
    start: int
    end: int
    payload: tuple
    kinds: dict  # category → value (or the category when it has none), first entry wins


def _kinds(payload: tuple) -> dict:
    kinds: dict = {}
    for entry in payload:
        if isinstance(entry, tuple):  # figure_words.tsv entries: (category, value)
            kinds.setdefault(entry[0], entry[1] or entry[0])
    return kinds


@lru_cache(maxsize=1)
def metric_table() -> dict[str, dict[str, str]]:
    """The metric vocabulary (data/metrics.tsv): id → its row (name_zh, canonical unit, one_value …)."""
    return {row["id"]: row for row in data_rows("metrics.tsv")}


def one_value_metrics() -> frozenset[str]:
    """Metrics a region has one value of per year, level and qualifier: the ones that can conflict."""
    return frozenset(metric for metric, row in metric_table().items() if row["one_value"] == "yes")


class WordFinder:
    """All occurrences of a word list in a text. Within one family of words (`family` of a
    payload entry) a word inside a longer one is dropped: 班额 in 大班额, 计划 in 国培计划;
    across families both stay (九年一贯制 the level inside 九年一贯制学校 the group)."""

    def __init__(self, entries: dict[str, tuple], family=lambda entry: ""):
        self._automaton = ahocorasick.Automaton()
        self._family = family
        for word, payload in entries.items():
            families = tuple({family(entry): None for entry in payload})
            self._automaton.add_word(word, (len(word), word, payload, families, _kinds(payload)))
        self._empty = not entries
        if entries:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        if self._empty or not text:
            return []
        # By start, the longer word first; no two matches share both ends, so the entries
        # themselves are never compared.
        found = sorted((end - value[0] + 1, -end - 1, value) for end, value in self._automaton.iter(text))
        kept, reach = [], {}
        for start, negative_end, (_, word, payload, families, kinds) in found:
            end = -negative_end
            if len(families) == 1:  # most words: the same test without building lists
                if end <= reach.get(families[0], -1):
                    continue  # inside a longer word of its family that starts earlier or here
                reach[families[0]] = end
            else:
                live = [f for f in families if end > reach.get(f, -1)]
                if not live:
                    continue
                for name in live:
                    reach[name] = end
                if len(live) < len(families):
                    payload = tuple(entry for entry in payload if self._family(entry) in live)
                    kinds = _kinds(payload)
            kept.append(Match(word, start, end, payload, kinds))
        return kept


# Families of figure_words.tsv categories whose words hide the shorter words inside them.
WORD_FAMILIES = {"level_none": "level", "target": "status", "target_clause": "status", "target_plan": "status", "actual": "status", "program": "status"}
# Categories read only as word lists (words_of): no line is searched for them, and as each is
# its own family, leaving them out hides no other word (的, 为, 到 are most of the hits).
LIST_ONLY = {"filler", "approx_before", "approx_after"}


@dataclass(frozen=True)
class Lexicon:
    metrics: dict[str, MetricSpec]
    units: dict[str, tuple[str, float]]
    cues: WordFinder
    words: WordFinder
    never: re.Pattern


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    metrics = {row["id"]: _metric_spec(row) for row in data_rows("figure_metrics.tsv")}
    units = {row["unit"]: (row["kind"], float(row["factor"])) for row in data_rows("figure_units.tsv")}
    cues: dict[str, list[Cue]] = {}
    for row in data_rows("metric_cues.tsv"):
        requires = re.compile(row["requires"]) if row.get("requires") else None
        cues.setdefault(row["cue"], []).append(Cue(row["metric"], int(row["tier"]), requires))
    words: dict[str, list[tuple[str, str]]] = {}
    for row in data_rows("figure_words.tsv"):
        if row["category"] not in LIST_ONLY:
            words.setdefault(row["word"], []).append((row["category"], row.get("value") or ""))
    never = compile_guarded("|".join(f"(?:{row['pattern']})" for row in data_rows("figure_never.tsv")), re.M)
    return Lexicon(metrics, units, WordFinder({k: tuple(v) for k, v in cues.items()}),
                   WordFinder({k: tuple(v) for k, v in words.items()},
                              family=lambda entry: WORD_FAMILIES.get(entry[0], entry[0])), never)


def compile_guarded(pattern: str, flags: int) -> re.Pattern:
    """The pattern behind a lookahead for the characters its matches can start with: re tries
    every alternative at every character of a line, the lookahead lets it skip most characters
    at once. Same matches; unguarded when the start is not certain (a Python whose parser
    differs, a construct _starts does not know, case folding, a pattern that can match empty)."""
    try:
        from re import _parser as parser  # Python 3.11+, internal: any surprise means no guard

        parsed = parser.parse(pattern, flags)
        if not parsed.state.flags & re.I:
            pieces, empty = _starts(parsed, parser)
            if not empty:
                return re.compile(f"(?=[{''.join(sorted(pieces))}])(?:{pattern})", flags)
    except Exception:
        pass
    return re.compile(pattern, flags)


def _starts(items, parser) -> tuple[set[str], bool]:
    """Character-class pieces a sequence of parsed items can start with, and whether it can
    match empty. Raises on anything it does not know (a negated class, a backreference …)."""
    categories = {parser.CATEGORY_DIGIT: r"\d", parser.CATEGORY_SPACE: r"\s", parser.CATEGORY_WORD: r"\w"}
    pieces: set[str] = set()
    for op, value in items:
        if op in (parser.AT, parser.ASSERT, parser.ASSERT_NOT):
            continue  # zero-width (^, lookarounds): the match starts with what follows
        if op is parser.LITERAL:
            return pieces | {re.escape(chr(value))}, False
        if op is parser.IN:
            for kind, item in value:
                if kind is parser.LITERAL:
                    pieces.add(re.escape(chr(item)))
                elif kind is parser.RANGE:
                    pieces.add(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
                else:
                    pieces.add(categories[item])
            return pieces, False
        if op is parser.SUBPATTERN and not value[1] & re.I:
            starts, empty = _starts(value[-1], parser)
        elif op is parser.BRANCH:
            branches = [_starts(branch, parser) for branch in value[1]]
            starts, empty = set().union(*(b[0] for b in branches)), any(b[1] for b in branches)
        elif op in (parser.MAX_REPEAT, parser.MIN_REPEAT):
            starts, empty = _starts(value[2], parser)
            empty = empty or value[0] == 0
        else:
            raise ValueError(f"no start for {op}")
        pieces |= starts
        if not empty:
            return pieces, False
    return pieces, True


def _metric_spec(row: dict[str, str]) -> MetricSpec:
    kinds, conditions = [], []
    for token in row["kinds"].split():
        kind, _, word = token.partition(":")
        (conditions.append((kind, word)) if word else kinds.append(kind))
    return MetricSpec(row["id"], row["unit"], frozenset(kinds), float(row["min"]), float(row["max"]),
                      tuple(conditions), row.get("level") or None)


def words_of(category: str, name: str = "figure_words.tsv") -> dict[str, str]:
    """word → value for one category of a word list (figure_words.tsv, table_words.tsv)."""
    return {row["word"]: row.get("value") or "" for row in data_rows(name) if row["category"] == category}

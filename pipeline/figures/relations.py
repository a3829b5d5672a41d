"""How the numbers of one sentence relate: changes, comparisons and lists.

由53个减少到15个 makes 53 the `previous` of 15 and no figure of its own; 较2015年的93.8% is the
base of a comparison; 由6个全部清零 ends at a zero nobody wrote; 增加了38个 is a change with
no end level and no figure at all. 小学、初中…分别为0.54和0.47 gives the levels (and years)
of a list to its numbers in order, and 小学、初中均达到0.9人 gives one number to each level.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from junheng.figures.lexicon import Match, compile_guarded
from junheng.figures.quantities import Quantity

SENTENCE_END = re.compile(r"[。；;！？!?]")
_CHANGE_TO = r"(?:提高|提升|增加|增长|上升|扩大|减少|下降|降低|缩小|压缩|增|减|降|升|调整|上调|调|控制)了?(?:到|至|为)"
CHANGE_TO = compile_guarded(_CHANGE_TO, 0)
DIRECT_CHANGE = re.compile(rf"\s*{_CHANGE_TO}\s*")  # 300元调至600元: the verb alone between two values
CHANGE_FROM = compile_guarded(r"[由从](?:\d{4}年(?:底|初|末|秋季|春季)?的?|[^，,。；]{0,8}的)?[^，,。；]{0,6}$", 0)
CHANGE_ORIGIN = compile_guarded(r"(?<![自理缘经])由(?!于)|从(?!而|严|事|中)", 0)
CHANGE_GAP = re.compile(r"[^，,；;。]*|[，,]\s*")  # 由A…减少到B: A and the verb share a clause
# 高出/多出/超出: the gap between two values (比城镇教师人均工资高出400.83元) is no level either.
CHANGE_ONLY = compile_guarded(r"(?<!新)(?:提高|提升|增加|增长|上升|扩大|减少|下降|降低|缩小|压缩|净增|高出|多出|超出|增|减|降|升)了?"
                              r"(?:近|约|超过)?$", 0)
LIST_GAP = re.compile(r"[、和及与,，]")
COMPARED_WITH = compile_guarded(r"(?:较|(?<![生师])比)(?:(?:19|20)\d{2}年(?:底|初|末)?|上年|去年|上一年)的?$|较的?$", 0)


@dataclass
class Reading:
    """What the extractor makes of one quantity in running text."""

    quantity: Quantity
    window_start: int
    metric: str | None = None
    cue: Match | None = None
    level: str | None = None
    level_word: Match | None = None
    year: int | None = None
    previous: float | None = None
    earlier_of_change: bool = False
    years_from: int = 0  # years before this (由2016年的53个 …) belong to the earlier value
    years_to: int = 0
    levels_spread: list[str] = field(default_factory=list)


def category(word: Match, category: str) -> str | None:
    return word.kinds.get(category)


def compared(base: Reading, figure: Reading | None) -> None:
    base.earlier_of_change = True
    if figure is not None and figure.metric and figure.quantity.kind == base.quantity.kind:
        figure.previous = figure.previous if figure.previous is not None else base.quantity.value


def zero_ends(readings: list[Reading], line: str, words: list[Match]) -> None:
    """由6个全部清零: the count ends at zero although no zero is written."""
    for reading in readings:
        quantity = reading.quantity
        if reading.metric is None or reading.earlier_of_change or reading.previous is not None:
            continue
        ending = next((w for w in words if quantity.end <= w.start <= quantity.end + 2
                       and category(w, "zero_end") is not None), None)
        if ending and CHANGE_FROM.search(line[reading.window_start:quantity.start]):
            reading.previous = quantity.value
            reading.quantity = Quantity(quantity.start, ending.end, 0.0, quantity.kind, quantity.unit)


def change_groups(line, start, end, measures) -> tuple[set[int], dict[int, tuple[int, int, int]]]:
    """由53个减少到15个, 由小学600元、初中800元，提高到小学650元、初中850元: the numbers
    between 由/从 and the change verb are earlier values of those after it, in order.
    Returns the earlier indices and, for each later index, (earlier index, 由 at, verb at)."""
    earlier, pairs = set(), {}
    for origin in CHANGE_ORIGIN.finditer(line, start, end):
        verb = CHANGE_TO.search(line, origin.end(), min(end, origin.end() + 45))
        if verb is None:
            continue
        before = [i for i, q in enumerate(measures) if origin.end() <= q.start and q.end <= verb.start()]
        after = [i for i, q in enumerate(measures) if q.start >= verb.end()][:len(before)]
        if not before or not after or measures[before[0]].start - origin.end() > 12 \
                or measures[after[0]].start - verb.end() > 12 \
                or not CHANGE_GAP.fullmatch(line[measures[before[-1]].end:verb.start()]) \
                or measures[after[0]].kind not in (measures[before[0]].kind, "bare"):
            continue
        earlier.update(before)
        for first, second in zip(before, after):
            pairs[second] = (first, origin.start(), verb.start())
    for first, (quantity, following) in enumerate(zip(measures, measures[1:])):
        second = first + 1
        if first in earlier or second in pairs or following.kind not in (quantity.kind, "bare"):
            continue
        verb = DIRECT_CHANGE.fullmatch(line, quantity.end, following.start)
        if verb is not None:
            earlier.add(first)
            pairs[second] = (first, quantity.start, verb.start())
    return earlier, pairs


def is_change_only(line: str, window_start: int, quantity: Quantity) -> bool:
    """减少了38个, 增长12%: an amount of change with no end level is not a figure."""
    return bool(CHANGE_ONLY.search(line[window_start:quantity.start]))


# ---------------------------------------------------------------- 分别 and 均: lists spread over numbers

def spread_lists(readings, line, start, words, quantities, opening=()) -> None:
    """`opening`: the words of the sentence's earlier clauses (before ；): 小学、初中生均…分别为
    5.82平方米、7.46平方米；生均图书分别为28.6册、39.2册 pairs the second list with the same levels."""
    markers = [w for w in words if start <= w.start and ("respectively" in w.kinds or "all_of" in w.kinds)]
    for marker in markers:
        chain = _chain_after(readings, line, marker.end)
        if not chain:
            continue
        levels = _level_run(line, words, start, marker.start)
        years = _year_run(line, quantities, start, marker.start)
        if category(marker, "respectively"):
            levels = levels or _levels_before(readings, chain) or _level_run(line, opening, 0, start)
            for reading, level in zip(chain, levels):
                reading.level, reading.level_word = level, None
            for reading, year in zip(chain, years):
                reading.year = year
        elif len(chain) == 1 and len(set(levels)) >= 2:
            # 村小和教学点均 names one level twice: one figure, not two.
            chain[0].levels_spread = list(dict.fromkeys(levels))


def _levels_before(readings, chain) -> list[str]:
    """小学…为0.316，初中为0.274，分别低于国家规定的0.50和0.45: with no list of levels before
    分别, its numbers pair in order with the last figures of their metric before it."""
    before = [r for r in readings if r.quantity.end <= chain[0].quantity.start
              and r.metric == chain[0].metric and not r.earlier_of_change][-len(chain):]
    levels = [r.level for r in before]
    return levels if len(levels) == len(chain) >= 2 and None not in levels and len(set(levels)) == len(levels) else []


def _chain_after(readings, line, position) -> list[Reading]:
    chain: list[Reading] = []
    for reading in readings:
        if reading.quantity.start < position or reading.earlier_of_change:
            continue
        if chain and (reading.metric != chain[0].metric or not _joined(line, chain[-1], reading)):
            break
        if reading.metric is None:
            break
        chain.append(reading)
    return chain


def _joined(line: str, first: Reading, second: Reading) -> bool:
    gap = line[first.quantity.end:second.quantity.start]
    return len(gap) <= 4 and not SENTENCE_END.search(gap)


def _level_run(line, words, start, end) -> list[str]:
    """小学、初中 just before 分别: the levels in the order written."""
    levels = [w for w in words if category(w, "level") and start <= w.start and w.end <= end]
    run: list[Match] = []
    for word in levels:
        if run and LIST_GAP.fullmatch(line, run[-1].end, word.start):
            run.append(word)
        else:
            run = [word]
    return [category(w, "level") for w in run] if len(run) >= 2 else []


def _year_run(line, quantities, start, end) -> list[int]:
    years = [q for q in quantities if q.kind == "year" and start <= q.start and q.end <= end]
    run: list[Quantity] = []
    for year in years:
        if run and re.fullmatch(r"[、和及与,，]|至", line[run[-1].end:year.start]):
            run.append(year)
        else:
            run = [year]
    return [int(q.value) for q in run] if len(run) >= 2 else []

"""Figures: the numbers of a report that fit a metric of metrics.tsv, read as an analyst would.

`extract_figures(doc)` reads the running text line by line and the tables cell by cell.
In running text each quantity (figures_quantities) gets its metric from the cue words in
its window: the text of its sentence since the previous quantity, and the words right after
it up to the next punctuation (为4120名家庭经济困难寄宿生). Among the cues that fit the
quantity's unit and range, the nearest clause wins, then the higher tier (新建学校 beats
学校), then the nearer cue. A quantity with no cue of its own continues a list
(小学0.42、初中0.36) or a 其中 clause. Then level, year, status, qualifier and the earlier
value of a change (由53个减少到15个) are read around it.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import itemgetter

from junheng.document import Document, Figure
from junheng.figures.context import (FULL_STOPS, DocContext, Paragraph, doc_context, is_standard, recurring, stated_year,
                              status_of, target_year)
from junheng.figures.lexicon import Match, compile_guarded, lexicon, one_value_metrics, words_of
from junheng.figures.quantities import Quantity, scan
from junheng.figures.relations import (COMPARED_WITH, SENTENCE_END, Reading, category, change_groups, compared,
                                is_change_only, spread_lists, zero_ends)
from junheng.figures.tables import prose_cells, table_figures
from junheng.figures.table_layout import pipe_tables
from junheng.text.segment import tokenizer

CLAUSE_MARK = re.compile(r"[，,：:（）()]")
RIGHT_STOP = re.compile(r"[，,：:（）()、]")  # words after a number name it up to here (为4120名…寄宿生)
MAX_LEFT = 40  # characters of cue window before a number
MAX_RIGHT = 14  # characters after it (为4120名家庭经济困难寄宿生)
MAX_TEXT = 40
RANK = itemgetter(0, 1, 2, 3)  # of an option: same clause, tier, side, nearness
FILLER = re.compile("|".join(sorted((re.escape(w) for w in words_of("filler")), key=len, reverse=True))
                    + r"|[\d.,，%‰年月日底末初]")
LIST_JOIN = re.compile(r"^\s*(?:[、和及与或/]|以及)")
NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
CLASS_THRESHOLD = compile_guarded(r"(?<!\d)(\d+人以上)[^，,。；]{0,3}(?:超大班额|大班额)", 0)
# Words that name the compulsory stage as a sentence's topic (not 九年一贯制, a kind of school).
SCOPE_WORDS = frozenset({"义务教育", "中小学"})
OUTSIDE_SCOPE = frozenset({"preschool", "special"})
ACTION_LISTS = frozenset({"schools_built", "schools_merged"})
STOCK_VERB = re.compile(r"有|总数|布局|保留|撤并|合并")  # 全县共有45所: schools that are, not that were built
SUBSET_JOIN = re.compile(r"^(?:[，,]?\s*(?:其中|内含|含)|[^，,。；;（(]{0,8}[（(])")  # 其中…, 38所小学(城区9所…


def extract_figures(doc: Document) -> list[Figure]:
    context = doc_context(doc)
    tables = list(doc.tables)
    tables += [table for table in pipe_tables(doc.text)
               if not any(other.start <= table.start < other.end for other in doc.tables)]
    in_table = [(table.start, table.end) for table in tables]
    figures: list[Figure] = []
    for paragraph in context.paragraphs:
        if any(start <= paragraph.offset < end for start, end in in_table):
            continue
        figures.extend(_paragraph_figures(paragraph, context))
    starts = [paragraph.offset for paragraph in context.paragraphs]
    for table in tables:
        figures.extend(table_figures(doc, table, context))
        around = context.paragraphs[max(0, bisect_right(starts, table.start) - 1)] if starts else None
        for cell in prose_cells(table):  # a sentence in a cell reads as running text
            paragraph = Paragraph(cell.text, cell.start, bool(around and around.plan_like))
            figures.extend(_paragraph_figures(paragraph, context))
    figures.sort(key=lambda figure: (figure.start, figure.end))
    return figures


@lru_cache(maxsize=4096)
def _words_around(snippet: str) -> frozenset[int]:
    return frozenset(bound for _, start, end in tokenizer().tokenize(snippet) for bound in (start, end))


def _straddles(line: str, cue: Match) -> bool:
    """Whether a two-character cue straddles two of jieba's words (中学 in 初中学校 =
    初中/学校) and so is no cue. Checked on a few characters around it, and only for the
    cues that would decide a metric. Longer cues are specific enough to trust inside a
    longer word (教学及辅助用房 in 生均教学及辅助用房面积)."""
    if len(cue.word) > 2:
        return False
    left = max(0, cue.start - 6)
    bounds = _words_around(line[left:cue.end + 6])
    return cue.start - left not in bounds and cue.end - left not in bounds


def _paragraph_figures(paragraph: Paragraph, context: DocContext) -> list[Figure]:
    line = paragraph.text
    quantities = scan(line)
    if not any(quantity.is_measure for quantity in quantities):
        return []  # no number a figure can be made of (only years, dates …)
    cues = lexicon().cues.find(line)
    words = lexicon().words.find(line)
    word_starts = [w.start for w in words]  # words come sorted by start: a sentence's are a slice
    figures = []
    full_start = 0  # where the sentence ending in 。 begins: clauses joined by ； share its topic
    for start, end in _sentences(line):
        if start and line[start - 1] in FULL_STOPS:
            full_start = start
        inside = [q for q in quantities if start <= q.start < end]
        if inside:
            # Words of the sentence only (and a few after it: 的标准): each number looks at them.
            near = words[bisect_left(word_starts, start):bisect_left(word_starts, end + 4)]
            scope = _scope(words[bisect_left(word_starts, full_start):bisect_left(word_starts, end)])
            opening = words[bisect_left(word_starts, full_start):bisect_left(word_starts, start)]
            readings = _read_sentence(line, start, end, inside, cues, near, scope, opening)
            figures.extend(_to_figures(readings, line, start, end, paragraph, near, context))
    return figures


def _scope(words) -> list[tuple[int, bool]]:
    """(end, opens the scope?) of the sentence's 义务教育/中小学 words, and of its 幼儿园/特殊
    教育 words, which close it (…；幼儿园42所，专任教师1200人 are no compulsory teachers);
    none when it also counts 高中 (各级各类中小学96所，其中普通高中12所: every school)."""
    if any(category(w, "level") == "senior" for w in words):
        return []
    return [(w.end, category(w, "level") == "compulsory") for w in words
            if (category(w, "level") == "compulsory" and w.word in SCOPE_WORDS)
            or category(w, "level") in OUTSIDE_SCOPE]


def _sentences(line: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in SENTENCE_END.finditer(line):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(line):
        spans.append((start, len(line)))
    return spans


# ---------------------------------------------------------------- metric of each quantity

def _read_sentence(line, start, end, quantities, cues, words, scope=(), opening=()) -> list[Reading]:
    """The readings of one sentence's numbers. `scope`: where the compulsory-stage words of
    the whole sentence (up to 。) end; `opening`: the words of its clauses before this one's ；."""
    measures = [q for q in quantities if q.is_measure]
    earlier_ones, changes = change_groups(line, start, end, measures)
    levels = [w for w in words if category(w, "level")]
    readings: list[Reading] = []
    for index, quantity in enumerate(measures):
        previous = readings[-1] if readings else None
        window_start = max(start, previous.quantity.end if previous else start, quantity.start - MAX_LEFT)
        following = measures[index + 1].start if index + 1 < len(measures) else end
        reading = Reading(quantity, window_start, earlier_of_change=index in earlier_ones)
        change = changes.get(index)
        earlier = readings[change[0]] if change else None
        if earlier is None and is_change_only(line, window_start, quantity):
            readings.append(reading)
            continue
        if COMPARED_WITH.search(line, window_start, quantity.start):
            compared(reading, previous)  # 97.2%，较2015年的93.8%: the base of a comparison
            readings.append(reading)
            continue
        _choose_metric(reading, line, following, cues, readings, earlier)
        _choose_level(reading, line, levels, following, previous, scope)
        if earlier is not None and earlier.metric == reading.metric and reading.metric:
            reading.previous = earlier.quantity.value
            reading.years_from, reading.years_to = change[1], change[2]
            reading.level = reading.level or earlier.level
        reading.year = stated_year(line, quantity.start, (reading.years_from, reading.years_to))
        readings.append(reading)
    spread_lists(readings, line, start, words, quantities, opening)
    zero_ends(readings, line, words)
    _schools_acted_on(readings, line, start, end, cues)
    return readings


def _schools_acted_on(readings, line, start, end, cues) -> None:
    """In a sentence about building or repairing schools, a count of schools named only by a
    school noun counts the schools acted on (实施24所中小学校的配套建设; 78所学校进行消防改造;
    新建改扩建项目涉及15所学校), unless a stock verb puts it before the action (全县共有45所)."""
    counted = [r for r in readings if r.metric == "school_count" and r.cue is not None
               and max(e.tier for e in r.cue.payload if e.metric == "school_count") <= 1]
    if not counted:
        return
    sentence_cues = cues[bisect_left(cues, start, key=_start):bisect_left(cues, end, key=_start)]
    if not any(e.metric == "schools_built" and e.tier >= 2 for cue in sentence_cues for e in cue.payload):
        return
    for reading in counted:
        if not STOCK_VERB.search(line, start, reading.quantity.start):
            reading.metric = "schools_built"


def _choose_metric(reading, line, following, cues, before, earlier) -> None:
    quantity = reading.quantity
    clause_start = _clause_start(line, reading.window_start, quantity.start)
    reaches_back = None  # told only when a cue lies before the number's own clause
    right_end = _right_end(line, quantity.end, following)
    sentence_start = _sentence_start(line, reading.window_start)
    options = []
    # Only cues starting in the window can fit (cues come sorted by start).
    first = bisect_left(cues, reading.window_start, key=_start)
    last = bisect_left(cues, max(quantity.start, right_end), lo=first, key=_start)
    for cue in cues[first:last]:
        if reading.window_start <= cue.start and cue.end <= quantity.start:
            same_clause = cue.start >= clause_start
            if not same_clause and reaches_back is None:
                reaches_back = _bare_clause(line[clause_start:quantity.start])
            if same_clause or reaches_back:
                options.extend(_options(cue, same_clause, 1, quantity.start - cue.end, line, sentence_start))
        elif quantity.end <= cue.start and cue.end <= right_end:
            options.extend(_options(cue, True, 0, cue.start - quantity.end, line, sentence_start))
    options.extend(_inherited(line, before, quantity, earlier))
    nearby = line[reading.window_start:right_end]
    metrics = lexicon().metrics
    for _, _, _, _, metric, cue in sorted(options, key=RANK, reverse=True):
        if cue is not None and _straddles(line, cue):
            continue
        if metric == "-":
            return  # the number is about something else (人口, 学位 …)
        if metrics[metric].accepts(quantity.kind, quantity.value, nearby):
            reading.metric, reading.cue = metric, cue
            return


def _start(match: Match) -> int:
    return match.start


def _options(cue: Match, same_clause: bool, side: int, distance: int, line: str, sentence_start: int):
    for entry in cue.payload:
        if entry.requires and not entry.requires.search(line, sentence_start, cue.end):
            continue
        yield (same_clause, entry.tier, side, -distance, entry.metric, cue)


def _sentence_start(line: str, position: int) -> int:
    ends = _mark_ends(line)[0]
    index = bisect_right(ends, position)
    return ends[index - 1] if index else 0


@lru_cache(maxsize=8)
def _mark_ends(line: str) -> tuple[list[int], list[int]]:
    """Where each sentence and clause mark of the line ends: every number of the line asks
    where its sentence and clause start, so the marks are found once (the line in hand is
    always among the last few seen)."""
    return [m.end() for m in SENTENCE_END.finditer(line)], [m.end() for m in CLAUSE_MARK.finditer(line)]


def _inherited(line, before: list[Reading], quantity: Quantity, earlier: Reading | None):
    """The metric a quantity takes over from one before it, as options ranked like cues:
    the earlier value of its change and a 其中 clause rank high; a list item (、初中800元)
    beats only school-type words; after a comma it is the last resort (，初中为11.8:1)."""
    if earlier is not None and earlier.metric:
        yield (True, 2.5, 0.5, 0, earlier.metric, None)
    if not before:
        return
    previous = before[-1]
    gap = line[previous.quantity.end:quantity.start]
    if SUBSET_JOIN.search(gap):
        source = next((r for r in reversed(before) if r.metric and r.quantity.kind == quantity.kind), None)
        if source is not None:
            yield (True, 2.5, 0.5, 0, source.metric, None)
    elif previous.metric and (LIST_JOIN.search(gap) or not gap.strip()):
        # After an action (新建中小学6所、幼儿园8所) a list item's school noun names what was
        # built, not a stock of schools: the action carries over the noun's head-noun tier.
        tier = 1.5 if previous.metric in ACTION_LISTS else 0.5
        yield (True, tier, 0.5, 0, previous.metric, None)
    elif previous.metric and gap[:1] in "，," and _bare_clause(gap[1:]):
        yield (False, -1, 0, 0, previous.metric, None)


def _bare_clause(text: str) -> bool:
    """Whether a clause before a number names nothing itself (，由53个…, ，2019年为…), so the
    number may take its cue from an earlier clause of the sentence."""
    rest = FILLER.sub("", text)
    return len(NOT_HAN.sub("", rest)) <= 1


def _clause_start(line: str, window_start: int, position: int) -> int:
    """Just past the last clause mark in [window_start, position), else window_start."""
    ends = _mark_ends(line)[1]
    index = bisect_right(ends, position)
    return ends[index - 1] if index and ends[index - 1] > window_start else window_start


def _right_end(line: str, position: int, following: int) -> int:
    stop = RIGHT_STOP.search(line, position, following)
    sentence = SENTENCE_END.search(line, position, following)
    ends = [following, position + MAX_RIGHT]
    ends += [m.start() for m in (stop, sentence) if m]
    return min(ends)


def _choose_level(reading, line, level_words, following, previous, scope=()) -> None:
    """The level word of the number's own clause (or right after it); else the level of the
    list item or 其中 clause it continues; else, for a stock of the system (schools, pupils,
    teachers, rates), the compulsory scope its sentence opens with: 义务教育阶段在校学生7.8万人，
    教职工5120人 counts the staff of compulsory education."""
    quantity = reading.quantity
    reading_start = _reading_start(reading, line)
    levels = [w for w in level_words if reading_start <= w.start and w.end <= quantity.start]
    if not levels:
        right_end = _right_end(line, quantity.end, following)
        levels = [w for w in level_words if quantity.end <= w.start and w.end <= right_end][:1]
    if levels:
        reading.level_word = levels[-1]
        reading.level = category(levels[-1], "level")
    elif previous is not None and previous.metric == reading.metric and reading.cue is None:
        reading.level = previous.level  # a list item (、初中800元) or a 其中 clause
    elif reading.metric in _stocks() and [opens for end, opens in scope if end <= quantity.start][-1:] == [True]:
        reading.level = "compulsory"


@lru_cache(maxsize=1)
def _stocks() -> frozenset[str]:
    """The metrics a region has one value of (one_value in metrics.tsv): stocks and rates."""
    return one_value_metrics()


def _reading_start(reading: Reading, line: str) -> int:
    """Where the words that qualify a number begin: its clause, or the clause of its cue
    when the number's own clause names nothing (，由53个减少到15个)."""
    quantity = reading.quantity
    clause_start = _clause_start(line, reading.window_start, quantity.start)
    if reading.cue is not None and reading.cue.end <= quantity.start:
        return min(clause_start, reading.cue.start)
    return clause_start


# ---------------------------------------------------------------- readings to figures

def _to_figures(readings, line, start, end, paragraph, words, context) -> list[Figure]:
    figures = []
    for reading in readings:
        if reading.metric is None or reading.earlier_of_change:
            continue
        for level in reading.levels_spread or [reading.level]:
            figures.append(_figure(reading, level, line, start, paragraph, words, context))
    return figures


def _figure(reading, level, line, sentence_start, paragraph, words, context) -> Figure:
    quantity = reading.quantity
    metric = lexicon().metrics[reading.metric]
    year = reading.year
    status = status_of(line, sentence_start, quantity, year, paragraph, words, context)
    clause_start = _clause_start(line, sentence_start, quantity.start)
    clause = _loose_clause_start(line, sentence_start, quantity.start)
    if is_standard(line, clause, quantity, None if reading.cue is None else reading.cue.start):
        # A standard holds for no particular year, unless its own clause gives one (到2020年…标准).
        status, year = "target", stated_year(line[clause:quantity.start], quantity.start - clause)
    elif status == "target" and recurring(line, clause_start, quantity.start):
        year = None  # 每年补充教师不少于300人: every year, not one
    elif year is None and status == "target":
        year = target_year(line, sentence_start, paragraph, context.year)
    elif year is None:
        year = context.year
    start, end = _span(reading, line)
    offset = paragraph.offset
    return Figure(metric=reading.metric, value=_round(quantity.value), unit=metric.unit,
                  text=line[start:end], start=offset + start, end=offset + end,
                  previous=None if reading.previous is None else _round(reading.previous),
                  level=level or metric.level, year=year, status=status, qualifier=_qualifier(reading, line, words))


def _loose_clause_start(line: str, sentence_start: int, position: int) -> int:
    """Just past the last comma or colon before `position`: a bracket does not end the clause
    that names a standard (国家规定的标准（小学不高于0.65）."""
    stops = [line.rfind(mark, sentence_start, position) for mark in "，,：:"]
    return max(max(stops) + 1, sentence_start)


def _span(reading: Reading, line: str) -> tuple[int, int]:
    """The number with its cue and level words: 小学生均公用经费600元, 其中专任教师2684人."""
    quantity = reading.quantity
    start, end = quantity.start, quantity.end
    if reading.cue is None:
        start = _clause_start(line, reading.window_start, quantity.start)
    for word in (reading.cue, reading.level_word):
        if word is not None and word.end <= quantity.start:
            start = min(start, word.start)
        elif word is not None:
            end = max(end, word.end)
    start = max(start, end - MAX_TEXT, min(_reading_start(reading, line), quantity.start))
    while start < quantity.start and line[start] in "、，,；;和及与或 ":
        start += 1  # a list item's text starts at its own words (初级中学1所, not 、初级中学1所)
    return start, end


def _qualifier(reading: Reading, line: str, words) -> str | None:
    quantity = reading.quantity
    if quantity.range_text:
        return quantity.range_text
    parts = []
    reading_start = _reading_start(reading, line)
    groups = [w for w in words if reading_start <= w.start and w.end <= quantity.start
              and category(w, "group") is not None]
    if groups:
        parts.append(groups[-1].word)
    lead = line[max(0, reading.window_start - 12):quantity.start]
    threshold = CLASS_THRESHOLD.search(lead)
    if threshold:
        parts.append(threshold.group(1))
    if quantity.approx:
        parts.append(quantity.approx)
    return "，".join(parts) or None


def _round(value: float) -> float:
    return round(value, 6)


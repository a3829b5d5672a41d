"""Where a figure stands in the report: its paragraph, its section, its year and its status.

A figure is a target when its sentence plans or requires it (力争, 计划, 不低于, 国家规定 …),
when its year is later than the report's, or, in a plan-like paragraph (a plan document, or
a section on goals such as 下一步工作打算), when a weaker word says so (将, 每年, 达到).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from junheng.document import Document
from junheng.figures.lexicon import Match, compile_guarded

PLAN_TITLE = re.compile(r"规划|方案|计划|意见|通知|纲要|办法")
HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[)）]|[0-9]+[.．、](?!\d)|第[一二三四五六七八九十]+[章节部分])")
TARGET_SECTION = re.compile(r"目标|打算|下一步|展望|思路|任务")
ACTUAL_SECTION = re.compile(r"现状|情况|概况|成效|成绩|做法|经验|进展|回顾|问题|困难|不足|自评|自查|结果|评估|(?:发展|工作|现实)基础")
# A year stated in the text (2023学年 too); a range (2021—2025年) stands for its last year.
# Not the year of what follows: a period since (2016年以来, 自2014年实施…以来), the base of a
# comparison (与2015年…相比, 较2015年) or the start of a change (由2016年的…). 2018年起 is the
# year from which a value holds.
YEAR_MENTION = compile_guarded(r"((?<![参给])[与较比同由]\s*)?((?:19|20)\d{2})\s*(?:[-—–~～至到]\s*((?:19|20)\d{2}))?\s*学?年"
                               r"(至今|[^，,。；;]{0,12}?以来)?", 0)
EVERY_YEAR = compile_guarded(r"(?<![生人])每年|每学年|逐年", 0)  # 每生每年600元 is a unit
# A national or provincial standard: 国家规定的0.50, 0.50和0.45的国家标准, 省定标准, 省督导标准 …
# (标准化 names a kind of school: 省级标准化学校; 全省/节省/国家级 name no issuer of a standard).
STANDARD = compile_guarded(r"国家规定|(?:国家(?!级)|(?<![全节反])省)[^，,。；;\d]{0,8}标准(?!化)", 0)
# Between a number and a standard named after it only the rest of its list: 0.50和0.45的国家标准,
# 小学45人、初中50人的国家班额标准 (not 42所学校按国家标准达到85分, where the standard is another's).
LIST_TO_STANDARD = re.compile(r"(?:[、和及与][^\d，,。；;]{0,4}[\d.]+[^\d，,。；;的]{0,3})*的")
TARGET_YEAR = compile_guarded(r"(?:到|至|力争|争取|确保|计划|预计)((?:19|20)\d{2})年|((?:19|20)\d{2})年(?:底|末)?前"
                              r"|[（(](?:19|20)\d{2}\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年?[)）]", 0)  # every line
# A heading that opens a year's plan (四、2020年工作打算) sets that year for the targets under it.
PLAN_HEADING_YEAR = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])?\s*"
                               r"((?:19|20)\d{2})年度?(?:工作)?(?:打算|计划|目标|思路|要点)")
FULL_STOPS = "。！？!?"  # end a sentence; ；-joined clauses share one
FULL_STOP = re.compile(f"[{FULL_STOPS}]")
CLAUSE_BREAK = re.compile(r"[，,；;]")
THRESHOLDS = {"以上", "以下", "以内"}  # a quantity's approx after it (4.2人以上)
AFTER_LINK = re.compile(r"(?:以上|以下|左右|以内)?[的之]?")


@dataclass
class Paragraph:
    text: str
    offset: int
    plan_like: bool
    target_year: int | None = None  # the last 到2025年 before the paragraph (or the plan's end year)


@dataclass
class DocContext:
    year: int | None
    paragraphs: list[Paragraph]


def doc_context(doc: Document) -> DocContext:
    year = int(doc.date[:4]) if doc.date and doc.date[:4].isdigit() else None
    lines = doc.text.split("\n")
    title = doc.title or (lines[0] if lines else "")
    plan_doc = bool(PLAN_TITLE.search(title)) and "报告" not in title
    paragraphs, offset, section = [], 0, None
    target_year = _last_target_year(title, year)
    for line in lines:
        section = _section_after(line, section)
        plan_like = section == "target" or (plan_doc and section != "actual")
        paragraphs.append(Paragraph(line, offset, plan_like, target_year))
        target_year = _last_target_year(line, year) or target_year
        offset += len(line) + 1
    return DocContext(year, paragraphs)


def _last_target_year(text: str, doc_year: int | None) -> int | None:
    years = [int(next(g for g in m.groups() if g)) for m in TARGET_YEAR.finditer(text)]
    if heading := PLAN_HEADING_YEAR.match(text):
        years.insert(0, int(heading.group(1)))  # it opens the line: every other year comes after it
    years = [y for y in years if doc_year is None or y >= doc_year]
    return years[-1] if years else None


def stated_year(line: str, position: int, skip: tuple[int, int] = (0, 0)) -> int | None:
    """The last year stated before `position` in its sentence (clauses joined by ； share it),
    outside book titles and outside `skip` (the span of an earlier value: 由2016年的53个)."""
    stops = [m.end() for m in FULL_STOP.finditer(line, 0, position)]
    found = None
    for match in YEAR_MENTION.finditer(line, stops[-1] if stops else 0, position):
        in_title = line.rfind("《", 0, match.start()) > line.rfind("》", 0, match.start())
        if match.group(1) or match.group(4) or in_title or skip[0] <= match.start() < skip[1]:
            continue
        found = int(match.group(3) or match.group(2))
    return found


def is_standard(line: str, clause_start: int, quantity, cue_start: int | None) -> bool:
    """Whether the number is the standard a report measures against, not the county's own
    figure: a standard named before it in its clause with no cue of its own in between
    (低于国家规定的0.50和0.45; 达到国家标准的学校36所 counts schools), or right after the
    rest of its list (分别低于0.50和0.45的国家标准)."""
    before = list(STANDARD.finditer(line, clause_start, quantity.start))
    if before and (cue_start is None or cue_start < before[-1].start()):
        return True
    gap = LIST_TO_STANDARD.match(line, quantity.end)
    return bool(gap) and STANDARD.match(line, gap.end()) is not None


def recurring(line: str, clause_start: int, position: int) -> bool:
    """每年补充教师不少于300人: a target set for every year, so for no one year."""
    return bool(EVERY_YEAR.search(line, clause_start, position))


def _section_after(line: str, section: str | None) -> str | None:
    """The kind of section a line opens (a heading, or a paragraph's 工作目标。 lead-in)."""
    lead = line.partition("。")[0]
    lead = lead if len(lead) <= 16 else ""
    heading = line if HEADING.match(line) and len(line) <= 40 else lead
    if not heading:
        return section
    if ACTUAL_SECTION.search(heading):
        return "actual"  # 目标任务完成情况 reports what was done
    if TARGET_SECTION.search(heading):
        return "target"
    return None if HEADING.match(line) and re.match(r"^\s*[一二三四五六七八九十]+、", line) else section


def status_of(line: str, sentence_start: int, quantity, year: int | None, paragraph: Paragraph,
              words: list[Match], context: DocContext) -> str:
    if year is not None and context.year is not None and year > context.year:
        return "target"
    before = [w for w in words if sentence_start <= w.start and w.end <= quantity.start]
    # 0.55的标准, 95%以上的要求: only a link word between; not 42所学校按国家标准 (the schools'
    # own count, measured by a standard) or ，不低于… (the next clause).
    after = [w for w in words if quantity.end <= w.start <= quantity.end + 3
             and AFTER_LINK.fullmatch(line, quantity.end, w.start)]
    # 达到国家规定标准，小学差异系数为0.368: a requirement word in an earlier clause names the
    # standard that was met, not this figure; a plan word (力争, 计划) covers the whole sentence.
    in_clause = [w for w in before if not CLAUSE_BREAK.search(line, w.end, quantity.start)]
    target = ([w.end for w in before if _has(w, "target")] + [w.end for w in in_clause if _has(w, "target_clause")]
              + [len(line) for w in after if _has(w, "target") or _has(w, "target_clause")])
    actual = [w.end for w in before if _has(w, "actual")]
    if actual and (not target or max(actual) > max(target)):
        return "actual"
    if target:
        return "target"
    if year is not None and context.year is not None and year < context.year:
        return "actual"
    if paragraph.plan_like and (any(_has(w, "target_plan") for w in before) or quantity.approx in THRESHOLDS):
        return "target"  # among a plan's goals, 4.2人以上 is a goal to reach
    return "actual"


def _has(word: Match, category: str) -> bool:
    return category in word.kinds


def target_year(line: str, position: int, paragraph: Paragraph, doc_year: int | None) -> int | None:
    """到2025年 earlier in the paragraph, else before it: the year a target is for."""
    return _last_target_year(line[:position], doc_year) or paragraph.target_year

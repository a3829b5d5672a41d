"""Title, date, issuer, doc_type and balance_stage of a Document.

Rules, in the CONTRACT's order of trust: the signature block (落款) beats the site's info bar,
the article's heading beats the HTML <title> (which carries the site name).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from junheng.text.clean import normalise
from junheng.metadata.doc_type import classify_doc_type
from junheng.document import Document
from junheng.text.numbers import DIGITS, parse_chinese, parse_year

_CN = "".join(DIGITS) + "十"
_DATE = re.compile(
    rf"(?P<y>(?:19|20)\d{{2}}|[{_CN}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{_CN}]{{1,3}})\s*月"
    rf"(?:\s*(?P<d>\d{{1,2}}|[{_CN}]{{1,3}})\s*日)?"
)
_ISO_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})")
_DOC_WORDS = re.compile(r"报告|规划|方案|计划|总结|汇报|意见|通知|通报|公告|答复|办法|细则|纪实|综述")
# A numbered heading (一、 (二) 3. 2.2 第一部分), a date or an info-bar line is never the title.
_NOT_TITLE = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、．]|"
                        r"\d{1,2}\.(?!\d)|\d{1,2}\.\d{1,2}(?![\d.])|第[一二三四五六七八九十]{1,3}[章节部分]|"
                        r"[（(]?(?:(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月|[-/.]\s*\d{1,2}\s*[-/.])|[〇○零一二三四五六七八九]{4}年)|\d{1,2}\.\d{1,2}\.\d{4}|"
                        r"(?:发布|发表|更新|成文)?(?:时间|日期)\s*[:：]|来源\s*[:：]|索引号|发布机构|专栏\s*\d|您?当前的?位置|附\s*件)|.*[|\t]")
_TITLE_LABEL = re.compile(r"^(?:名\s*称|标\s*题)\s*[:：]\s*\|?\s*(?P<title>[^|]+?)\s*(?:\|.*)?$")
_TOPIC_WORDS = re.compile(r"教育|均衡|学校|教师|办学|一体化")
_PLAN_PERIOD = re.compile(r"[（(]\s*\d{4}\s*年?\s*[-—–至]+\s*\d{4}\s*年?\s*[)）]")
_ISSUER_END = re.compile(r"(人民政府|政府办公室|教育局|教育和体育局|教育体育局|教体局|教育委员会|教委|人大常委会|"
                         r"常委会|督导室|督导委员会|委员会|办公室|办公厅|教育厅|领导小组|调研组|视察组|检查组|政府|局|委)$")
_SITE_SEPARATORS = re.compile(r"\s*[_|｜—–-]{1,2}\s*")


@dataclass
class Metadata:
    title: str | None
    date: str | None
    issuer: str | None
    doc_type: str
    balance_stage: str | None


def describe(doc: Document) -> Metadata:
    lines = [line.strip() for line in doc.text.split("\n") if line.strip()]
    title = find_title(lines, doc.page_meta)
    found = find_title(lines, doc.page_meta, guess=False)
    signature = _signature(lines)
    date = signature[1] if signature else None
    date = date or _parse_date(doc.page_meta.get("published", "")) or _year_in(title) or _latest_year(doc.text)
    issuer = signature[0] if signature and signature[0] else _clean_issuer(doc.page_meta.get("source"))
    return Metadata(title, date, issuer, classify_doc_type(found, doc.text), balance_stage(title, doc.text))


def find_title(lines: list[str], page_meta: dict[str, str], guess: bool = True) -> str | None:
    """The article's heading, else a line that looks like a title, else the page's <title>; with
    `guess`, failing those, the first line that is not a heading or a date; without it, only
    when that line is as short as a headline."""
    for key in ("article_title", "docx_title"):
        candidate = normalise(page_meta.get(key, ""))
        if candidate and _title_score(candidate) > 0 and candidate != _site_name(page_meta):
            return candidate
    lines = [_unlabelled(line) for line in lines[:30]]
    scored = [(_title_score(line), -index, index) for index, line in enumerate(lines)]
    scored = [item for item in scored if item[0] > 0]
    if scored:
        index = max(scored)[2]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _PLAN_PERIOD.fullmatch(following):
            return lines[index] + following  # a plan's period on its own line belongs to the title
        if _continues(lines[index], following):
            return lines[index] + following  # a long title broken over two lines
        if index and _continues(lines[index - 1], lines[index]) and (
                lines[index].startswith("的") or lines[index - 1].startswith("关于")):
            return lines[index - 1] + lines[index]  # …and its second line chosen alone
        return lines[index]
    html_title = page_meta.get("html_title")
    if html_title:
        parts = [p for p in _SITE_SEPARATORS.split(html_title) if p]
        return max(parts, key=len) if parts else None
    plain = [line for line in lines if not _NOT_TITLE.match(line)]
    if not plain or not (guess or (len(plain[0]) <= 40 and not re.search(r"[。；;，,：:]$", plain[0]))):
        return None
    return plain[0][:70]


def _unlabelled(line: str) -> str:
    """名称：X or 标题：|X| of a government page's info box → X."""
    match = _TITLE_LABEL.match(line)
    return match.group("title") if match else line


def _continues(line: str, following: str) -> bool:
    """The title's second line: short, and it ends with the kind word the first line lacks."""
    return (not _DOC_WORDS.search(line) and len(line) <= 40 and not _NOT_TITLE.match(line)
            and not re.search(r"[。；;，,：:]$", line) and 2 <= len(following) <= 20
            and not _NOT_TITLE.match(following) and bool(re.search(r"(?:报告|公告|通知|通报|方案|规划|总结|汇报|答复)$",
                                                                following)))


def _title_score(line: str) -> int:
    """How much a line looks like a report's title (0: not at all)."""
    if (not 6 <= len(line) <= 70 or re.search(r"[。；！!?？，,：:]$|欢迎|首页|当前位置|版权", line)
            or _NOT_TITLE.match(line)):
        return 0
    if len(set(_DOC_WORDS.findall(line))) >= 3:
        return 0  # a menu of document kinds (工作总结 工作计划 自查报告 …), not a title
    score = 3 * bool(_DOC_WORDS.search(line)) + 2 * bool(_TOPIC_WORDS.search(line))
    return score + (score > 0 and 10 <= len(line) <= 45)


def _site_name(page_meta: dict[str, str]) -> str | None:
    html_title = page_meta.get("html_title", "")
    parts = [p for p in _SITE_SEPARATORS.split(html_title) if p]
    return parts[-1] if len(parts) > 1 else None


def _signature(lines: list[str]) -> tuple[str | None, str] | None:
    """(issuer, date) of a 落款: a line that is only a date, near the end or right under the title."""
    tail = list(range(len(lines) - 1, max(-1, len(lines) - 12), -1))
    head = list(range(1, min(len(lines), 6)))
    for index in tail + head:
        line = re.sub(r"\s+|^[（(]|[)）]$", "", lines[index])
        match = _DATE.fullmatch(line) or _ISO_DATE.fullmatch(line)
        if not match:
            continue
        date = _date_from_match(match)
        if not date:
            continue
        issuer = None
        for back in (1, 2):
            if index - back >= 0 and _ISSUER_END.search(lines[index - back]) and len(lines[index - back]) <= 30:
                issuer = lines[index - back]
                break
        return issuer, date
    return None


def _parse_date(text: str) -> str | None:
    text = text.strip()
    match = _ISO_DATE.search(text) or _DATE.search(text)
    return _date_from_match(match) if match else None


def _date_from_match(match: re.Match) -> str | None:
    year = parse_year(match.group("y"))
    month = _small_number(match.group("m"))
    day = _small_number(match.group("d")) if match.group("d") else None
    if year is None or month is None or not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else None


def _small_number(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text) if text.isdigit() else parse_chinese(text)
    return int(value) if value is not None else None


def _year_in(title: str | None) -> str | None:
    match = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", title or "")
    return match.group(1) if match else None


def _latest_year(text: str) -> str | None:
    """The latest year the text states as past or present (not a 到2025年 target)."""
    years = [int(y) for y in re.findall(r"(?<![到至\d—–-])((?:19|20)\d{2})\s*年", text)]
    return str(max(years)) if years else None


def _clean_issuer(source: str | None) -> str | None:
    if not source or not _ISSUER_END.search(source):
        return None
    return source


_STRONG_STAGE = {"quality": r"优质均衡", "integration": r"城乡(?:义务教育)?一体化|一体化改革发展|一体化发展",
                 "basic": r"基本均衡"}


def balance_stage(title: str | None, text: str) -> str | None:
    """The stage named in the title, else the one the text names most."""
    title_counts = {stage: len(re.findall(pattern, title or "")) for stage, pattern in _STRONG_STAGE.items()}
    if max(title_counts.values()) > 0:
        return max(title_counts, key=title_counts.get)
    counts = {stage: len(re.findall(pattern, text)) for stage, pattern in _STRONG_STAGE.items()}
    # Before 2017 "均衡发展" alone meant basic balance; it counts, but for less.
    counts["basic"] += 0.5 * len(re.findall(r"(?<!优质)均衡发展", text))
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else None

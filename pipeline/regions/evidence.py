"""Where a mention stands and how it is written: the evidence a name gives for its unit.

Zones: the title (its opening words are the headline's subject), a disclosure box's 发布机构 or
a 来源/作者 field, the opening lines, the signature block (落款), the body; boilerplate (the
hosting site's header, breadcrumbs and footer) counts for nothing. Inside a line: a name in a
cited document's title (《…》) or an honour in quotes (“…示范区”) counts little, a place in
passing (赴…考察, …等县) little, a name followed by its organ (…县教育局, …县委) more.
Self-reference (我县, 全市, 本区, 该县, 县委) says what kind of unit the author is.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

from junheng.regions.mentions import Mention, _find

MARKERS = (r"版权所有|主办单位|主办：|承办：|技术支持|ICP|备案号|网站地图|友情链接|联系我们|地址：|邮编|电话："
           r"|Copyright|©|网站标识码|公网安备|当前的?位置|您的位置|所在位置|首页\s*>|发布时间|浏览次数"
           r"|(?<![国省市县区])字号|相关链接|相关新闻|上一篇|下一篇|扫一扫").split("|")


def _fast(alternatives: list[str], firsts: str | None = None) -> re.Pattern:
    """The alternatives as one pattern that first checks the characters they can start with
    (by default each literal's first, after a lookbehind); Python's re otherwise tries every
    alternative at every position."""
    firsts = firsts or "".join(sorted({re.sub(r"^\(\?<!\[[^]]*\]\)", "", alt)[0] for alt in alternatives}))
    return re.compile(f"(?=[{re.escape(firsts)}])(?:{'|'.join(alternatives)})")


BOILERPLATE = _fast(MARKERS)
LONG_LINE = 120  # a longer line is a page flattened into one line: boilerplate is judged per segment
SEGMENT_BREAKS = " \t\u3000|│｜"
SOURCE_FIELD = re.compile(r"(发布机构|发文机关|发布单位|信息来源|来源|作者)\s*[:：]\s*[|｜]?\s*")
ISSUER_FIELDS = ("发布机构", "发文机关", "发布单位")
PASSING_BEFORE = re.compile(r"(赴|前往|来自|借鉴|考察学习|参观|兄弟|邻近|毗邻|对口帮扶|对口支援|结对|援建"
                            r"|获评|荣获|评为|授予|命名为|认定为)"
                            r"[^，。；！？\n]{0,4}$")
PASSING_AFTER = re.compile(r"^(等地|等县|等市|等区|等省|代表团|考察团|参观团|客人|一行|同行|的经验|的做法|经验)")
LISTED_AFTER = re.compile(r"^(、|[\u4e00-\u9fff]{0,4}(中学|小学|学校|幼儿园)、)")  # 宝清县、… / 辛集中学、…
ORGAN_AFTER = re.compile(r"^(委|人民政府|政府|党委|人大|政协|[\u4e00-\u9fff]{0,5}?[局厅])")
# What makes a bare short form certain: its organ or schools (昌宁三中, 奉贤教育), its scope
# (莆田全市), its natives (凤台籍).
STEM_CONTEXT = re.compile(r"^(委|人民政府|政府|党委|教育|籍|全[市县区州旗]|城区|县城|市区"
                          r"|第?[一二三四五六七八九十\d]{1,3}[中小幼]|实验|中学|小学|幼儿园|职中|特校)")
SIGNATURE_END = re.compile(r"(政府|局|组|室|委|会|厅|院|中心)$")  # 夹江县人民政府, …调研组
DATE_LINE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九○]{4})\s*年.{1,6}日\s*$")
WEIGHTS = {"title": 10.0, "issuer": 8.0, "source": 3.0, "head": 3.0, "tail": 3.0, "body": 1.0}
CITED, QUOTED, PASSING, ORGAN, SUBJECT = 0.1, 0.3, 0.2, 1.5, 1.5
# 我县 / 本市 / 该县 / 全区 / 县委 …: the kind of unit the author speaks of as its own.
SELF = _fast([r"([我本该全])([县市区州旗盟省])(?![域场])",  # no 区域, 市场
              r"([县市区州旗省])(?![域场])(?=委|人民政府|政府|人大|[\u4e00-\u9fff]{0,6}?局)"], "我本该全县市区州旗盟省")
SELF_WEIGHTS = {"我": 2.0, "本": 2.0, "该": 1.5, "全": 0.5, "": 0.5}
NOT_SELF_BEFORE = set("城社景园发辖学片新地郊范校矿街乡镇")  # 城市…局, 开发区政府, 示范县…局
HEADLINE_MIN = 10
SITE_NAME = re.compile(r"(网|网站|门户|平台|政府|局|委|委员会|办公室|中心)$")
OPENING = 8  # characters before a line's subject (近年来，)
TITLE_LEAD = re.compile(r"^[\d\s年月日:：.\-—/（）()]*")


class Spans:
    """Sorted, non-overlapping (start, end, value) spans; `at(pos)` in log time."""

    def __init__(self, spans: list[tuple[int, int, object]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _, _ in self.spans]

    def at(self, pos: int, default=None):
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.spans[i][1]:
            return self.spans[i][2]
        return default


@dataclass
class Page:
    """A text's lines, its boilerplate spans, the end of its opening lines, its signature."""
    lines: list[tuple[int, int, str]]
    skip: Spans
    head_end: int
    tail: Spans
    first: str | None  # the first line that is not boilerplate


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line), line.strip()))
        pos += len(line) + 1
    return out


def _boilerplate(lines: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """Spans to skip: a short line with a boilerplate marker, or the segment (between spaces or
    cell bars) of a long one that holds the marker. One pass of the pattern over the text."""
    starts, spans = [s for s, _, _ in lines], set()
    for found in BOILERPLATE.finditer(text):
        i = bisect.bisect_right(starts, found.start()) - 1
        if i < 0 or found.start() >= lines[i][1]:
            continue
        s, e, line = lines[i]
        if len(line) <= LONG_LINE:
            spans.add((s, e, "line"))
            continue
        left = max(text.rfind(c, s, found.start()) for c in SEGMENT_BREAKS) + 1
        right = min((k for k in (text.find(c, found.end(), e) for c in SEGMENT_BREAKS) if k >= 0), default=e)
        spans.add((max(left, s), right, "segment"))
    return sorted(spans)


def read_page(text: str) -> Page:
    lines = _lines(text)
    skip = _boilerplate(lines, text)
    skipped = {s for s, _, kind in skip if kind == "line"}
    content = [(s, e, line) for s, e, line in lines if s not in skipped]
    head_end = min(content[2][1] if len(content) > 2 else len(text), 300) if content else 0
    tail = []
    last = content[-6:]
    for i, (s, e, line) in enumerate(last):
        if len(line) > 40 or "、" in line or not SIGNATURE_END.search(line):
            continue
        rest = [entry[2] for entry in last[i + 1:i + 3]]
        if i == len(last) - 1 or any(DATE_LINE.match(r) for r in rest):
            tail.append((s, e, "tail"))
    return Page(lines, Spans(skip), head_end, Spans(tail), content[0][2] if content else None)


def _source_fields(text: str) -> Spans:
    """The value of a 发布机构 / 来源 / 作者 field: whose page it is, or where it came from."""
    spans = []
    for m in SOURCE_FIELD.finditer(text):
        value = re.match(r"[^\s|｜]{1,30}", text[m.end():m.end() + 30])
        if value:
            zone = "issuer" if m.group(1) in ISSUER_FIELDS else "source"
            spans.append((m.end(), m.end() + value.end(), zone))
    return Spans(spans)


def _quotes(text: str) -> Spans:
    """《cited documents》 (except the one a notice 印发s) and “quoted honours”."""
    spans = []
    for m in re.finditer(r"《[^《》\n]{1,120}》", text):
        if not text[max(0, m.start() - 2):m.start()] == "印发":
            spans.append((m.start(), m.end(), CITED))
    for m in re.finditer(r"“[^“”\n]{1,60}”", text):
        spans.append((m.start(), m.end(), QUOTED))
    merged, end = [], -1
    for span in sorted(spans):
        if span[0] >= end:
            merged.append(span)
            end = span[1]
    return Spans(merged)


def _context(text: str, m: Mention) -> float:
    """How the words around a mention change its weight; marks short forms made certain."""
    after = text[m.end:m.end + 8]
    if m.stem and STEM_CONTEXT.match(after):
        m.validated, m.weight = True, 1.0
    before = text[max(0, m.start - 12):m.start]
    if before.endswith("、") or LISTED_AFTER.match(after) or PASSING_BEFORE.search(before) \
            or PASSING_AFTER.match(after):
        return PASSING
    return ORGAN if ORGAN_AFTER.match(after) else 1.0


def title_mentions(title: str | None) -> list[Mention]:
    """Names in a (cleaned) title; the one it opens with (银川将新建…) is the headline's subject."""
    if not title:
        return []
    quotes, lead = _quotes(title), TITLE_LEAD.match(title).end()
    out = _find(title, "title")
    for m in out:
        factor = _context(title, m) * quotes.at(m.start, 1.0)
        m.aside = factor < 1.0
        m.weight = (1.0 if m.stem else m.weight) * factor * WEIGHTS["title"]
        if m.start == lead:
            m.weight *= SUBJECT
    return out


def headline(page: Page, title: str | None) -> tuple[str | None, list[Mention]]:
    """The title and its names; when it names no unit (a site's name from <title>), the
    text's first line if that reads as a headline rather than a site, an office or a sentence."""
    cleaned = clean_title(title)
    found = title_mentions(cleaned)
    if found:
        return cleaned, found
    first = clean_title(page.first)
    if first and len(first) >= HEADLINE_MIN and not SITE_NAME.search(first) \
            and not re.search(r"[，,；;：:]|。.", first):  # a sentence of the body is no headline
        return first, title_mentions(first)
    return cleaned, found


def clean_title(title: str | None) -> str | None:
    """None for a breadcrumb; a headline run into its first sentence is cut at its end."""
    if not title or BOILERPLATE.search(title):
        return None
    if len(title) > 40:
        end = re.search(r"[。！!？?]", title)
        title = title[:end.end()] if end else title
        if len(title) > 40 and re.search(r"[，,；;]", title):
            return None  # a sentence of the body, not a title
    return title


def text_mentions(text: str, page: Page) -> list[Mention]:
    fields, quotes = _source_fields(text), _quotes(text)
    out = []
    for m in _find(text, "body"):
        field = fields.at(m.start)
        if field is None and page.skip.at(m.start):
            continue
        m.zone = field or ("head" if m.start < page.head_end else page.tail.at(m.start, "body"))
        factor = _context(text, m) * quotes.at(m.start, 1.0)
        m.aside = factor < 1.0
        if m.zone == "head" and not m.aside and _opens_line(text, m.start):
            factor *= SUBJECT  # 近年来，钟楼区以…: the opening sentence's subject
        m.weight *= factor * (WEIGHTS[m.zone] + (1.0 if m.zone != "body" else 0.0))
        out.append(m)
    return out


def _opens_line(text: str, pos: int) -> bool:
    """Within the first few characters of its line (a headline's or a paragraph's subject)."""
    start = text.rfind("\n", 0, pos) + 1
    return pos - start - (len(text[start:pos]) - len(text[start:pos].lstrip())) <= OPENING


def self_votes(text: str, mentions: list[Mention], skip: Spans | None = None) -> dict[str, float]:
    """How strongly the text speaks of a 县 / 市 / 区 … as its own (我县 2, 该县 1.5, 全县 0.5);
    not in boilerplate (主办：…县人民政府)."""
    name_ends = {m.end for m in mentions}
    votes: dict[str, float] = defaultdict(float)
    for m in SELF.finditer(text):
        if skip is not None and skip.at(m.start()):
            continue
        if m.group(1):
            votes[m.group(2)] += SELF_WEIGHTS[m.group(1)]
            continue
        start = m.start(3)
        if start + 1 in name_ends or (start and text[start - 1] in NOT_SELF_BEFORE):
            continue  # 平和县委 is the named unit's; 城市建设局 is no 市
        votes[m.group(3)] += SELF_WEIGHTS[""]
    return votes

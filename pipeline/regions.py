"""The gazetteer: which province / prefecture / county a report is about.

Data: `data/divisions.tsv` (MCA codes as of 2025-12-31, built by scripts/build_divisions.py),
`data/renames.tsv` (units renamed or merged since 2013). Loaded once per process by
`gazetteer()`. Public API: `lookup`, `resolve`, `codes_for_filter`, `Division`,
`RegionNotFound`.

Conventions: a district or county of a municipality (北京市朝阳区) has the municipality as
parent_code, and its Region has province = city = 北京市; a province-direct county-level unit
(济源市, 神农架林区, 石河子市) has the province as parent and city None.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .document import Region
from .name_finder import NameFinder

DATA = Path(__file__).resolve().parent / "data"
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
# Real names that are everyday words: only counted right after their parent's name (阳泉市城区).
GENERIC = {"城区", "郊区", "矿区", "东区", "西区"}
# Two-character stems that are everyday words (新建学校, 会同县财政局, 东方市场): never an alias,
# and a full name built on one (会同县, 东方市) counts only with its city named too.
COMMON_STEMS = frozenset("""光明 红旗 前进 东风 振兴 友好 平安 安定 大方 东方 共和 民和 江南 江北 城东 城西 城北 城中 城关 新城
老城 解放 港口 海港 爱民 新兴 长安 和平 向阳 新华 胜利 团结 建设 先锋 兴安 新市 市中 华容 桥东 桥西
黄山 泰山 安宁 和顺 富民 新民 南沙 中山 白云 青山 宝山 金山 南山 西湖 永定 安居 太平 中原 东城 西城
南开 河西 钱塘 秦淮 天河 黄埔 南海 高明 盐田 东坡 市北 市南 天桥 钢城 山城 文峰 湖滨 卧龙 二七 上街
崂山 新都 玄武 锦江 金水 全州 新建 资源 南部 公安 会同 万全 白塔 通道 合作 平原 宏伟 七星""".split())
SHORT_LEFT_OK = set("于在对至赴到从向为由经将把被")
SHORT_RIGHT_BAD = set("城级域区委情乡镇属内外直长路街村")
STEM_RIGHT_BAD = set("路街道镇乡村河江湖山岛港桥寺塔")
BOILERPLATE = re.compile(r"版权所有|主办单位|主办：|承办：|技术支持|ICP|备案号|网站地图|友情链接|联系我们"
                         r"|地址：|邮编|电话：|Copyright|©|网站标识码|公网安备|当前位置|您的位置|首页\s*>"
                         r"|发布时间|浏览次数|字号|相关链接|相关新闻|上一篇|下一篇|扫一扫")
PASSING_BEFORE = re.compile(r"(赴|前往|来自|借鉴|考察学习|参观|兄弟|邻近|毗邻|对口帮扶|对口支援|结对|援建)"
                            r"[^，。；！？\n]{0,4}$")
PASSING_AFTER = re.compile(r"^(等地|等县|等市|等区|等省|代表团|考察团|参观团|客人|一行|同行|的经验|的做法|经验)")
SIGNATURE_END = re.compile(r"(政府|局|组|室|委|会|厅|院|中心)$")  # 夹江县人民政府, …调研组
DATE_LINE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九○]{4})\s*年.{1,6}日\s*$")
WEIGHTS = {"title": 10.0, "issuer": 8.0, "head": 3.0, "tail": 3.0, "body": 1.0}
MIN_SCORE = 2.0


class RegionNotFound(ValueError):
    """No division matches the value given."""


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province | city | county
    parent_code: str | None
    province_code: str
    aliases: tuple[str, ...] = ()

    def chain(self) -> tuple[Division, ...]:
        """This unit and its ancestors, province first."""
        units, unit = [], self
        while unit is not None:
            units.append(unit)
            unit = gazetteer().by_code.get(unit.parent_code or "")
        return tuple(reversed(units))

    def _at(self, level: str) -> str | None:
        return next((u.name for u in self.chain() if u.level == level), None)

    @property
    def province_name(self) -> str:
        return self._at("province")

    @property
    def city_name(self) -> str | None:
        if self.level != "province" and self.province_code in MUNICIPALITIES:
            return self.province_name
        return self._at("city")

    @property
    def county_name(self) -> str | None:
        return self.name if self.level == "county" else None

    def region(self, mentioned_as: str | None = None) -> Region:
        return Region(province=self.province_name, city=self.city_name, county=self.county_name,
                      code=self.code, level=self.level, mentioned_as=mentioned_as)


@dataclass
class Gazetteer:
    by_code: dict[str, Division]
    children: dict[str, list[str]]
    names: dict[str, list[tuple[str, str]]]  # full name, suffixed alias, old name -> [(code, kind)]
    stems: dict[str, list[str]]  # bare short form (七台河, 朝阳) -> every unit it may stand for
    stem_owner: dict[str, str]  # bare short forms of divisions.tsv: the one unit they name
    old_codes: dict[str, str]
    finder: NameFinder = field(repr=False)
    _ancestors: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def ancestors(self, code: str) -> set[str]:
        """The code itself and the codes of the units above it."""
        found = self._ancestors.get(code)
        if found is None:
            found = self._ancestors[code] = {u.code for u in self.by_code[code].chain()}
        return found

    def subtree(self, code: str) -> list[str]:
        out, todo = [], [code]
        while todo:
            current = todo.pop()
            out.append(current)
            todo.extend(self.children.get(current, ()))
        return out


def _read(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _stem(name: str) -> str | None:
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区",
                   "省", "盟", "市", "县", "区", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The one accessor: load the tables and build the matcher once per process."""
    by_code, children = {}, defaultdict(list)
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    stems: dict[str, list[str]] = defaultdict(list)
    stem_owner: dict[str, str] = {}
    for row in _read("divisions.tsv"):
        aliases = tuple(a for a in row["aliases"].split(";") if a)
        unit = Division(row["code"], row["name"], row["level"], row["parent_code"] or None,
                        row["province_code"], aliases)
        by_code[unit.code] = unit
        if unit.parent_code:
            children[unit.parent_code].append(unit.code)
        names[unit.name].append((unit.code, "name"))
        for alias in aliases:
            if len(alias) > 2 and alias[-1] in "省市县区州旗盟":
                names[alias].append((unit.code, "alias"))
            else:
                stem_owner[alias] = unit.code
                stems[alias].append(unit.code)
        stem = _stem(unit.name)
        if stem and unit.code not in stems[stem]:
            stems[stem].append(unit.code)
    old_codes = {}
    for row in _read("renames.tsv"):
        old_codes[row["old_code"]] = row["new_code"]
        if (row["new_code"], "name") not in names[row["old_name"]]:
            names[row["old_name"]].append((row["new_code"], "old"))
    return Gazetteer(by_code, dict(children), dict(names), dict(stems), stem_owner, old_codes,
                     NameFinder(list(names) + list(stems)))


# ---------------------------------------------------------------- lookup / filters


def _unique(codes) -> list[Division]:
    g = gazetteer()
    return [g.by_code[c] for c in dict.fromkeys(codes)]


def lookup(name: str) -> list[Division]:
    """Every unit a name, short form, old name, code or prefixed form (乐山市夹江县) may mean."""
    g, value = gazetteer(), name.strip()
    if re.fullmatch(r"\d{6}", value):
        code = value if value in g.by_code else g.old_codes.get(value)
        return _unique([code]) if code else []
    if value in g.names:
        return _unique(code for code, _ in g.names[value])
    if value in g.stems:
        return _unique(g.stems[value])
    mentions = _find(value, "title")
    if mentions and mentions[0].start == 0 and mentions[-1].end == len(value) and all(
            a.end == b.start for a, b in zip(mentions, mentions[1:])):
        return _unique(mentions[-1].codes)
    return []


def codes_for_filter(value: str) -> list[str]:
    """Codes of the unit(s) a --region value names and of every unit under them."""
    units = lookup(value)
    if not units:
        raise RegionNotFound(
            f"no region matches {value!r}: give a full name (七台河市), a short form (海西州, "
            f"黑龙江) or a 6-digit division code (230900)")
    g = gazetteer()
    return sorted({code for unit in units for code in g.subtree(unit.code)})


# ---------------------------------------------------------------- finding mentions


@dataclass
class Mention:
    start: int
    end: int
    surface: str
    codes: list[str]
    kinds: dict[str, str]
    zone: str
    weight: float = 1.0
    consumed: bool = False
    stem: bool = False  # a bare short form: counts only once tied to a unit named in full
    weak: bool = False  # 会同县, 东方市: counts only in the title or with its parent named


def _short_ok(text: str, start: int, end: int, prefixed: bool) -> bool:
    """A short key (和县, 范县, 夹江; 增城区) must stand on its own: 示范县 is no 范县."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) and end - start == 2 else ""
    left = prefixed or not before or not _cjk(before) or before in SHORT_LEFT_OK
    return left and after not in SHORT_RIGHT_BAD


def _cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"


def _raw_hits(text: str) -> list[tuple[int, int, str]]:
    g = gazetteer()
    hits = g.finder.find(text)
    name_ends = {e for s, e, k in hits if k not in GENERIC}
    kept = []
    for start, end, key in hits:
        if key in GENERIC and start not in name_ends:
            continue
        short = len(key) == 2 or (len(key) == 3 and key[1:] in ("城区", "城市"))  # 新增城区
        if short and not _short_ok(text, start, end, start in name_ends):
            continue
        if len(key) == 3 and key[-1] == "县" and text[end:end + 1] in ("城", "级", "域"):
            continue  # 新建县城 is no 新建县
        if key[-1] == "市" and text[end:end + 1] == "场":
            continue  # 东方市场 is no 东方市
        if key not in g.names and end < len(text) and text[end] in STEM_RIGHT_BAD:
            continue
        kept.append((start, end, key))
    return kept


def _select(hits: list[tuple[int, int, str]], size: int) -> list[tuple[int, int, str]]:
    """Leftmost-longest, non-overlapping; full names first, bare short forms in the gaps."""
    g, chosen, taken = gazetteer(), [], bytearray(size)
    for strong in (True, False):
        for start, end, key in sorted(hits, key=lambda h: (h[0], -h[1])):
            if (key in g.names) == strong and not any(taken[start:end]):
                chosen.append((start, end, key))
                taken[start:end] = b"\x01" * (end - start)
    return sorted(chosen)


def _find(text: str, zone: str) -> list[Mention]:
    """Mentions of known names, with adjacent parents linked to their children."""
    g, out = gazetteer(), []
    for start, end, key in _select(_raw_hits(text), len(text)):
        kinds: dict[str, str] = {}
        for code, kind in g.names.get(key, [(c, "stem") for c in g.stems.get(key, ())]):
            kinds.setdefault(code, kind)
        stem = key not in g.names
        weak = not stem and _stem(key) in COMMON_STEMS and zone not in ("title", "issuer")
        out.append(Mention(start, end, key, list(kinds), kinds, zone, 0.6 if stem else 1.0,
                           stem=stem, weak=weak))
    _link_prefixes(out)
    return out


def _link_prefixes(mentions: list[Mention]) -> None:
    """乐山市夹江县, 长春市朝阳区: an adjacent parent picks the child and is consumed by it."""
    g = gazetteer()
    for prev, cur in zip(mentions, mentions[1:]):
        if prev.end != cur.start:
            continue
        keep = [c for c in cur.codes if g.ancestors(c) & set(prev.codes) - {c}]
        if not keep:
            continue
        parents = set().union(*(g.ancestors(c) for c in keep))
        cur.codes, cur.stem, cur.weak = keep, cur.stem and len(keep) > 1, False
        prev.codes = [c for c in prev.codes if c in parents] or prev.codes
        prev.consumed, prev.stem = True, prev.stem and len(prev.codes) > 1


# ---------------------------------------------------------------- zones and weights


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line), line.strip()))
        pos += len(line) + 1
    return out


def _zones(text: str) -> tuple[list[tuple[int, int]], int, list[tuple[int, int]]]:
    """Boilerplate line spans, end of the opening lines, and the signature block's spans."""
    lines = _lines(text)
    skip = [(s, e) for s, e, line in lines if BOILERPLATE.search(line)]
    content = [(s, e, line) for s, e, line in lines if not BOILERPLATE.search(line)]
    head_end = min(content[2][1] if len(content) > 2 else len(text), 300) if content else 0
    tail = []
    last = content[-6:]
    for i, (s, e, line) in enumerate(last):
        if len(line) > 40 or "、" in line or not SIGNATURE_END.search(line):
            continue
        rest = [entry[2] for entry in last[i + 1:i + 3]]
        if i == len(last) - 1 or any(DATE_LINE.match(r) for r in rest):
            tail.append((s, e))
    return skip, head_end, tail


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _passing(text: str, m: Mention) -> bool:
    before = text[max(0, m.start - 12):m.start]
    after = text[m.end:m.end + 4]
    listed = before.endswith("、") or after.startswith("、")
    return listed or bool(PASSING_BEFORE.search(before) or PASSING_AFTER.match(after))


def _text_mentions(text: str) -> list[Mention]:
    skip, head_end, tail = _zones(text)
    out = []
    for m in _find(text, "body"):
        if _inside(m.start, skip):
            continue
        m.zone = "head" if m.start < head_end else "tail" if _inside(m.start, tail) else "body"
        factor = 0.2 if _passing(text, m) else 1.0
        m.weight *= factor * (WEIGHTS[m.zone] + (1.0 if m.zone != "body" else 0.0))
        out.append(m)
    return out


# ---------------------------------------------------------------- disambiguation and scoring


def _disambiguate(mentions: list[Mention]) -> None:
    """Pick one unit for each ambiguous name from the units named around it; else drop it."""
    g = gazetteer()
    for m in mentions:  # 天津, 七台河: a short form that can only mean one unit counts as a name
        if m.stem and len(m.codes) == 1 and m.codes[0] == g.stem_owner.get(m.surface) and (
                len(m.surface) > 2 or g.by_code[m.codes[0]].level == "province"):
            m.stem = False
    named = {c for m in mentions if not (m.stem or m.weak) and len(m.codes) == 1 for c in m.codes}
    for m in mentions:
        if m.weak:
            m.codes = [c for c in m.codes if {c, g.by_code[c].parent_code} & named]
    support: dict[str, float] = defaultdict(float)
    for m in mentions:
        if len(m.codes) == 1 and not m.stem:
            for code in g.ancestors(m.codes[0]):
                support[code] += m.weight
    for m in mentions:
        if len(m.codes) < 2 or m.stem:
            continue
        scores = {c: sum(support[a] for a in g.ancestors(c)) for c in m.codes}
        best = max(scores.values())
        top = [c for c in m.codes if scores[c] == best]
        if len(top) > 1:
            top = [c for c in top if m.kinds[c] != "old"]  # a current name beats an old one
        m.codes = top if len(top) == 1 else []


def _tie_stems(mentions: list[Mention]) -> None:
    """A bare short form (闵行, 晋江, 朝阳) stands for the unit of that stem named in full
    elsewhere; failing that, for its own unit if it is long (七台河) or a province (四川)."""
    g = gazetteer()
    named = {m.codes[0] for m in mentions if not m.stem and len(m.codes) == 1}
    for m in mentions:
        if not m.stem:
            continue
        tied = [c for c in m.codes if c in named]
        owner = g.stem_owner.get(m.surface)
        if not tied and owner and (
                len(m.surface) > 2 or g.by_code[owner].level == "province"):
            tied = [owner]
        m.codes = tied if len(tied) == 1 else []


def _own_scores(mentions: list[Mention]) -> tuple[dict[str, float], dict[str, Mention]]:
    own: dict[str, float] = defaultdict(float)
    best: dict[str, Mention] = {}
    for m in mentions:
        if m.consumed or len(m.codes) != 1:
            continue
        code = m.codes[0]
        own[code] += m.weight
        if code not in best or m.weight > best[code].weight:
            best[code] = m
    return own, best


def _choose(own: dict[str, float]) -> str | None:
    """Top-down: best province, best city in it, best county in that; then the level with the
    most own weight along that path (ties go to the higher level)."""
    g = gazetteer()
    subtree: dict[str, float] = defaultdict(float)
    for code, score in own.items():
        for anc in g.ancestors(code):
            subtree[anc] += score
    path, parent = [], None
    for _ in range(3):
        options = [c for c in subtree if g.by_code[c].parent_code == parent and subtree[c] > 0]
        if not options:
            break
        options.sort(key=lambda c: -subtree[c])
        if len(options) > 1 and subtree[options[0]] == subtree[options[1]]:
            if not path:
                return None
            break
        path.append(options[0])
        parent = options[0]
    if not path:
        return None
    top = max(own.get(c, 0.0) for c in path)
    winner = next(c for c in path if own.get(c, 0.0) == top)  # ties go to the higher level
    rivals = [s for c, s in own.items() if c != winner and g.by_code[c].level == g.by_code[winner].level]
    if own.get(winner, 0.0) < MIN_SCORE or any(s >= own[winner] for s in rivals):
        return None
    return winner


def resolve(text: str, title: str | None = None, issuer: str | None = None) -> Region:
    """The region a report is about, or an empty Region when none or ambiguous."""
    mentions = []
    for zone, value in (("title", title), ("issuer", issuer)):
        for m in _find(value or "", zone):
            m.weight *= WEIGHTS[zone]
            mentions.append(m)
    mentions.extend(_text_mentions(text or ""))
    _disambiguate(mentions)
    _tie_stems(mentions)
    own, best = _own_scores(mentions)
    code = _choose(own)
    if code is None:
        return Region()
    return gazetteer().by_code[code].region(best[code].surface)

"""Finding division names in a text: every mention, its candidate units, its parent linked.

Also `lookup` and `codes_for_filter`, which read a single name the same way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from junheng.regions.gazetteer import COMMON_STEMS, GENERIC, Division, RegionNotFound, _stem, gazetteer

SHORT_LEFT_OK = set("于在对至赴到从向为由经将把被")
SHORT_RIGHT_BAD = set("城级域区委情乡镇属内外直长路街村")
PLACE_ONLY_AFTER = re.compile(r"籍|全[市县区州旗]|第?[一二三四五六七八九十\d]{1,2}[中小](?![学心])")
STEM_RIGHT_BAD = set("路街道镇乡村河江湖山岛港桥寺塔")


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
    aside: bool = False  # in passing, in a cited title or in quotes
    validated: bool = False  # a short form its context makes certain (昌宁三中, 莆田全市, 奉贤教育)


def _short_ok(text: str, start: int, end: int, prefixed: bool) -> bool:
    """A short key (和县, 范县, 夹江; 增城区) must stand on its own: 示范县 is no 范县. What only
    a place can precede (凤台籍, 莆田全市, 昌宁三中) lets it follow any character; a province's
    short form may precede 长 (宁夏长庆)."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) and end - start == 2 else ""
    left = prefixed or not before or not _cjk(before) or before in SHORT_LEFT_OK \
        or bool(PLACE_ONLY_AFTER.match(text, end))
    if after == "长" and end - start == 2:
        owner = gazetteer().stem_owner.get(text[start:end])
        return left and owner is not None and gazetteer().by_code[owner].level == "province"
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

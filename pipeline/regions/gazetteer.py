"""The gazetteer: every division, its names and short forms, loaded once per process.

Data: `data/divisions.tsv` (MCA codes as of 2025-12-31, built by scripts/build_divisions.py),
`data/renames.tsv` (units renamed or merged since 2013).
"""
from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from junheng.document import Region
from junheng.regions.name_finder import NameFinder

DATA = Path(__file__).resolve().parent.parent / "data"
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

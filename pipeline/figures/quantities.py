"""Numbers with their units in a line of text: the quantities a figure can be made of.

A quantity is a number (Arabic with separators and decimals, a Chinese numeral, 百分之/千分之,
a ratio 19:1 or 19比1, a range 3至5所) with its 万/亿 multiplier, its unit (figure_units.tsv)
and the approximation words around it (近, 约, 余, 以上). Numbers inside never-figure spans
(document numbers, titles, ordinals, dates, phone numbers) are dropped here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from junheng.figures.lexicon import compile_guarded, lexicon, words_of
from junheng.text.numbers import CHINESE_NUMERAL_CHARS, parse_arabic, parse_chinese

ARABIC = r"(?:\d{1,3}(?:[,，]\d{3})+(?![\d])|\d+)(?:\.\d+)?"
CHINESE = "[零〇两一二三四五六七八九十百千万亿]+"
RANGE_JOINERS = {"至", "到", "-", "~", "～", "—", "－", "–"}


@dataclass
class Quantity:
    start: int
    end: int  # past the unit and any 余/以上 after it
    value: float
    kind: str  # a kind of figure_units.tsv, "ratio", or "bare" (no unit)
    unit: str = ""
    approx: str | None = None  # 近/约/余/以上 … as written for the qualifier
    range_text: str | None = None  # 3至5所: the whole range, the qualifier of a range
    chinese: bool = False

    @property
    def is_measure(self) -> bool:
        """Counts, money, rates: a quantity that ends the cue window of the next number."""
        return self.kind not in ("year", "date") and not (self.chinese and self.kind == "other")


@dataclass(frozen=True)
class _Patterns:
    quantity: re.Pattern
    approx_before: re.Pattern  # 近, 约, 不低于 … right before a number
    approx_after: re.Pattern  # 余, 以上, 左右 … right after it
    before_words: dict[str, str]
    after_words: dict[str, str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    units = sorted(lexicon().units, key=len, reverse=True)
    unit_group = "|".join(re.escape(u) for u in units)
    pattern = compile_guarded(
        rf"(?P<ratio>(?P<ra>{ARABIC})\s*(?:[:：∶]|比)\s*(?P<rb>{ARABIC}))"
        rf"|(?P<pword>百分之|千分之)(?P<pnum>{ARABIC}|{CHINESE})"
        # 3300多万元 and 300余万元 put the approximation before the multiplier; 1个亿 is 1亿元.
        rf"|(?P<num>{ARABIC})\s*(?P<approx_first>余|多)?(?P<mult>万|亿|千|个亿)?(?P<approx>余|多)?\s*(?P<unit>{unit_group})?"
        # 近亿元, 上万名, 近千名: a multiplier standing for one of itself, named by its approximation.
        rf"|(?P<implied>近|上|逾|过)(?P<imult>亿|万|千)(?P<iunit>{unit_group})"
        rf"|(?P<cn>{CHINESE})(?P<cn_approx>余|多)?(?P<cn_unit>{unit_group})?", 0
    )
    before, after = words_of("approx_before"), words_of("approx_after")
    return _Patterns(pattern, re.compile("(" + _alternatives(before) + ")[了达]?$"),
                     re.compile(_alternatives(after)), before, after)


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def scan(line: str, offset: int = 0) -> list[Quantity]:
    """The quantities of one line, offsets into the document (line starts at `offset`)."""
    pattern = _patterns().quantity
    blocked = None  # found only for a line with a number to check: most of a line's matches are words (一是)
    quantities = []
    for match in pattern.finditer(line):
        quantity = _read(match, line)
        if quantity is None:
            continue
        if blocked is None:
            blocked = [m.span() for m in lexicon().never.finditer(line)]
        if not any(start <= match.start() < end for start, end in blocked):
            quantities.append(quantity)
    quantities = _join_ranges(quantities, line)
    for quantity in quantities:
        _attach_approx(quantity, line)
        quantity.start += offset
        quantity.end += offset
    return quantities


def _read(match: re.Match, line: str) -> Quantity | None:
    if match.group("ratio"):
        return _read_ratio(match)
    if match.group("pword"):
        value = _number(match.group("pnum"))
        if value is None:
            return None
        factor = 1 if match.group("pword") == "百分之" else 0.1
        return Quantity(match.start(), match.end(), value * factor, "percent", match.group("pword"))
    if match.group("num"):
        if _looks_like_code(match, line):
            return None
        value = parse_arabic(match.group("num"))
        mult, unit = match.group("mult"), match.group("unit") or ""
        if mult == "个亿":  # spoken money: 拿出1个亿
            mult, unit = "亿", unit or "元"
        approx = match.group("approx_first") or match.group("approx")
        return _with_unit(match, value, mult, unit, approx, chinese=False)
    if match.group("implied"):
        quantity = _with_unit(match, 1.0, match.group("imult"), match.group("iunit"), None, chinese=True)
        quantity.start += 1  # the figure is the multiplier and its unit; 近 is its approximation
        quantity.approx = match.group("implied")
        return quantity
    unit = match.group("cn_unit") or ""
    if match.group("cn") == "零" and not unit and re.search(r"[为至到降是]$", line[:match.start()]):
        return Quantity(match.start(), match.end(), 0.0, "bare", chinese=True)  # 辍学率为零
    if not unit or _is_idiom(match, line):
        return None  # a Chinese numeral without a unit is a word (一是, 十三五), not a number
    value = parse_chinese(match.group("cn"))
    return _with_unit(match, value, None, unit, match.group("cn_approx"), chinese=True)


def _with_unit(match, value, mult, unit, approx, chinese) -> Quantity | None:
    if value is None:
        return None
    kind, factor = lexicon().units.get(unit, ("bare", 1.0))
    if mult:
        value *= {"万": 10_000, "亿": 100_000_000, "千": 1000}[mult]
    # 12 significant digits: 78.6 × 10⁸ is 7859999999.999999 in binary floating point.
    quantity = Quantity(match.start(), match.end(), float(f"{value * factor:.12g}"), kind, unit, chinese=chinese)
    if approx:
        quantity.approx = "余"
    if kind == "year" and not (1949 <= value <= 2100 and value == int(value)):
        quantity.kind = "other"  # 3年: a duration
    return quantity


def _read_ratio(match: re.Match) -> Quantity | None:
    first, second = parse_arabic(match.group("ra")), parse_arabic(match.group("rb"))
    if not first or not second:
        return None
    # Students per teacher: 19:1 and 1:19 (师生比) both mean 19.
    value = max(first, second) / min(first, second)
    return Quantity(match.start(), match.end(), value, "ratio", ":")


def _number(text: str) -> float | None:
    return parse_arabic(text) if text[0].isdigit() else parse_chinese(text)


def _looks_like_code(match: re.Match, line: str) -> bool:
    """0451…, a leading zero that is not 0.x, or a digit run glued to letters."""
    number = match.group("num")
    before = line[match.start() - 1] if match.start() else ""
    leading_zero = len(number) > 1 and number[0] == "0" and number[1] != "."
    return leading_zero or before.isascii() and before.isalpha()


def _is_idiom(match: re.Match, line: str) -> bool:
    """一人一案, 每一所, 第三: Chinese numerals that are words, not counts."""
    after = line[match.end():match.end() + 1]
    before = line[match.start() - 1:match.start()] if match.start() else ""
    return bool(after and after in CHINESE_NUMERAL_CHARS) or before in ("每", "第", "逐", "其", "之", "唯", "统")


def _join_ranges(quantities: list[Quantity], line: str) -> list[Quantity]:
    """3至5所, 300元至600元, 200-500人: one quantity, the lower bound, with the range text."""
    joined: list[Quantity] = []
    for quantity in quantities:
        previous = joined[-1] if joined else None
        if previous is not None and _is_range(previous, quantity, line):
            if previous.kind == "bare":
                previous.kind, previous.unit = quantity.kind, quantity.unit
                scale = quantity.value / (parse_arabic(_digits(line, quantity)) or quantity.value or 1)
                previous.value *= scale if scale > 0 else 1
            previous.range_text = line[previous.start:quantity.end]
            previous.end = quantity.end
            continue
        joined.append(quantity)
    return joined


def _is_range(first: Quantity, second: Quantity, line: str) -> bool:
    gap = line[first.end:second.start].strip()
    if gap not in RANGE_JOINERS or second.kind == "bare" or first.kind not in ("bare", second.kind):
        return False
    lead = line[max(0, first.start - 6):first.start]
    # 由85%到98.5%, 从600元到800元: a change, not a range.
    return not re.search(r"[由从][^，,。；]*$", lead) and first.kind not in ("year", "date")


def _digits(line: str, quantity: Quantity) -> str:
    match = re.match(ARABIC, line[quantity.start:quantity.end])
    return match.group(0) if match else ""


def _attach_approx(quantity: Quantity, line: str) -> None:
    patterns = _patterns()
    after = patterns.approx_after.match(line, quantity.end)
    if after:
        quantity.approx = patterns.after_words[after.group(0)]
        quantity.end = after.end()
    before = patterns.approx_before.search(line[max(0, quantity.start - 6):quantity.start])
    if before:
        quantity.approx = quantity.approx or patterns.before_words[before.group(1)]

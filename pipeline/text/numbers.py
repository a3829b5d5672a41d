"""Chinese and Arabic numerals to numbers: 一百二十六 → 126, 两千 → 2000, 二〇一九 → 2019,
1,525.8 → 1525.8, 1.2万 → 12000. Used by figures (values) and metadata (dates)."""
from __future__ import annotations

import math
import re

DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "О": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "点"
_ARABIC_NUMBER = re.compile(r"\d[\d,，]*(?:\.\d+)?")  # float() alone would take nan, inf, 1e5, 1_000


def _finite(value: float | int) -> float | None:
    """As a float, or None when it is too large for one (a string of a hundred 亿)."""
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def parse_arabic(text: str) -> float | None:
    """'1,525.8' → 1525.8; None when it is not a number."""
    text = text.strip()
    if not _ARABIC_NUMBER.fullmatch(text):
        return None
    return _finite(text.replace(",", "").replace("，", ""))


def parse_chinese(text: str) -> float | None:
    """A Chinese numeral → its value; digit strings (二〇一九) read digit by digit."""
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        return None
    if "点" in text:
        whole, _, fraction = text.partition("点")
        integer = parse_chinese(whole) if whole else 0
        if integer is None or not fraction or any(ch not in DIGITS for ch in fraction):
            return None
        return _finite(integer + float("0." + "".join(str(DIGITS[ch]) for ch in fraction)))
    if all(ch in DIGITS for ch in text):
        return _finite("".join(str(DIGITS[ch]) for ch in text))
    return _parse_positional(text)


def _parse_positional(text: str) -> float | None:
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0:
                return None  # two digits in a row inside a positional numeral: not a number
            digit = DIGITS[ch] if DIGITS[ch] != 0 else None
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        elif ch in BIG_UNITS:
            if not (total or section or digit):
                return None  # 万 with no number before it
            section += digit or 0
            total = (total + section) * BIG_UNITS[ch] if BIG_UNITS[ch] > 10_000 else total + section * BIG_UNITS[ch]
            section, digit = 0, None
    return _finite(total + section + (digit or 0))


def parse_number(text: str) -> float | None:
    """Arabic, Chinese, or mixed with a 万/亿 multiplier (1.2万, 3千, 十二万)."""
    text = text.strip()
    if not text:
        return None
    multiplier = 1
    while text and text[-1] in BIG_UNITS and not (len(text) > 1 and text[-2] in CHINESE_NUMERAL_CHARS):
        multiplier *= BIG_UNITS[text[-1]]
        text = text[:-1]
    value = parse_arabic(text)
    if value is None:
        value = parse_chinese(text)
    return None if value is None else _finite(value * multiplier)


def parse_year(text: str) -> int | None:
    value = parse_arabic(text) if text.isdigit() else parse_chinese(text)
    return int(value) if value is not None and 1949 <= value <= 2100 else None

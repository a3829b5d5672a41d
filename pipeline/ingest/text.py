"""Bytes to str for Chinese text, and the TXT reader.

Government sites still publish GBK/GB2312 pages and files, and their declared charset is
often wrong, so a declaration is only a hint: a strict decode decides.
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache

from junheng.document import Block, RawDocument

# GB18030 is a superset of GB2312 and GBK: decoding with it never loses a character they have.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
_TABLE_SPLIT = re.compile(r"\t+| {2,}|\u3000{2,}")


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, list[str]]:
    """Decode `data`, returning the text and warnings (replacement, a wrong declaration)."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode_lenient(data[3:], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_lenient(data, "utf-16")
    candidates = ["utf-8", "gb18030"]
    hint = _normalise_charset(declared)
    if hint and hint not in candidates:
        candidates.insert(0, hint)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        warnings = []
        if hint and encoding != hint:
            warnings.append(f"declared charset {declared} is wrong; read as {encoding}")
        return text, warnings
    guess = _guess_encoding(data)
    return _decode_lenient(data, guess) if guess else _decode_by_line(data)


def _normalise_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _guess_encoding(data: bytes) -> str | None:
    """Big5 or UTF-16 when charset-normalizer is sure of it; None for the usual case of
    damaged or mixed UTF-8/GB text, which is read line by line."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    encoding = _normalise_charset(best.encoding) if best else None
    return encoding if encoding in ("big5", "utf-16") else None


def _decode_by_line(data: bytes) -> tuple[str, list[str]]:
    """Text pasted together from UTF-8 and GBK pages, or damaged: each line is read the way
    that yields the most common Chinese characters (a wrong decoding yields rare ones);
    bytes that no reading accepts become U+FFFD."""
    lines = [max((line.decode(encoding, errors=handler) for encoding, handler in _LINE_READINGS),
                 key=_plausibility) for line in data.splitlines(keepends=True)]
    text = "".join(lines)
    bad = text.count("\ufffd")
    note = f"{bad} undecodable byte sequences replaced" if bad else "mixed encodings"
    return text, [f"{note} (read line by line as UTF-8 or GB18030)"]


def _gb2312_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """A codec error handler: what UTF-8 cannot read, read as a GB2312 character if it is
    one (GB2312, not all of GB18030: a stray byte must not pair up into a rare character)."""
    try:
        return error.object[error.start:error.start + 2].decode("gb2312"), error.start + 2
    except UnicodeDecodeError:
        return "\ufffd", error.start + 1


codecs.register_error("junheng-gb2312-fallback", _gb2312_fallback)
_LINE_READINGS = [("utf-8", "replace"), ("gb18030", "replace"), ("utf-8", "junheng-gb2312-fallback")]


@lru_cache(maxsize=1)
def _common_characters() -> frozenset[str]:
    """The 3,755 characters of GB2312 level 1: the common ones of ordinary Chinese text."""
    return frozenset(bytes([high, low]).decode("gb2312", errors="ignore")
                     for high in range(0xB0, 0xD8) for low in range(0xA1, 0xFF)) - {""}


def _plausibility(text: str) -> int:
    common = _common_characters()
    return sum(char in common for char in text) - 4 * text.count("\ufffd")


def _decode_lenient(data: bytes, encoding: str) -> tuple[str, list[str]]:
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    warnings = [f"{bad} undecodable byte sequences replaced (read as {encoding})"] if bad else []
    return text, warnings


def read_txt(data: bytes) -> RawDocument:
    text, warnings = decode_bytes(data)
    return RawDocument(format="txt", blocks=lines_to_blocks(text.splitlines()), warnings=warnings)


def lines_to_blocks(lines: list[str]) -> list[Block]:
    """One paragraph per non-empty line; runs of two or more column-aligned lines are a table."""
    blocks: list[Block] = []
    pending_rows: list[list[str]] = []

    def flush_rows() -> None:
        if len(pending_rows) >= 2:
            blocks.append(Block(rows=list(pending_rows)))
        else:
            blocks.extend(Block(text="  ".join(row)) for row in pending_rows)
        pending_rows.clear()

    for line in lines:
        stripped = line.strip()
        if not stripped:
            flush_rows()
            continue
        # A row written with | (a | b | c) is kept as written: figures read it as a table of its own.
        cells = [] if " | " in stripped else [c.strip() for c in _TABLE_SPLIT.split(stripped) if c.strip()]
        if len(cells) >= 2 and all(len(c) <= 40 for c in cells):
            pending_rows.append(cells)
            continue
        flush_rows()
        blocks.append(Block(text=stripped))
    flush_rows()
    return blocks

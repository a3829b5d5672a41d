"""A file's type from its first few KB: the one detection used both when a file is read
whole and when a folder is walked (there only the head is read, to leave out what is not a
report without reading all of it)."""
from __future__ import annotations

import codecs
import io
import os
import re
import stat
import zipfile
from pathlib import Path

from junheng.ingest.errors import IngestError, NotAReport

READABLE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx", ".txt", ".text"}
OLD_WORD_SUFFIXES = {".doc", ".wps"}
HEAD_BYTES = 4096  # a DOCX names word/ within its first 2 KB; every other mark is nearer the start

_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
          b"II*\x00": "a TIFF image", b"MM\x00*": "a TIFF image", b"BM": "a BMP image",
          b"Rar!\x1a\x07": "a RAR archive", b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive", b"\x1f\x8b": "a gzip archive"}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p>", b"<table")
# What an Office zip holds, by the folder its parts live in (OpenDocument by its mimetype).
_ZIP_KINDS = ((b"word/", "docx"), (b"xl/", "a spreadsheet (XLSX)"), (b"ppt/", "a presentation (PPTX)"),
              (b"application/vnd.oasis.opendocument", "an OpenDocument file (ODT/ODS/ODP)"))
_OLE_SHEETS, _OLE_SLIDES = {".xls", ".et"}, {".ppt", ".dps"}  # .et and .dps are WPS's own
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def detect_format(data: bytes, suffix: str = "", zip_source=None) -> str:
    """'pdf', 'docx', 'html' or 'txt' from the bytes (the suffix only breaks ties); NotAReport
    for a known kind that is no report, IngestError for a report that cannot be read.

    `data` may be the whole file or its head. `zip_source` (a path or file object; `data` by
    default) is where a zip's member list is read when the head does not name its parts."""
    if not data.strip():
        raise IngestError("empty file")
    head, suffix = data[:HEAD_BYTES], suffix.lower()
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(head, suffix, io.BytesIO(data) if zip_source is None else zip_source)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        _refuse_office_binary(head, suffix)
    for magic, name in _MAGIC.items():
        if head.startswith(magic):
            raise NotAReport(f"{name}, not a report")
    lowered = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if any(marker in lowered[:1024] for marker in _HTML_MARKERS):
        return "html"  # Word's "save as web page" is often named .doc: its content decides
    if suffix in OLD_WORD_SUFFIXES:
        raise IngestError(f"old Word format ({suffix}): convert it to DOCX first")
    if _looks_binary(head):
        raise NotAReport(f"binary data of an unknown type, not a report (named {suffix or 'without a suffix'})")
    if suffix in READABLE_SUFFIXES or _has_chinese(head):
        return "txt"
    raise NotAReport("text with no Chinese in it (code, data or notes?), not a report")


def sniff_path(path: Path) -> str:
    """detect_format from the head of the file alone (HEAD_BYTES, read once)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise IngestError("not a regular file")  # a FIFO would block; read_path names the kind
    with open(path, "rb", buffering=0) as handle:  # unbuffered: one read of the head, not 8 KB
        head = handle.read(HEAD_BYTES)
    return detect_format(head, path.suffix, zip_source=path)


def _zip_kind(head: bytes, suffix: str, zip_source) -> str:
    kind = _kind_of_parts(head)  # each member's local header, name first, opens its data
    if kind is None:
        try:
            with zipfile.ZipFile(zip_source) as archive:
                kind = _kind_of_parts("\n".join(archive.namelist()).encode())
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
    if kind == "docx" or (kind is None and suffix == ".docx"):
        return "docx"  # a damaged zip that claims to be DOCX: the reader says what is wrong
    raise NotAReport(f"{kind or 'a ZIP archive'}, not a report")


def _kind_of_parts(names: bytes) -> str | None:
    return next((kind for mark, kind in _ZIP_KINDS if mark in names), None)


def _refuse_office_binary(head: bytes, suffix: str) -> None:
    """An OLE2 file: Word 97-2003, Excel or PowerPoint, told by the stream names in its
    directory when the head holds it, else by the suffix."""
    def names(stream: str) -> bool:
        return stream.encode("utf-16-le") in head

    if not names("WordDocument"):
        if names("Workbook") or names("Book") or suffix in _OLE_SHEETS:
            raise NotAReport("a spreadsheet (old Excel or WPS format), not a report")
        if names("PowerPoint Document") or suffix in _OLE_SLIDES:
            raise NotAReport("a presentation (old PowerPoint or WPS format), not a report")
    raise IngestError("an old Word (.doc/.wps) or Office binary file: convert it to DOCX first")


_TEXT_BYTES = bytes(range(9, 14)) + bytes(range(32, 256))


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text
    controls = len(head.translate(None, _TEXT_BYTES))  # the bytes below 9 or between 13 and 32
    return b"\x00" in head or controls > len(head) * 0.05


def _has_chinese(head: bytes) -> bool:
    """Does the head decode (UTF-8, GB18030, or UTF-16 with its mark) to text with a Chinese
    character? The head may end inside a character, so up to three bytes are cut."""
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ["utf-16"] if utf16 else ["utf-8", "gb18030"]:
        for cut in range(4):
            try:
                return bool(_CJK.search(head[:len(head) - cut].decode(encoding)))
            except UnicodeDecodeError:
                continue
    return False

"""Read a file into a `RawDocument`: the type from its content, then one reader per format."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..document import RawDocument
from .errors import IngestError

READABLE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx", ".txt", ".text"}
OLD_WORD_SUFFIXES = {".doc", ".wps"}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_IMAGE_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
                b"II*\x00": "a TIFF image", b"MM\x00*": "a TIFF image", b"BM": "a BMP image"}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p>", b"<table")

__all__ = ["IngestError", "read_bytes", "read_path", "detect_format", "READABLE_SUFFIXES"]


def read_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, or an IngestError saying why it cannot be read."""
    if path.is_symlink() and not path.exists():
        raise IngestError("broken symbolic link")
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IngestError("no such file")
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}")
    if stat.S_ISDIR(info.st_mode):
        raise IngestError("is a directory")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else "not a regular file"
        raise IngestError(f"{kind}: only regular files are read")
    if info.st_size > max_bytes:
        raise IngestError(f"too large: {info.st_size:,} bytes is over the --max-bytes limit of {max_bytes:,}")
    try:
        with open(path, "rb", opener=lambda p, flags: os.open(p, flags | os.O_NONBLOCK)) as handle:
            # As much as the file holds (read(max_bytes + 1) allocated 50 MB for every file),
            # and on if it grew since (or reports no size, as some special files do).
            data = handle.read(min(info.st_size, max_bytes) + 1)
            if len(data) > info.st_size:
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror or exc}")
    if len(data) > max_bytes:  # it grew after the size check
        raise IngestError(f"too large: over the --max-bytes limit of {max_bytes:,} bytes")
    return data


def detect_format(data: bytes, suffix: str = "") -> str:
    """'pdf', 'docx', 'html' or 'txt' from the bytes (the suffix only breaks ties)."""
    if not data.strip():
        raise IngestError("empty file")
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError("an old Word (.doc/.wps) or Office binary file: convert it to DOCX first")
    for magic, name in _IMAGE_MAGIC.items():
        if head.startswith(magic):
            raise IngestError(f"{name}, not a report (images are not read)")
    if suffix.lower() in OLD_WORD_SUFFIXES:
        raise IngestError(f"old Word format ({suffix}): convert it to DOCX first")
    lowered = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if any(marker in lowered[:1024] for marker in _HTML_MARKERS):
        return "html"
    if _looks_binary(head):
        raise IngestError(f"binary data of an unknown type, not a report (named {suffix or 'without a suffix'})")
    return "txt"


_TEXT_BYTES = bytes(range(9, 14)) + bytes(range(32, 256))


def _looks_binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text
    controls = len(head.translate(None, _TEXT_BYTES))  # the bytes below 9 or between 13 and 32
    return b"\x00" in head or controls > len(head) * 0.05


def read_bytes(data: bytes, suffix: str = "") -> RawDocument:
    kind = detect_format(data, suffix)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data)
    if kind == "html":
        from .html import read_html

        return read_html(data)
    from .text import read_txt

    return read_txt(data)

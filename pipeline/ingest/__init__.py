"""Read a file into a `RawDocument`: the type from its content, then one reader per format."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from junheng.document import RawDocument
from junheng.ingest.errors import IngestError, NotAReport
from junheng.ingest.sniff import OLD_WORD_SUFFIXES, READABLE_SUFFIXES, detect_format, sniff_path

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

__all__ = ["IngestError", "NotAReport", "read_bytes", "read_path", "detect_format", "sniff_path",
           "READABLE_SUFFIXES", "OLD_WORD_SUFFIXES"]


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


def read_bytes(data: bytes, suffix: str = "") -> RawDocument:
    kind = detect_format(data, suffix)
    if kind == "pdf":
        from junheng.ingest.pdf import read_pdf

        return read_pdf(data)
    if kind == "docx":
        from junheng.ingest.docx import read_docx

        return read_docx(data)
    if kind == "html":
        from junheng.ingest.html import read_html

        return read_html(data)
    from junheng.ingest.text import read_txt

    return read_txt(data)

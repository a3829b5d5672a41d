"""DOCX reader (python-docx): paragraphs and tables in document order.

A DOCX is a zip archive: before handing it to python-docx we check that it is one and that
it does not inflate to an absurd size (a zip bomb).
"""
from __future__ import annotations

import io
import zipfile

from junheng.document import Block, RawDocument
from junheng.ingest.errors import IngestError

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # real Word files compress about 5-20 times


def read_docx(data: bytes) -> RawDocument:
    _check_archive(data)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors on damaged files
        raise IngestError(f"damaged Word document ({type(exc).__name__}: {str(exc)[:80]})")
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.extend(Block(text=line.strip()) for line in item.text.split("\n") if line.strip())
        elif isinstance(item, Table):
            rows = [_row_cells(row) for row in item.rows]
            rows = [row for row in rows if any(row)]
            if rows:
                blocks.append(Block(rows=rows))
    core = document.core_properties
    meta = {"docx_title": core.title} if core.title else {}
    return RawDocument(format="docx", blocks=blocks, page_meta=meta)


def _row_cells(row) -> list[str]:
    cells, seen = [], set()
    for cell in row.cells:
        # Merged cells come back once per grid column; keep each physical cell once.
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
    return cells


def _check_archive(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise IngestError("not a valid DOCX (it is not a readable zip archive)")
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        raise IngestError("a zip archive, but not a Word document (no word/document.xml)")
    unzipped = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if unzipped > MAX_UNZIPPED_BYTES or unzipped / packed > MAX_RATIO and unzipped > 10 * 1024 * 1024:
        raise IngestError(f"refused: the archive inflates to {unzipped // (1024 * 1024)} MB (a zip bomb?)")

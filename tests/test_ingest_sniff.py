"""A file's type from its head: reports whatever their name, other kinds named for what they are."""
import io
import os
import zipfile

import pytest

from junheng import bulk
from junheng.ingest import IngestError, NotAReport, detect_format, sniff, sniff_path

TEXT = "关于全县义务教育优质均衡发展工作情况的报告"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512


def _zip(*names: str, first: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:  # an incompressible first member pushes the rest past the head
            archive.writestr("docProps/thumbnail.jpeg", first)
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def _name(value) -> str | None:
    return "bytes" if isinstance(value, bytes) else None  # the test id shows suffix and kind


@pytest.mark.parametrize("data, suffix, expected", ids=_name, argvalues=[
    (b"\r\n\r\n<!DOCTYPE html>\n<html><head><title>t</title>", ".jsp", "html"),
    (b"<meta charset='gbk'><div>x</div>", ".aspx", "html"),
    (b"<html><body>x</body></html>", ".php", "html"),
    (b"<html><body>Word saved this as a web page</body></html>", ".doc", "html"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "", "pdf"),
    (_zip("[Content_Types].xml", "word/document.xml"), ".bin", "docx"),
    (TEXT.encode("gbk")[:-1], "", "txt"),  # the head ends inside a character
    (TEXT.encode("utf-8")[:-2], ".do", "txt"),
    ("\ufeff".encode("utf-16-le") + TEXT.encode("utf-16-le"), "", "txt"),
    (b"plain English notes", ".txt", "txt"),  # a report suffix keeps text without Chinese
    (b"PK\x03\x04" + bytes(200), ".docx", "docx"),  # a damaged DOCX: the reader says what is wrong
])
def test_reports_are_told_by_content(data, suffix, expected):
    assert detect_format(data, suffix) == expected


@pytest.mark.parametrize("data, suffix, kind", ids=_name, argvalues=[
    (OLE, ".xls", "a spreadsheet"),
    (OLE[:64] + "Workbook".encode("utf-16-le") + OLE, "", "a spreadsheet"),
    (OLE, ".ppt", "a presentation"),
    (_zip("[Content_Types].xml", "xl/workbook.xml"), ".xlsx", "a spreadsheet (XLSX)"),
    (_zip("ppt/presentation.xml"), "", "a presentation (PPTX)"),
    (b"PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.text", ".odt", "an OpenDocument file"),
    (_zip("reports/a.pdf", "reports/b.pdf"), ".zip", "a ZIP archive"),
    (b"Rar!\x1a\x07\x01\x00" + bytes(64), ".rar", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(64), ".7z", "a 7-Zip archive"),
    (b"\x89PNG\r\n\x1a\n" + bytes(64), ".png", "a PNG image"),
    (b"\xff\xd8\xff\xe0" + bytes(64), ".jpg", "a JPEG image"),
    (b"GIF89a" + bytes(64), ".gif", "a GIF image"),
    (bytes(range(256)) * 4, ".dat", "binary data"),
    (b"body { color: red; }\n", ".css", "text with no Chinese"),
])
def test_other_kinds_are_named(data, suffix, kind):
    with pytest.raises(NotAReport) as caught:
        detect_format(data, suffix)
    assert str(caught.value).startswith(kind) and "not a report" in str(caught.value)


@pytest.mark.parametrize("data, suffix, reason", ids=_name, argvalues=[
    (b"", ".pdf", "empty file"),
    (OLE, ".doc", "convert it to DOCX"),
    (OLE[:64] + "WordDocument".encode("utf-16-le") + OLE, ".xls", "convert it to DOCX"),
])
def test_reports_that_cannot_be_read_are_not_called_other_kinds(data, suffix, reason):
    with pytest.raises(IngestError, match=reason) as caught:
        detect_format(data, suffix)
    assert not isinstance(caught.value, NotAReport)


def test_a_docx_whose_parts_lie_past_the_head_is_told_from_its_member_list(tmp_path):
    data = _zip("[Content_Types].xml", "word/document.xml", first=os.urandom(3 * sniff.HEAD_BYTES))
    assert b"word/" not in data[:sniff.HEAD_BYTES]
    (tmp_path / "report").write_bytes(data)
    assert sniff_path(tmp_path / "report") == "docx"


def test_a_folder_walk_reads_only_the_head_of_each_file_it_sniffs(tmp_path, monkeypatch):
    (tmp_path / "big-report").write_bytes(b"%PDF-1.4\n" + bytes(1_000_000))
    (tmp_path / "big.bin").write_bytes(bytes(1_000_000))
    (tmp_path / "named.pdf").write_bytes(bytes(1_000_000))  # a report suffix: not sniffed at all
    opened = []

    class Counting(io.FileIO):  # counts what is read from the disk, not what a buffer hands on
        def read(self, size=-1):
            data = super().read(size)
            opened[-1][1] += len(data)
            return data

    def counting_open(path, mode="r", buffering=-1):
        opened.append([str(path), 0])
        assert mode == "rb" and buffering == 0
        return Counting(path, "rb")

    monkeypatch.setattr(sniff, "open", counting_open, raising=False)
    files, skipped = bulk.collect_paths([str(tmp_path)])
    assert files == [str(tmp_path / "big-report"), str(tmp_path / "named.pdf")]
    assert [reason for _, reason in skipped] == ["binary data of an unknown type, not a report (named .bin)"]
    assert sorted(path for path, _ in opened) == [str(tmp_path / "big-report"), str(tmp_path / "big.bin")]
    assert all(count <= sniff.HEAD_BYTES for _, count in opened)

import io
import zipfile

import pytest

from junheng.ingest import IngestError, detect_format, read_bytes
from junheng.ingest.text import decode_bytes, lines_to_blocks

TEXT = "七台河市城乡义务教育一体化改革发展工作调研报告"


@pytest.mark.parametrize("data, suffix, expected", [
    (b"%PDF-1.4\n...", ".pdf", "pdf"),
    (b"PK\x03\x04rest", ".docx", "docx"),
    (b"<!DOCTYPE html><html><body>x</body></html>", ".txt", "html"),
    ("<html><meta charset='gbk'>".encode(), ".htm", "html"),
    (TEXT.encode("gbk"), ".txt", "txt"),
    (TEXT.encode("utf-8"), "", "txt"),
])
def test_detect_format_from_content(data, suffix, expected):
    assert detect_format(data, suffix) == expected


@pytest.mark.parametrize("data, suffix, reason", [
    (b"", ".txt", "empty"),
    (b"   \n", ".html", "empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc", "convert it to DOCX"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, ".pdf", "PNG image"),
    (bytes(range(256)) * 4, ".html", "binary data"),
])
def test_detect_format_refuses_with_a_reason(data, suffix, reason):
    with pytest.raises(IngestError, match=reason):
        detect_format(data, suffix)


@pytest.mark.parametrize("data, declared", [
    (TEXT.encode("gbk"), None),
    (TEXT.encode("gb18030"), "gb2312"),
    (TEXT.encode("utf-8"), None),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), None),
    (TEXT.encode("gbk"), "utf-8"),   # a wrong declaration is overruled
    (TEXT.encode("utf-8"), "gbk"),
])
def test_decode_bytes_finds_the_real_encoding(data, declared):
    text, _ = decode_bytes(data, declared)
    assert text == TEXT


def test_wrong_declaration_and_damage_are_reported_as_warnings():
    _, warnings = decode_bytes(TEXT.encode("gbk"), "utf-8")
    assert "declared charset utf-8 is wrong" in warnings[0]
    damaged = TEXT.encode("utf-8")[:-1] + b"\xff\xfe" + TEXT.encode("gbk")
    text, warnings = decode_bytes(damaged)
    assert "\ufffd" in text and "replaced" in warnings[0]


def test_txt_tables_become_rows():
    blocks = lines_to_blocks(["单位：万元", "项目\t2018年\t2019年", "总投入\t1200\t1300", "", "正文一段。"])
    assert blocks[1].rows == [["项目", "2018年", "2019年"], ["总投入", "1200", "1300"]]
    assert blocks[2].text == "正文一段。"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


def test_docx_that_is_not_a_word_file_fails_clearly():
    with pytest.raises(IngestError, match="not a Word document"):
        read_bytes(_zip({"hello.txt": b"hi"}), ".docx")


def test_docx_zip_bomb_is_refused():
    bomb = _zip({"word/document.xml": b"<w/>", "word/media/big.bin": b"\0" * (210 * 1024 * 1024)})
    with pytest.raises(IngestError, match="zip bomb"):
        read_bytes(bomb, ".docx")


def test_truncated_pdf_fails_clearly():
    with pytest.raises(IngestError, match="PDF"):
        read_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", ".pdf")


def test_read_path_reads_what_a_file_holds_up_to_the_limit(tmp_path):
    from pathlib import Path

    from junheng.ingest import read_path

    report = tmp_path / "report.txt"
    report.write_bytes("全县义务教育学校48所。".encode() * 10)
    assert read_path(report) == report.read_bytes()
    with pytest.raises(IngestError, match="too large"):
        read_path(report, max_bytes=100)
    # Some special files report no size but have content: read on past the size.
    assert b"Name:" in read_path(Path("/proc/self/status"))

"""Build the bad-input corpus: files a bulk load must refuse one by one, and awkward files it
must still read. Used by tests/test_bad_inputs.py; `python tests/make_bad_inputs.py DIR`
writes both halves (DIR/fail and DIR/read) for a look by hand.

FAILING maps each failing file to a fragment of its reason, READABLE each readable file to
a phrase its stored text must contain.
"""
from __future__ import annotations

import io
import os
import random
import sys
import zipfile
from pathlib import Path

REPORT = ("关于全县义务教育优质均衡发展工作情况的报告\n"
          "全县现有义务教育学校42所，在校学生31250人，专任教师2380人。"
          "小学生师比为16.5:1，九年义务教育巩固率达到98.6%，县管校聘改革全面推开。\n")
OVERSIZE_LIMIT = 1_000_000  # the --max-bytes of the failing half: every other failing file is smaller
FAILING = {
    "zero-bytes.pdf": "empty file", "blank.txt": "empty file", "no-text.html": "no text",
    "noise.pdf": "binary data", "noise.html": "binary data", "noise.docx": "binary data",
    "truncated.pdf": "truncated PDF", "encrypted.pdf": "encrypted PDF", "scanned.pdf": "no text layer",
    "not-a-zip.docx": "not a valid DOCX", "bomb.docx": "zip bomb", "oversize.txt": "over the --max-bytes limit",
    "broken-link.html": "broken symbolic link", "pipe.txt": "FIFO",
}
READABLE = {"wrong-charset.html": "声明为UTF-8，实为GBK", "damaged.txt": "末段恢复正常的文字",
            "nested.html": "嵌套五千层的正文", "large.txt": "第69999段：全县学校标准化建设稳步推进"}


def write_failing(folder: Path) -> None:
    """The files of FAILING, each of which must fail with its reason."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(8)
    files = {
        "zero-bytes.pdf": b"", "blank.txt": b" \r\n\t\n",
        "no-text.html": b"<html><head><title></title></head><body><div></div></body></html>",
        **{f"noise.{suffix}": rng.randbytes(6000) for suffix in ("pdf", "html", "docx")},
        "truncated.pdf": _text_pdf()[:2000], "encrypted.pdf": _text_pdf(encrypt="secret"), "scanned.pdf": _image_pdf(),
        "not-a-zip.docx": b"PK\x03\x04" + rng.randbytes(3000), "bomb.docx": _zip_bomb(),
        "oversize.txt": (REPORT * (OVERSIZE_LIMIT // len(REPORT.encode()) + 10)).encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    os.symlink("gone.html", folder / "broken-link.html")
    os.mkfifo(folder / "pipe.txt")
    os.symlink(".", folder / "loop")  # a directory loop: must be walked once, not forever


def write_readable(folder: Path) -> None:
    """The files of READABLE: awkward, but they must be read."""
    folder.mkdir(parents=True, exist_ok=True)
    page = "<html><head><meta charset=\"{charset}\"><title>{title}</title></head><body>{body}</body></html>"
    paragraphs = "".join(f"<p>{line}</p>" for line in REPORT.splitlines())
    wrong = page.format(charset="utf-8", title="某县均衡发展报告", body=paragraphs + "<p>声明为UTF-8，实为GBK。</p>")
    (folder / "wrong-charset.html").write_bytes(wrong.encode("gbk"))
    # Half the page in UTF-8, a paragraph in GBK and a few stray bytes: read with replacement.
    damaged = REPORT.encode() + "这一段是GBK编码的文字。\n".encode("gbk") + b"\xff\xfe\x80" + "末段恢复正常的文字。\n".encode()
    (folder / "damaged.txt").write_bytes(damaged)
    nested = page.format(charset="utf-8", title="深层嵌套", body="<div>" * 5000 + paragraphs
                         + "<p>嵌套五千层的正文。</p>" + "</div>" * 5000)
    (folder / "nested.html").write_text(nested, encoding="utf-8")
    large = REPORT + "".join(f"第{n}段：全县学校标准化建设稳步推进，办学条件持续改善。\n" for n in range(70_000))
    (folder / "large.txt").write_text(large, encoding="utf-8")  # 5 MB


def _text_pdf(encrypt: str | None = None) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    for page in range(3):
        pdf.setFont("STSong-Light", 11)
        for row, line in enumerate(REPORT.splitlines() * 8):
            pdf.drawString(60, 780 - 18 * row, f"{page}-{row} {line[:40]}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _image_pdf() -> bytes:
    """A scanned page: one picture, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (400, 560), "white")
    ImageDraw.Draw(picture).rectangle((40, 40, 360, 120), fill="black")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawImage(ImageReader(picture), 50, 150, width=400, height=560)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A Word-shaped archive whose one member inflates a thousandfold (250 MB from 250 KB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(250):
                member.write(chunk)
    return buffer.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-inputs")
    write_failing(target / "fail")
    write_readable(target / "read")
    print(f"{len(FAILING)} failing files in {target / 'fail'}, {len(READABLE)} readable ones in {target / 'read'}")

"""Renderings of the real development set (../shared/dev) for `junheng evaluate … --gold`.

A dev document is plain text as found (boilerplate and all), a table written as consecutive
lines whose cells are separated by " | ". The README of the dev set asks that each document be
scored in every form it can take, so this dresses it as

  html  a government article page: navigation, a side column of plain-text items
        (<div class="side"><ul><li>), a share bar and a footer around the article; GBK or
        UTF-8 by a stable hash of the id; " | " runs as a <table> whose first row is <th>.
        Half the pages (again by hash) mark the article with id="zoom" as many CMSs do, the
        others leave it unmarked, so both of the reader's paths are scored.
  pdf   render_pdf's A4 STSong-Light layout: lines wrapped at the frame's fixed width, ruled
        tables, a running header and page numbers.

Nothing here is written to the repository: the caller (pipeline/evaluation/dev.py) caches the bytes
outside it, keyed by the inputs and by SOURCES, the files whose code shapes the output.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from render_chrome import Chrome, build_chrome
from render_html import footer_lines, table_xxgk
from render_model import (Para, Report, Site, TableBlock, classify, cjk_count, fallback_site_name,
                          is_plain_title, mark_signature, place_of, stable_int)
from render_pdf import render_pdf

HERE = Path(__file__).resolve().parent
SOURCES = [HERE / name for name in ("render_dev.py", "render_model.py", "render_chrome.py",
                                    "render_html.py", "render_pdf.py")]
CELL_SEPARATOR = " | "
SHARE_BAR = "分享到：微信 微博 QQ空间 复制链接"
CRUMB_MARKS = ("当前位置", "您的位置", ">", "»")  # a breadcrumb line is never the heading


def is_row(line: str) -> bool:
    return CELL_SEPARATOR in line


def pick_title(lines: list[str]) -> int | None:
    """The index of the line a page would show as its heading: a genre title if there is one,
    else the first short non-sentence line with some Chinese; None when nothing fits."""
    candidates = [i for i, line in enumerate(lines) if line and not is_row(line)]
    for test in (is_plain_title,
                 lambda line: cjk_count(line) >= 6 and len(line) <= 60 and not line.endswith("。")
                 and not any(mark in line for mark in CRUMB_MARKS)):
        found = next((i for i in candidates if test(lines[i])), None)
        if found is not None:
            return found
    return None


def parse_dev_blocks(lines: list[str]) -> list:
    """Every non-blank line is a paragraph; consecutive " | " lines make one table."""
    blocks: list = []
    for line in lines:
        if is_row(line):
            cells = [cell.strip() for cell in line.split("|")]
            if blocks and isinstance(blocks[-1], TableBlock):
                blocks[-1].rows.append(cells)
            else:
                blocks.append(TableBlock(rows=[cells]))
        elif line:
            blocks.append(Para(line, classify(line)))
        else:
            blocks.append(None)  # a blank line ends a table; dropped below
    blocks = [block for block in blocks if block is not None]
    mark_signature(blocks)
    return blocks


def dev_report(doc_id: str, text: str) -> Report:
    lines = [line.strip() for line in text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")]
    index = pick_title(lines)
    title = lines[index] if index is not None else ""
    rest = lines[:index] + lines[index + 1:] if index is not None else lines
    encoding = "gbk" if stable_int(doc_id, "dev-encoding") % 2 else "utf-8"
    site = Site(name=fallback_site_name(title), source="本站", encoding=encoding)
    return Report(slug=doc_id, title=title, blocks=parse_dev_blocks(rest), site=site,
                  region_name=place_of(title))


def article_html(report: Report) -> str:
    return "\n".join(f"<p>{escape(b.text)}</p>" if isinstance(b, Para) else table_xxgk(b)
                     for b in report.blocks)


def page(report: Report, chrome: Chrome, charset: str, marked: bool) -> str:
    nav = "".join(f'<li><a href="/{i}/">{escape(m)}</a></li>' for i, m in enumerate(chrome.menu))
    side = "".join(f"<li>{escape(link.title)}</li>" for link in chrome.related + chrome.hot)
    article_attrs = 'id="zoom" class="article-content"' if marked else 'class="article-content"'
    heading = f"<h1>{escape(report.title)}</h1>" if report.title else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{escape(report.title or chrome.site)}_{escape(chrome.site)}</title>
</head>
<body>
<div class="header"><div class="logo">{escape(chrome.site)}</div></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="main">
<div class="crumb">当前位置：{' &gt; '.join(escape(c) for c in chrome.crumbs)}</div>
<div class="content">
{heading}
<div {article_attrs}>
{article_html(report)}
</div>
<div class="share">{SHARE_BAR}</div>
</div>
<div class="side"><h3>相关阅读</h3><ul>{side}</ul>
<h3>专题专栏</h3><ul>{''.join(f'<li>{escape(s)}</li>' for s in chrome.specials)}</ul></div>
</div>
<div class="footer"><p>{footer_lines(chrome, "2024")}</p></div>
</body>
</html>
"""


def render_dev_html(doc_id: str, text: str) -> bytes:
    report = dev_report(doc_id, text)
    chrome = build_chrome(report, report.site, known_date=False)
    marked = stable_int(doc_id, "dev-marked") % 2 == 0
    if report.site.encoding == "gbk":
        return page(report, chrome, "gbk", marked).encode("gbk", errors="xmlcharrefreplace")
    return page(report, chrome, "utf-8", marked).encode("utf-8")


def render_dev_pdf(doc_id: str, text: str) -> bytes:
    return render_pdf(dev_report(doc_id, text), ruled=True)


RENDERERS = {"html": (".html", render_dev_html), "pdf": (".pdf", render_dev_pdf)}

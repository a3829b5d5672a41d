#!/usr/bin/env python3
"""Regenerate the junheng corpus renderings and the bundled report set.

For every `source/<slug>.txt` with its `gold/<slug>.json` (see README.md) this writes

    renderings/html/<slug>.html   a Chinese government website article page, in the gold
                                  `site.encoding` (gbk or utf-8), with full site chrome
    renderings/pdf/<slug>.pdf     A4, STSong-Light, running header, page numbers, tables
    renderings/docx/<slug>.docx   Word: heading title, paragraphs, tables, right-aligned 落款
    renderings/txt/<slug>.txt     plain text as published (GBK, UTF-8 or UTF-8 with BOM)
    reports/<slug>.<ext>          each report once, the format rotating over the sorted slugs
    reports/<slug>-repost.html    for each gold `reposts` entry: the page on another site

Every choice (page template, PDF look, text encoding …) comes from a stable hash of the slug
or from its position among the sorted slugs, so re-running gives byte-identical files.
Files in reports/ and renderings/ that this run does not produce are removed.

Usage (from anywhere; paths default to the folders beside this script):

    python corpus/render.py [--source-dir DIR] [--gold-dir DIR] [--out-dir DIR]
    python corpus/render.py --plain DIR --out OUT     # any .txt files -> OUT/html, OUT/pdf

In --plain mode each text file (cleaned or not) becomes a GBK HTML page with chrome and a
PDF; its title is the first line of >= 8 CJK characters with 报告/规划/方案/总结/均衡/发展
(breadcrumb lines and sentences excluded); the date is unknown, so the info bar has none.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from render_html import render_html  # noqa: E402
from render_model import Report, load_gold, load_report, report_from_plain, stable_int  # noqa: E402
from render_office import render_docx, render_txt  # noqa: E402
from render_pdf import render_pdf  # noqa: E402

FORMATS = ("html", "pdf", "docx", "txt")
# The bundled set's rotation over sorted slugs. PDFs sit at an odd (1) and an even (4)
# position, and tables are ruled on odd positions, so the bundle has both kinds of PDF.
BUNDLE_ROTATION = ("html", "pdf", "docx", "html", "pdf", "txt")
FULLWIDTH_REPORTS = 2  # how many TXT renderings get some full-width digits


# ---------------------------------------------------------------- output helpers

class Writer:
    """Writes files only when their bytes change, and remembers what it wrote."""

    def __init__(self) -> None:
        self.written: set[Path] = set()
        self.changed = 0

    def write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            self.changed += 1
        self.written.add(path.resolve())

    def prune(self, folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
        """Remove rendered files in `folder` that this run did not produce."""
        removed = []
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.suffix in suffixes and path.resolve() not in self.written:
                path.unlink()
                removed.append(path)
        return removed


# ---------------------------------------------------------------- corpus mode

def load_reports(source_dir: Path, gold_dir: Path) -> list[Report]:
    reports = []
    for source in sorted(source_dir.glob("*.txt")):
        gold, warning = load_gold(gold_dir / f"{source.stem}.json")
        if warning and source.stat().st_size:
            print(f"warning: {warning}", file=sys.stderr)
        try:
            report = load_report(source, gold)
        except (OSError, UnicodeDecodeError, ValueError) as err:
            print(f"warning: {source.name}: skipped ({err})", file=sys.stderr)
            continue
        if not report.title:
            print(f"warning: {source.name}: skipped (empty)", file=sys.stderr)
            continue
        reports.append(report)
    return reports


def fullwidth_slugs(slugs: list[str]) -> set[str]:
    """The one or two slugs (lowest stable hash) whose TXT gets full-width digits."""
    return set(sorted(slugs, key=lambda s: stable_int(s, "fullwidth"))[:FULLWIDTH_REPORTS])


def render_all_formats(report: Report, position: int, fullwidth: bool) -> dict[str, bytes]:
    html, _ = render_html(report)
    return {
        "html": html,
        "pdf": render_pdf(report, ruled=position % 2 == 1),
        "docx": render_docx(report),
        "txt": render_txt(report, fullwidth),
    }


def write_reposts(report: Report, out_dir: Path, writer: Writer) -> None:
    _, own_template = render_html(report)
    for n, repost in enumerate(report.reposts, start=1):
        site = replace(repost, source=repost.source or report.site.name,
                       published=repost.published or report.site.published)
        html, _ = render_html(report, site, avoid_template=own_template)
        suffix = "-repost" if n == 1 else f"-repost-{n}"
        writer.write(out_dir / "reports" / f"{report.slug}{suffix}.html", html)


def render_corpus(source_dir: Path, gold_dir: Path, out_dir: Path) -> int:
    reports = load_reports(source_dir, gold_dir)
    writer = Writer()
    fullwidth = fullwidth_slugs([r.slug for r in reports])
    for position, report in enumerate(reports):
        files = render_all_formats(report, position, report.slug in fullwidth)
        for fmt, data in files.items():
            writer.write(out_dir / "renderings" / fmt / f"{report.slug}.{fmt}", data)
        bundled = BUNDLE_ROTATION[position % len(BUNDLE_ROTATION)]
        writer.write(out_dir / "reports" / f"{report.slug}.{bundled}", files[bundled])
        write_reposts(report, out_dir, writer)
    suffixes = tuple(f".{fmt}" for fmt in FORMATS)
    removed = writer.prune(out_dir / "reports", suffixes)
    for fmt in FORMATS:
        removed += writer.prune(out_dir / "renderings" / fmt, (f".{fmt}",))
    for path in removed:
        print(f"removed stale {path}", file=sys.stderr)
    print(f"{len(reports)} reports, {len(writer.written)} files ({writer.changed} changed)"
          f" under {out_dir}")
    return 0


# ---------------------------------------------------------------- plain mode

def render_plain(plain_dir: Path, out: Path) -> int:
    writer = Writer()
    paths = sorted(p for p in plain_dir.glob("*.txt") if p.is_file())
    for path in paths:
        report = report_from_plain(path)
        html, _ = render_html(report, known_date=False)
        writer.write(out / "html" / f"{path.stem}.html", html)
        writer.write(out / "pdf" / f"{path.stem}.pdf", render_pdf(report, ruled=True))
        print(f"{path.name}: {report.title}")
    print(f"{len(paths)} files -> {out}/html, {out}/pdf")
    return 0


# ---------------------------------------------------------------- command line

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source-dir", type=Path, default=HERE / "source")
    parser.add_argument("--gold-dir", type=Path, default=HERE / "gold")
    parser.add_argument("--out-dir", type=Path, default=HERE,
                        help="folder that receives reports/ and renderings/")
    parser.add_argument("--plain", type=Path, metavar="DIR",
                        help="render the .txt files of DIR instead of the corpus")
    parser.add_argument("--out", type=Path, metavar="OUT", help="output folder for --plain")
    args = parser.parse_args(argv)
    if args.plain and not args.out:
        parser.error("--plain needs --out")
    if args.out and not args.plain:
        parser.error("--out only goes with --plain (use --out-dir for the corpus)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.plain:
        return render_plain(args.plain, args.out)
    return render_corpus(args.source_dir, args.gold_dir, args.out_dir)


if __name__ == "__main__":
    sys.exit(main())

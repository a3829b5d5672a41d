"""How often the PDF reader leaves a sentence broken over two lines, on ragged PDFs.

    python benchmarks/pdf_joining.py [DIR] [--variants N] [--show K]

Every DIR/*.txt (default: ../shared/seeds) is rendered by corpus/render_ragged.py in N looks
(font size, paragraph style, right-edge play), read back through ingest and clean, and each
of its sentences (split after 。！？；) is looked for in the stored text: unbroken (found
as is), broken (found only once line breaks are ignored) or missing (dropped as chrome, or
changed on the way). The rate printed is broken / (unbroken + broken). Joining too much is
the opposite fault, so it also counts the paragraphs (headings included) that stand as a
line of their own in the stored text, of those found at all.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "corpus")]

from render_model import report_from_plain  # noqa: E402
from render_ragged import choose_look, render_ragged  # noqa: E402

from junheng import ingest  # noqa: E402
from junheng.text import clean

MIN_SENTENCE = 8  # shorter pieces (一、基本情况 …) are headings or chrome, not sentences
_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")


def sentences(path: Path) -> list[str]:
    report = report_from_plain(path)
    found = []
    for para in report.paragraphs():
        for piece in _SENTENCE.findall(clean.normalise(para.text)):
            if len(piece.strip()) >= MIN_SENTENCE:
                found.append(piece.strip())
    return found


def paragraphs_apart(path: Path, text: str) -> tuple[int, int]:
    """(paragraphs that are a whole line of `text`, paragraphs found in it at all)."""
    lines = set(text.split("\n"))
    flat = text.replace("\n", "")
    found = [p for p in (clean.normalise(para.text) for para in report_from_plain(path).paragraphs()) if p in flat]
    return sum(p in lines for p in found), len(found)


def score(path: Path, variant: int) -> tuple[int, int, int, list[str], tuple[int, int]]:
    report = report_from_plain(path)
    look = choose_look(path.stem, variant)
    raw = ingest.read_bytes(render_ragged(report, look), ".pdf")
    text = clean.build_document(raw, str(path), "").text
    flat = text.replace("\n", "")
    unbroken = broken = missing = 0
    examples = []
    for sentence in sentences(path):
        if sentence in text:
            unbroken += 1
        elif sentence in flat:
            broken += 1
            examples.append(_broken_at(text, sentence, look.style))
        else:
            missing += 1
    return unbroken, broken, missing, examples, paragraphs_apart(path, text)


def _broken_at(text: str, sentence: str, style: str) -> str:
    """The break as it stands in the text: a few characters either side of the newline."""
    pattern = "\n?".join(map(re.escape, sentence))
    match = re.search(pattern, text)
    cut = match.group().index("\n") if match else 0
    piece = match.group() if match else sentence
    return f"[{style}] …{piece[max(0, cut - 12):cut]}⏎{piece[cut + 1:cut + 13]}…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=HERE.parent.parent / "shared" / "seeds")
    parser.add_argument("--variants", type=int, default=3, help="looks per text (default 3)")
    parser.add_argument("--show", type=int, default=0, help="print this many broken sentences")
    args = parser.parse_args(argv)
    totals = [0, 0, 0]
    apart = [0, 0]
    shown: list[str] = []
    for path in sorted(args.folder.glob("*.txt")):
        for variant in range(args.variants):
            unbroken, broken, missing, examples, (whole, found) = score(path, variant)
            totals = [totals[0] + unbroken, totals[1] + broken, totals[2] + missing]
            apart = [apart[0] + whole, apart[1] + found]
            shown += examples
            print(f"{path.stem} v{variant}: unbroken {unbroken}, broken {broken}, missing {missing};"
                  f" paragraphs apart {whole}/{found}")
    unbroken, broken, missing = totals
    rate = broken / max(1, unbroken + broken)
    print(f"sentences: {unbroken + broken} found ({missing} missing); broken {broken} = {rate:.1%}")
    print(f"paragraphs standing apart: {apart[0]}/{apart[1]} = {apart[0] / max(1, apart[1]):.1%}")
    for example in shown[:args.show]:
        print("  " + example)
    return 0


if __name__ == "__main__":
    sys.exit(main())

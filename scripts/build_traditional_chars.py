"""Build pipeline/data/traditional_chars.tsv: every traditional character that OpenCC (t2s)
reads as one of the simplified characters the doc_type cues use.

Run by hand when the cues change (needs `pip install opencc`; the tool itself does not):

    python scripts/build_traditional_chars.py
"""
from __future__ import annotations

import re
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parent.parent
CUES = ROOT / "pipeline" / "data" / "doc_type_cues.tsv"
OUT = ROOT / "pipeline" / "data" / "traditional_chars.tsv"


def main() -> None:
    wanted = set(re.findall(r"[\u4e00-\u9fff]", CUES.read_text(encoding="utf-8")))
    convert = opencc.OpenCC("t2s")
    pairs = []
    for code in range(0x4E00, 0xA000):
        char = chr(code)
        simple = convert.convert(char)
        if simple != char and len(simple) == 1 and simple in wanted:
            pairs.append((char, simple))
    lines = ["# traditional\tsimplified — built by scripts/build_traditional_chars.py (OpenCC t2s)"]
    lines += [f"{t}\t{s}" for t, s in sorted(pairs)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(pairs)} characters → {OUT}")


if __name__ == "__main__":
    main()

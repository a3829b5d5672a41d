"""The benchmark's inputs, made from the bundled corpus: nothing here is downloaded.

- `recombined_files`: new report files from the TXT and HTML renderings, with their body
  paragraphs shuffled (or sampled), so every file has new bytes, a new sha256 and a new
  text fingerprint, but the genre, encodings (GBK/UTF-8), page chrome and tables of the
  originals. Work is on bytes split at b"\\n": a GBK trail byte is never 0x0A, so no
  decoding is needed and each file keeps its encoding.
- `synthetic_documents`: ready `Document`s for the search database, each made of corpus
  paragraphs drawn from the whole corpus, as long as a real report.
"""
from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from hashlib import sha256
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIXED_HEAD, FIXED_TAIL = 3, 2  # title, date line, addressee … signature, date: kept in place
_HTML_PARAGRAPH = re.compile(rb"^\s*<p[ >].*</p>\s*$")


def renderings(kind: str) -> list[Path]:
    return sorted((CORPUS / "renderings" / kind).glob(f"*.{kind}"))


def _body_positions(lines: list[bytes], html: bool) -> list[int]:
    """Indexes of the lines that may move: paragraphs, never table rows or the head/tail."""
    if html:
        movable = [i for i, line in enumerate(lines) if _HTML_PARAGRAPH.match(line)]
    else:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        movable = [i for i in filled if b"\t" not in lines[i] and not lines[i].lstrip().startswith(b"|")
                   and len(lines[i].strip()) >= 30]
        movable = [i for i in movable if i not in filled[:FIXED_HEAD] and i not in filled[-FIXED_TAIL:]]
    return movable[1:-FIXED_TAIL] if html else movable


def recombine(data: bytes, html: bool, rng: random.Random, keep: int | None = None) -> bytes:
    """The file with its body paragraphs shuffled; with `keep`, only that many of them."""
    lines = data.split(b"\n")
    positions = _body_positions(lines, html)
    moved = [lines[i] for i in positions]
    rng.shuffle(moved)
    if keep is not None:
        dropped = set(positions[keep:])
        positions = positions[:keep]
        lines = [line if i not in dropped else None for i, line in enumerate(lines)]
    for position, line in zip(positions, moved):
        lines[position] = line
    return b"\n".join(line for line in lines if line is not None)


def recombined_files(folder: Path, count: int, keep: int | None = None, seed: int = 1) -> list[str]:
    """Write `count` new files (half TXT, half HTML renderings) into `folder`; their paths."""
    sources = [(path, path.read_bytes(), path.suffix == ".html")  # TXT and HTML in turn
               for pair in zip(renderings("txt"), renderings("html")) for path in pair]
    originals = {sha256(data).digest() for _, data, _ in sources}
    seen: set[bytes] = set(originals)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[str] = []
    rng = random.Random(seed)
    attempts = 0
    while len(paths) < count:
        path, data, html = sources[(len(paths) + attempts) % len(sources)]
        new = recombine(data, html, rng, keep)
        digest = sha256(new).digest()
        if digest in seen:  # a short report has few orders: take the next source instead
            attempts += 1
            continue
        seen.add(digest)
        target = folder / f"{len(paths):06d}-{path.name}"
        target.write_bytes(new)
        paths.append(str(target))
    return paths


def corpus_paragraphs() -> tuple[list[str], list[dict]]:
    """Every body paragraph of corpus/source (tables left out), and each report's gold."""
    paragraphs, reports = [], []
    for source in sorted((CORPUS / "source").glob("*.txt")):
        blocks = [b.strip() for b in source.read_text(encoding="utf-8").split("\n\n") if b.strip()]
        body = [b for b in blocks[1:] if not b.startswith("|")]
        paragraphs.extend(body)
        gold = json.loads((CORPUS / "gold" / f"{source.stem}.json").read_text(encoding="utf-8"))
        reports.append({**gold, "paragraph_count": len(body)})
    return paragraphs, reports


def synthetic_documents(count: int, seed: int = 2) -> Iterator:
    """`count` Documents of corpus paragraphs. Each takes a real report's title, date and
    length (as many paragraphs as it has, drawn from the whole corpus) and one of the
    gazetteer's 2,845 counties in turn: every corpus place name in it becomes that county's,
    so a place name is as rare as in a national collection (兰考 in 1 report of 2,845)."""
    from junheng.document import Document
    from junheng.regions import gazetteer

    paragraphs, reports = corpus_paragraphs()
    counties = [unit for unit in gazetteer().by_code.values() if unit.level == "county"]
    place = _place_names(reports)
    rng = random.Random(seed)
    for number in range(count):
        report, county = reports[number % len(reports)], counties[number % len(counties)]
        body = rng.sample(paragraphs, min(report["paragraph_count"], len(paragraphs)))
        title = place.sub(county.name, report["title"])
        text = "\n".join([title, *(place.sub(county.name, paragraph) for paragraph in body), f"（编号{number}）"])
        yield Document(
            source=f"synthetic/{number:06d}.txt", sha256=sha256(text.encode("utf-8")).hexdigest(),
            text=text, format="txt", title=title, date=report["date"], doc_type=report["doc_type"],
            balance_stage=report["balance_stage"], region=county.region(county.name))


def _place_names(reports: list[dict]) -> re.Pattern:
    """The corpus's county names and their stems (兰考县, 兰考), longest first."""
    from junheng.regions import gazetteer

    names = set()
    for report in reports:
        unit = gazetteer().by_code.get(report["region"]["code"])
        for name in (report["region"]["mentioned_as"], unit.name if unit else None):
            if name and len(name) > 2:
                names.update({name, name[:-1]} if name[-1] in "县区市旗" else {name})
    return re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))

"""doc_type of a document: weighted cues, not the first hit.

Every cue of `data/doc_type_cues.tsv` adds its weight to its kind when it is found in its
place (`where`):

- `title_end`: at the end of the title, once its brackets ((2016—2020), 【…】, (征求意见稿))
  are set aside: the kind word of an official paper stands last (…工作总结, …的通报);
- `title`: anywhere in the title;
- `head`: in the first lines of the text; `tail`: in its last lines; `lines`: any line;
- `heading`: in a numbered section heading (一、 (二) 3.);
- `salutation`: in a line near the top that ends with a colon (各县区人民政府：, 某某代表：);
- `text`: anywhere, once per occurrence up to `cap`;
- `feature`: a measure of the text's shape (table_share, signed, long_text), times the weight;
- `prior`: always.

The names of other documents cited in 《》 are taken out of the text first: a news story that
quotes 《…实施方案》 is still a news story. Pages in traditional characters arrive simplified
(pipeline/text/traditional.py, before every stage).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from junheng.text.data import data_rows

KINDS = ("rectification_report", "self_assessment", "research_report", "plan", "work_summary",
         "notice", "other", "news")  # ties go to the earlier kind
HEAD_CHARS = 1200
LONG_TEXT = 2500

_CITED = re.compile(r"《[^《》]{1,80}》(?:\s*[（(][^（）()]{0,30}[）)])?")
_TITLE_LABEL = re.compile(r"^(?:名\s*称|标\s*题|原标题|题\s*目)\s*[:：|]\s*\|?\s*")
_TITLE_TAIL = re.compile(r"(?:\s*(?:[（(【\[][^（）()【】\[\]]{0,30}[）)】\]]|_第\d+页|[|｜\s]+|[。.!！]))+$")
_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|"
                       r"\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]{1,3}[章节部分])")
_ISSUED = re.compile(r"(?:印发|转发|颁布|公布)\s*《(?P<name>[^《》]{2,80})》")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*[:：]?")
_ORGAN = re.compile(r"^.{2,30}(?:局|厅|政府|委员会|办公室|委|中心|学校|小学|中学|室|组)$")
_CELL = re.compile(r"\s*[|\t]\s*")
_SPACES = re.compile(r"\s+")
_DATE_LINE_MAX = 40  # a date line with its spaces: （二〇二三年十二月二十八日） and room around it
_META_LABEL = re.compile(r"^(?:索引号|标\s*题|名\s*称|文\s*号|发布|发文|主题|公开|生成|成文|有效性|体裁|关键字)")
_DATE_LINE = re.compile(r"[（(]?\s*(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
                        r"\s*[\d一二三四五六七八九十]{1,3}\s*日\s*[)）]?")


@dataclass(frozen=True)
class Cue:
    doc_type: str
    where: str
    pattern: re.Pattern | None
    weight: float
    cap: int
    feature: str = ""


@lru_cache(maxsize=1)
def cues() -> list[Cue]:
    result = []
    for row in data_rows("doc_type_cues.tsv"):
        if row["doc_type"] not in KINDS:
            raise ValueError(f"doc_type_cues.tsv: unknown doc_type {row['doc_type']!r}")
        text = row["pattern"]
        if row["where"] == "title_end":
            text = f"(?:{text})$"
        elif row["where"] == "salutation":
            text = f"(?:{text})"
        pattern = re.compile(text, re.M) if text and row["where"] not in ("prior", "feature") else None
        feature = text if row["where"] == "feature" else ""
        result.append(Cue(row["doc_type"], row["where"], pattern, float(row["weight"]), int(row["cap"] or 1), feature))
    return result


@dataclass
class _View:
    """The places a cue can be looked for."""
    title: str
    title_core: str
    head: str
    tail: str
    headings: str
    salutations: list[str]
    text: str
    features: dict[str, float]


def _view(title: str | None, text: str) -> _View:
    title = title or ""
    core = _TITLE_TAIL.sub("", _TITLE_LABEL.sub("", title.strip()))
    core = _TITLE_TAIL.sub("", core)
    if issued := _ISSUED.search(core):  # 关于印发《…实施方案》的通知 is the plan it issues
        core = _TITLE_TAIL.sub("", issued.group("name"))
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    uncited = _CITED.sub("", text)
    head = _CITED.sub("", "\n".join(_head_lines(lines)))
    return _View(
        title=_CITED.sub("", core),
        title_core=core,
        head=head,
        tail="\n".join(lines[-3:]),
        headings="\n".join(line for line in lines if _NUMBERED.match(line) and len(line) <= 40),
        salutations=[line[:-1] for line in lines[:12] if line[-1] in ":：" and len(line) <= 60],
        text=uncited,
        features={"table_share": table_share(lines), "signed": float(_signed(lines)),
                  "long_text": float(len(text) >= LONG_TEXT)},
    )


def _head_lines(lines: list[str]) -> list[str]:
    taken, size = [], 0
    for line in lines:
        if size >= HEAD_CHARS:
            break
        taken.append(line)
        size += len(line)
    return taken


def table_share(lines: list[str]) -> float:
    """The share of the lines that are rows of a data table: two or more short cells (not the
    label rows of a government page's info box). Rows after an 附件 line count half: they are
    the attachment of a paper written above them."""
    if not lines:
        return 0.0
    rows, weight = 0.0, 1.0
    for line in lines:
        if _ATTACHMENT.match(line):
            weight = 0.5
        if "|" not in line and "\t" not in line:
            continue  # no cell boundary: no row (most lines; the split is the cost)
        cells = [cell for cell in _CELL.split(line) if cell]
        if len(cells) >= 2 and max(len(cell) for cell in cells) <= 30 and not _META_LABEL.match(cells[0]):
            rows += weight
    return rows / len(lines)


def _signed(lines: list[str]) -> bool:
    """A 落款: a line that is only a date, under a short line that names an organ."""
    return any(len(line) <= _DATE_LINE_MAX and "年" in line and _DATE_LINE.fullmatch(_SPACES.sub("", line))
               and _ORGAN.search(previous) for previous, line in zip(lines, lines[1:]))


def _hits(cue: Cue, view: _View) -> float:
    where = cue.where
    if where == "prior":
        return 1.0
    if where == "feature":
        return view.features[cue.feature]
    if where == "salutation":
        return float(any(cue.pattern.fullmatch(line) for line in view.salutations))
    if where == "title_end":
        return float(bool(view.title_core and cue.pattern.search(view.title_core)))
    place = {"title": view.title, "head": view.head, "tail": view.tail, "heading": view.headings,
             "lines": view.text, "text": view.text}[where]
    if where in ("text", "lines", "heading"):
        return float(min(len(cue.pattern.findall(place)), cue.cap))
    return float(bool(cue.pattern.search(place)))


def doc_type_scores(title: str | None, text: str) -> dict[str, float]:
    view = _view(title, text)
    scores = dict.fromkeys(KINDS, 0.0)
    for cue in cues():
        scores[cue.doc_type] += cue.weight * _hits(cue, view)
    return scores


def classify_doc_type(title: str | None, text: str) -> str:
    scores = doc_type_scores(title, text)
    return max(KINDS, key=lambda kind: (scores[kind], -KINDS.index(kind)))

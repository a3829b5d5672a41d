"""The records passed between pipeline stages.

A file becomes a `Document` in `ingest`; later stages read it and return what they add
(`Region`, `Figure`, `MeasureHit`), and `process` puts the pieces together. Every offset
(`start`, `end`) is a Python string index into `Document.text`, the cleaned text we store.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Block:
    """A paragraph (`text`) or a table (`rows` of cell strings) as a reader found it."""

    text: str = ""
    rows: list[list[str]] | None = None

    @property
    def is_table(self) -> bool:
        return self.rows is not None


@dataclass
class RawDocument:
    """What a format reader returns: blocks in reading order plus hints from the file."""

    format: str  # html | pdf | docx | txt
    blocks: list[Block]
    page_meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Cell:
    text: str
    start: int
    end: int


@dataclass
class Table:
    """A table as rows of cells; each cell's offsets point into the document text."""

    rows: list[list[Cell]]
    start: int
    end: int
    caption: str | None = None  # the line just before the table (表1 …, 单位：万元)


@dataclass
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = None
    level: str | None = None  # province | city | county
    mentioned_as: str | None = None


@dataclass
class Figure:
    metric: str
    value: float
    unit: str
    text: str
    start: int
    end: int
    previous: float | None = None
    level: str | None = None
    year: int | None = None
    status: str = "actual"
    qualifier: str | None = None


@dataclass
class Evidence:
    text: str
    start: int
    end: int


@dataclass
class MeasureHit:
    measure: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Document:
    source: str
    sha256: str
    text: str
    format: str  # html | pdf | docx | txt
    title: str | None = None
    date: str | None = None
    issuer: str | None = None
    tables: list[Table] = field(default_factory=list)
    # Hints read from the file itself (HTML meta, PDF info) that metadata may weigh.
    page_meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    doc_type: str | None = None
    balance_stage: str | None = None
    region: Region = field(default_factory=Region)
    figures: list[Figure] = field(default_factory=list)
    measures: list[MeasureHit] = field(default_factory=list)
    measure_model: str | None = None  # version of the classifier that produced `measures`

    def to_record(self) -> dict:
        """The public JSON shape of CONTRACT.md (`extract`)."""
        return {
            "source": self.source,
            "sha256": self.sha256,
            "title": self.title,
            "date": self.date,
            "issuer": self.issuer,
            "doc_type": self.doc_type,
            "balance_stage": self.balance_stage,
            "region": asdict(self.region),
            "text_chars": len(self.text),
            "figures": [_figure_record(f) for f in self.figures],
            "measures": [asdict(m) for m in self.measures],
            "warnings": list(self.warnings),
        }


def _figure_record(figure: Figure) -> dict:
    record = asdict(figure)
    for key in ("value", "previous"):
        number = record[key]
        if isinstance(number, float) and number.is_integer():
            record[key] = int(number)
    return record

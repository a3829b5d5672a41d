"""Path → fully extracted Document: the one function `ingest` and `extract` share."""
from __future__ import annotations

from hashlib import sha256
from pathlib import Path

from junheng import ingest, regions
from junheng.text import clean
from junheng.figures import extract as figures
from junheng.measures import tagger as measures
from junheng.metadata import fields as metadata
from junheng.text import traditional
from junheng.document import Document


def extract_path(path: str | Path, max_bytes: int = ingest.DEFAULT_MAX_BYTES) -> Document:
    """Read and extract one file; raises ingest.IngestError with the reason if it cannot."""
    path = Path(path)
    data = ingest.read_path(path, max_bytes)
    return extract_bytes(data, str(path), path.suffix)


def extract_bytes(data: bytes, source: str, suffix: str = "") -> Document:
    raw = ingest.read_bytes(data, suffix)
    doc = clean.build_document(raw, source, sha256(data).hexdigest())
    if not doc.text.strip():
        raise ingest.IngestError("no text found in the file")
    return enrich(doc)


# What the stages set on the Document they read.
_FOUND = ("title", "date", "issuer", "doc_type", "balance_stage", "region", "figures", "measures", "measure_model")


def enrich(doc: Document) -> Document:
    """Run the extraction stages over a Document's text (also used by `reprocess`).

    They read the text's simplified reading (traditional characters converted, pinyin
    annotations dropped) so that their patterns, lexicons and gazetteer, all simplified,
    apply; figures and evidence are then pointed back at the stored text, which stays what
    the file said. Title, issuer and region come out simplified, as the filters expect."""
    view = traditional.reading(doc.text)
    work = doc if view.plain else traditional.simplified_document(doc, view)
    _run_stages(work)
    if work is not doc:
        for name in _FOUND:
            setattr(doc, name, getattr(work, name))
        traditional.restore_offsets(doc, view)
    return doc


def _run_stages(doc: Document) -> None:
    meta = metadata.describe(doc)
    doc.title, doc.date, doc.issuer = meta.title, meta.date, meta.issuer
    doc.doc_type, doc.balance_stage = meta.doc_type, meta.balance_stage
    doc.region = regions.resolve(doc.text, title=doc.title, issuer=doc.issuer)
    doc.figures = figures.extract_figures(doc)
    doc.measures = measures.classify(doc)
    doc.measure_model = measures.model_version()

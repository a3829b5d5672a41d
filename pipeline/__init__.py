"""junheng (均衡): Chinese county education reports in, a comparison database out.

The Python API, for notebooks::

    import junheng
    doc = junheng.extract("corpus/reports/report.html")   # the record of `junheng extract`
    doc.region, doc.figures[:3]
    db = junheng.open("junheng.db")                        # the database's readers
    db.search("县管校聘", region="黑龙江").to_pandas()

Everything else in the package is internal. Stages, one folder each and one way down:
ingest (file) → text → metadata, regions, figures, measures (what it says) → store
(database) → analysis, outputs (answers); evaluation scores them against gold.
"""
from __future__ import annotations

__all__ = ["extract", "open", "Database", "Document", "Records"]

_API = {"extract": "junheng.api", "open": "junheng.api", "Database": "junheng.api", "Records": "junheng.api",
        "Document": "junheng.document"}


def __getattr__(name: str):
    """The API's names, imported when first used so `import junheng` stays fast."""
    if name not in _API:
        raise AttributeError(f"module 'junheng' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

"""The Python API behind `junheng.extract` and `junheng.open` (see the package docstring).

Each reader calls the library function its command calls and returns `Records`: a list of
plain dicts, the rows the command prints as JSON, with `.to_pandas()`.
"""
from __future__ import annotations

from pathlib import Path

from junheng.document import Document

PANDAS_MISSING = 'to_pandas() needs pandas: pip install "junheng[pandas]"'


class Records(list):
    """A list of records (dicts), one per row, as the command's JSON output has them."""

    def to_pandas(self):
        """The records as a pandas DataFrame (columns in the records' order)."""
        try:
            import pandas
        except ImportError as exc:
            raise ImportError(PANDAS_MISSING) from exc
        columns: dict[str, None] = {}
        for record in self:
            columns.update(dict.fromkeys(record))
        return pandas.DataFrame(list(self), columns=list(columns))


def extract(path: str | Path) -> Document:
    """The record of one report file, as `junheng extract FILE` prints it, without a database:
    its text, metadata, region, figures and measures (`Document.to_record()` is the JSON)."""
    from junheng.process import extract_path

    return extract_path(path)


def open(db_path: str | Path) -> "Database":  # noqa: A001  (junheng.open, as the issue names it)
    """The readers of an existing database (see `Database`); older schemas are migrated."""
    return Database(db_path)


def _codes(region: str | list[str] | None) -> list[str] | None:
    """The codes of a region name or code (or several), with every unit under it; None: all."""
    from junheng.regions import codes_for_filter

    if region is None:
        return None
    names = [region] if isinstance(region, str) else list(region)
    return sorted({code for name in names for code in codes_for_filter(name)})


class Database:
    """The readers of a junheng database: the commands `search`, `figures`, `measures`,
    `compare`, `trend` and `conflicts` as methods returning `Records`. A region is a name or
    code at any level (黑龙江, 七台河, 230900) and takes in every unit within it."""

    def __init__(self, db_path: str | Path):
        from junheng.store.database import open_db

        self.path = str(db_path)
        self.db = open_db(self.path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _filters(self, region=None, year=None, doc_type=None, measure=None):
        from junheng.store.search import Filters

        return Filters(region_codes=_codes(region), year=year, doc_type=doc_type, measure=measure)

    def search(self, query: str = "", region=None, year: int | None = None, doc_type: str | None = None,
               measure: str | None = None, limit: int = 20) -> Records:
        """Documents containing the query (`junheng search`'s language), best first."""
        from junheng.store.search import search_documents

        filters = self._filters(region, year, doc_type, measure)
        return Records(search_documents(self.db, query, filters, limit=limit))

    def figures(self, metric: str | None = None, region=None, year: int | None = None, doc_type: str | None = None,
                level: str | None = None, status: str | None = None) -> Records:
        """One row per stored figure with its document and region (`junheng figures`)."""
        from junheng.outputs.export import figure_listing

        filters = self._filters(region, year, doc_type)
        return Records(figure_listing(self.db, filters, metric=metric, level=level, status=status))

    def measures(self, region=None, year: int | None = None, doc_type: str | None = None) -> Records:
        """Each measure with how many documents and regions report it (`junheng measures`)."""
        from junheng.outputs.export import measure_summary

        return Records(measure_summary(self.db, self._filters(region, year, doc_type)))

    def compare(self, metrics: list[str] = (), measures: list[str] = (), region=None, year: int | None = None,
                level: str | None = None, status: str = "actual", standard: str | None = None,
                long: bool = False) -> Records:
        """Regions side by side (`junheng compare`): one record per region (`long`: per cell)."""
        from junheng.analysis.marks import compare_marked

        table = compare_marked(self.db, list(metrics), list(measures), _codes(region), year, level, status, standard)
        return Records(table.long() if long else table.wide())

    def trend(self, metric: str, region=None, level: str | None = None) -> Records:
        """A metric's values by year from every document that states them (`junheng trend`)."""
        from junheng.analysis.trend import trend

        return Records(trend(self.db, metric, _codes(region), level))

    def conflicts(self, region=None, metric: str | None = None) -> Records:
        """Figures two reports state differently (`junheng conflicts`)."""
        from junheng.analysis.conflicts import conflicts

        return Records(conflicts(self.db, _codes(region), metric))

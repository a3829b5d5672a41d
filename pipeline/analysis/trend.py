"""A metric's values over the years, from every document that states them.

Each point is one stored figure with its document (source, title, date) and the sentence it
stands in, so a reader can check it. Reposts (`duplicate_of` set) are left out: a report
counts once. Actual and target figures stay apart (the `status` of each point, and the sort
order). `figure_points` is the shared read that `conflicts` uses too.
"""
from __future__ import annotations

from junheng.text.sentences import split_sentences

_STATUS_ORDER = {"actual": 0, "target": 1}
_POINT_SQL = """
SELECT f.document_id, f.metric, f.value, f.previous, f.unit, f.level, f.year, f.status, f.qualifier,
       f.text, f.start, f."end", d.source, d.title, d.date, d.doc_type, d.region_code,
       coalesce(d.county, d.city, d.province) AS region
FROM figures f JOIN documents d ON d.id = f.document_id
WHERE d.duplicate_of IS NULL AND d.region_code IS NOT NULL
"""


def figure_points(db, metrics: list[str] | None = None, region_codes: list[str] | None = None,
                  level: str | None = None) -> list[dict]:
    """Stored figures of original documents (no reposts), each with its document and sentence."""
    sql, params = _POINT_SQL, []
    for column, values in (("f.metric", metrics), ("d.region_code", region_codes)):
        if values is not None:
            sql += f" AND {column} IN ({', '.join('?' * len(values)) or 'NULL'})"
            params.extend(values)
    if level:
        sql += " AND f.level = ?"
        params.append(level)
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    points = [dict(zip(names, row)) for row in cursor.fetchall()]
    documents: dict[int, tuple] = {}  # each document's text is split once
    for point in points:
        if point["document_id"] not in documents:
            text = db.execute("SELECT text FROM documents WHERE id = ?", [point["document_id"]]).fetchone()[0]
            documents[point["document_id"]] = (text, split_sentences(text))
        point["sentence"] = _sentence(*documents[point["document_id"]], point["start"], point["end"])
    return points


def trend(db, metric: str, region_codes: list[str] | None = None, level: str | None = None) -> list[dict]:
    """The metric's points for the regions, by region, level, qualifier, status, then year."""
    points = figure_points(db, [metric], region_codes, level)
    points.sort(key=lambda p: (p["region_code"], p["level"] or "", p["qualifier"] or "",
                               _STATUS_ORDER.get(p["status"], 2), p["year"] is None, p["year"] or 0,
                               p["date"] or "", p["document_id"], p["start"]))
    return [_trend_record(point) for point in points]


def _trend_record(point: dict) -> dict:
    keys = ("region_code", "region", "metric", "level", "qualifier", "status", "year", "value", "previous",
            "unit", "text", "sentence", "source", "title", "date", "doc_type")
    return {key: plain_number(point[key]) for key in keys}


def plain_number(value):
    """Whole floats print as integers (18, not 18.0), as in `extract`."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _sentence(text: str, spans, start: int, end: int) -> str:
    """The sentence (or table row) of the stored text that holds the figure, else its line."""
    for span in spans:
        if span.start <= start and end <= span.end:
            return span.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start:line_end if line_end >= 0 else len(text)].strip()

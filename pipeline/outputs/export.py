"""Tables for analysts: tidy exports of the database and the binary writers (xlsx, parquet).

`export_table` gives one flat record per figure, measure, document or region, each with its
document's source, title, date and region, so a spreadsheet or a data frame needs no joins.
Text formats (table, json, jsonl, csv) go through `junheng.outputs.output`; `write_binary` writes
xlsx (openpyxl) and parquet (pyarrow). Chinese text stays as it is in every format.
"""
from __future__ import annotations

import json
from pathlib import Path

from junheng.store.search import Filters
from junheng.store.database import region_record

# What `--format table` shows of each (the other formats have every column).
TABLE_COLUMNS = {
    "figures": ["date", "county", "metric_name", "level", "year", "status", "value", "unit", "qualifier", "text"],
    "measures": ["date", "county", "title", "measure_name", "score"],
    "documents": ["date", "province", "city", "county", "doc_type", "figures", "reposts", "title"],
    "regions": ["region_code", "province", "city", "county", "documents", "first_date", "last_date", "figures",
                "measures"],
}

_DOCUMENT = ("d.source, d.sha256, d.title, d.date, d.doc_type, d.region_code, d.province, d.city, "
             "d.county, d.region_level")
_QUERIES = {
    "figures": f"""SELECT {_DOCUMENT}, f.metric, f.value, f.previous, f.unit, f.level, f.year, f.status,
                   f.qualifier, f.text, f.start, f."end" FROM figures f JOIN documents d ON d.id = f.document_id
                   WHERE {{where}} ORDER BY d.region_code, d.date, d.id, f.start, f.id""",
    "measures": f"""SELECT {_DOCUMENT}, m.measure, m.score, m.evidence FROM measures m
                    JOIN documents d ON d.id = m.document_id WHERE {{where}}
                    ORDER BY d.region_code, d.date, d.id, m.score DESC""",
    "documents": f"""SELECT {_DOCUMENT}, d.issuer, d.balance_stage, d.mentioned_as, d.format, d.text_chars,
                     (SELECT count(*) FROM figures f WHERE f.document_id = d.id) AS figures,
                     (SELECT group_concat(m.measure, ',') FROM measures m WHERE m.document_id = d.id) AS measures,
                     (SELECT count(*) FROM documents r WHERE r.duplicate_of = d.id) AS reposts
                     FROM documents d WHERE {{where}} ORDER BY d.region_code, d.date, d.id""",
    "regions": """SELECT d.region_code, d.province, d.city, d.county, d.region_level, count(*) AS documents,
                  min(d.date) AS first_date, max(d.date) AS last_date,
                  (SELECT count(*) FROM figures f JOIN documents e ON e.id = f.document_id
                   WHERE e.region_code = d.region_code AND e.duplicate_of IS NULL) AS figures,
                  (SELECT count(DISTINCT m.measure) FROM measures m JOIN documents e ON e.id = m.document_id
                   WHERE e.region_code = d.region_code AND e.duplicate_of IS NULL) AS measures
                  FROM documents d WHERE {where} AND d.region_code IS NOT NULL
                  GROUP BY d.region_code ORDER BY d.region_code""",
}


def export_table(db, table: str, filters: Filters, metric: str | None = None, level: str | None = None,
                 status: str | None = None) -> list[dict]:
    """The tidy rows of `table` (figures, measures, documents or regions) for the documents that
    pass `filters` (never reposts); `metric`, `level` and `status` narrow the figures table."""
    where, params = filters.sql()
    if table == "figures":
        for column, value in (("f.metric", metric), ("f.level", level), ("f.status", status)):
            if value:
                where += f" AND {column} = ?"
                params.append(value)
    cursor = db.execute(_QUERIES[table].format(where=where), params)
    names = [column[0] for column in cursor.description]
    return [_tidy(table, dict(zip(names, row))) for row in cursor.fetchall()]


def _tidy(table: str, row: dict) -> dict:
    from junheng.analysis.compare import measure_vocabulary, metric_vocabulary

    if table == "figures":
        row = _insert_after(row, "metric", "metric_name", metric_vocabulary().get(row["metric"], {}).get("name_zh"))
        for key in ("value", "previous"):
            if isinstance(row[key], float) and row[key].is_integer():
                row[key] = int(row[key])
    elif table == "measures":
        row = _insert_after(row, "measure", "measure_name",
                            measure_vocabulary().get(row["measure"], {}).get("name_zh"))
        # Evidence sentences one a line: a spreadsheet cell shows them as written.
        row["evidence"] = "\n".join(e["text"] for e in json.loads(row["evidence"] or "[]"))
    return row


def _insert_after(row: dict, anchor: str, key: str, value) -> dict:
    items = list(row.items())
    position = [k for k, _ in items].index(anchor) + 1
    return dict(items[:position] + [(key, value)] + items[position:])


# ---------------------------------------------------------------- binary writers


def write_binary(records: list[dict], fmt: str, path: str | Path) -> None:
    """Write flat records as xlsx or parquet; columns in first-seen order."""
    columns: list[str] = []
    for record in records:
        columns.extend(key for key in record if key not in columns)
    {"xlsx": write_xlsx, "parquet": write_parquet}[fmt](records, columns, Path(path))


def write_xlsx(records: list[dict], columns: list[str], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("junheng")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns):
        width = max([_width(column)] + [_width(r.get(column)) for r in records[:200]])
        sheet.column_dimensions[_column_letter(index)].width = min(60, width + 2)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for record in records:
        sheet.append([_xlsx_cell(sheet, record.get(column)) for column in columns])
    workbook.save(path)


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # text that starts with = stays text, never a formula
    return cell


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _width(value) -> int:
    from junheng.outputs.width import display_width

    text = "" if value is None else str(value).split("\n")[0]
    return display_width(text)


def write_parquet(records: list[dict], columns: list[str], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays, fields = [], []
    for column in columns:
        values = [record.get(column) for record in records]
        kind = _arrow_type(values)
        if kind == pa.string():
            values = [None if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                      for v in values]
        arrays.append(pa.array(values, type=kind))
        fields.append(pa.field(column, kind))
    pq.write_table(pa.Table.from_arrays(arrays, schema=pa.schema(fields)), path)


def _arrow_type(values: list):
    """One type per column: bool, int64, float64 (ints and floats together) or else string."""
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if kinds == {bool}:
        return pa.bool_()
    if kinds == {int}:
        return pa.int64()
    if kinds and kinds <= {int, float}:
        return pa.float64()
    return pa.string()


# ---------------------------------------------------------------- the listing commands


def figure_listing(db, filters: Filters, metric: str | None = None, level: str | None = None,
                   status: str | None = None) -> list[dict]:
    """`junheng figures`: one record per figure, shaped as CONTRACT.md says (the document's
    source, sha256, title, date and region, then the figure's fields as in `extract`)."""
    records = []
    for row in export_table(db, "figures", filters, metric=metric, level=level, status=status):
        figure = {key: row[key] for key in ("metric", "metric_name", "value", "previous", "unit", "level", "year",
                                            "status", "qualifier", "text", "start", "end")}
        records.append({"source": row["source"], "sha256": row["sha256"], "title": row["title"],
                        "date": row["date"], "region": region_record(row), **figure})
    return records


def measure_summary(db, filters: Filters) -> list[dict]:
    """`junheng measures`: every measure of the vocabulary with how many documents and
    counties (regions) report it, most widespread first."""
    from junheng.analysis.compare import measure_vocabulary

    where, params = filters.sql()
    counts = {measure: (documents, regions) for measure, documents, regions in db.execute(
        f"""SELECT m.measure, count(DISTINCT d.id), count(DISTINCT d.region_code) FROM measures m
            JOIN documents d ON d.id = m.document_id WHERE {where} GROUP BY m.measure""", params)}
    rows = [{"measure": measure, "name_zh": info.get("name_zh"), "documents": counts.get(measure, (0, 0))[0],
             "regions": counts.get(measure, (0, 0))[1]} for measure, info in measure_vocabulary().items()]
    return sorted(rows, key=lambda row: (-row["documents"], row["measure"]))

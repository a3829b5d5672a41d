"""`junheng serve`: the database in Datasette, read-only, with readable labels and Chinese search.

Labels, facets, sorts and the canned queries are in data/datasette_metadata.json. Datasette
cannot search the index on its own: documents_fts holds character bigrams (see search.py),
and Datasette's `_search` quotes each word of the query, which finds nothing in such an
index. So this module is also a small Datasette plugin, registered in-process, that gives
SQL the same search as `junheng search`:

- junheng_match(q): the FTS5 expression of the query; junheng_contains(text, q): the literal
  check every hit must pass; junheng_snippet(text, q): the text around the hit. The canned
  query `search` ranks with them by bm25;
- the documents table's Search box runs the same search (duplicates left out), so the
  table's facets narrow the hits;
- junheng_compare(preset, standard): the cells `junheng compare --preset P --standard S`
  marks, as a JSON array of its --long records (each with its region's counts), computed by
  junheng.analysis.marks from the same standards; the canned queries compare_quality and
  compare_basic show them one row a cell;
- every connection to the database file is query_only, on top of Datasette's read-only
  (mode=ro) connections. Not immutable mode: that would ignore the write-ahead log, and so
  miss documents an interrupted or concurrent `junheng ingest` has committed.
"""
from __future__ import annotations

import json
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path

from datasette import hookimpl
from markupsafe import Markup

from junheng.store.search import fts_expression, matches, parse_query, snippet

PLUGIN_NAME = "junheng"
_METADATA_KEY = "junheng"  # the database's key in datasette_metadata.json
_NO_MATCH = '""'  # an FTS5 expression that matches nothing (an empty one is a syntax error)
SETTINGS = {"truncate_cells_html": 160, "suggest_facets": False}

# Column descriptions fit in a short scrolling box above the rows; a document's text keeps its
# line breaks and tab-separated table rows; long cells wrap instead of stretching the table.
_STYLESHEET = """
dl.column-descriptions { display: grid; grid-template-columns: max-content 1fr; gap: 0 1em;
  max-height: 11em; overflow-y: auto; font-size: 0.85em; }
dl.column-descriptions dd { margin: 0; }
td.col-text { white-space: pre-wrap; line-height: 1.7; }
body.table-documents td.col-text, body.query td.col-snippet { min-width: 24em; }
body.query td.col-title { min-width: 14em; }
body.query td.col-text { min-width: 18em; }
td.col-date, td.col-kind { white-space: nowrap; }
body.row table.rows-and-columns { display: grid; grid-auto-flow: column;
  grid-template-columns: max-content minmax(0, 56em); }
body.row .rows-and-columns thead, body.row .rows-and-columns tbody,
body.row .rows-and-columns tr { display: contents; }
"""


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve the database read-only until interrupted (Ctrl-C)."""
    import asyncio

    import uvicorn

    datasette = build_datasette(db_path)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")


def build_datasette(db_path: str | Path):
    """A Datasette instance on the database file, with junheng's metadata and plugin."""
    from datasette.app import Datasette

    register_plugin()
    path = Path(db_path)
    # Datasette names a database after its file's stem (junheng.db → /junheng).
    return Datasette(files=[str(path)], metadata=datasette_metadata(path.stem), settings=SETTINGS)


def register_plugin() -> None:
    """Register this module's hooks with Datasette (once per process)."""
    from datasette.plugins import pm

    if pm.get_plugin(PLUGIN_NAME) is None:
        pm.register(sys.modules[__name__], name=PLUGIN_NAME)


def datasette_metadata(database_name: str) -> dict:
    """data/datasette_metadata.json, its database section filed under `database_name`."""
    from datasette.utils import tilde_encode

    text = (resources.files("junheng") / "data" / "datasette_metadata.json").read_text(encoding="utf-8")
    metadata = json.loads(text)
    database = metadata["databases"].pop(_METADATA_KEY)
    database["description_html"] = database["description_html"].replace("{database}", tilde_encode(database_name))
    metadata["databases"][database_name] = database
    return metadata


@lru_cache(maxsize=64)
def _parsed(query_text: str):
    return parse_query(query_text)


def match_expression(query_text: str | None) -> str:
    """junheng_match(q): the FTS5 MATCH expression `junheng search` uses for q."""
    return fts_expression(_parsed(query_text or "")) or _NO_MATCH


def contains(text: str | None, query_text: str | None) -> int:
    """junheng_contains(text, q): 1 when text satisfies q literally (terms, phrases, exclusions)."""
    return int(matches(_parsed(query_text or ""), text or ""))


def query_snippet(text: str | None, query_text: str | None) -> str:
    """junheng_snippet(text, q): the text around the first hit, the hit in 【】."""
    return snippet(text or "", _parsed(query_text or ""))


def compare_marks(conn, preset: str, standard: str) -> str:
    """junheng_compare(preset, standard): the marked cells of that comparison, as JSON."""
    from junheng.analysis.marks import marked_cells

    return json.dumps(marked_cells(conn, preset, standard), ensure_ascii=False)


@hookimpl
def prepare_connection(conn, database, datasette):
    conn.create_function("junheng_match", 1, match_expression, deterministic=True)
    conn.create_function("junheng_compare", 2, lambda preset, standard: compare_marks(conn, preset, standard))
    conn.create_function("junheng_contains", 2, contains, deterministic=True)
    conn.create_function("junheng_snippet", 2, query_snippet, deterministic=True)
    if datasette.get_database(database).path:  # Datasette's own in-memory databases stay writable
        conn.execute("PRAGMA query_only = 1")


@hookimpl(trylast=True)  # last, so its extra_context (supports_search) wins over Datasette's own
def filters_from_request(request, database, table, datasette):
    """The documents table's Search box: `junheng search` semantics, duplicates left out."""
    from datasette.filters import FilterArguments

    if table != "documents":
        return None
    query_text = request.args.get("_search", "").strip()
    context = {"supports_search": True, "search": query_text}
    if not query_text:
        return FilterArguments([], extra_context=context)
    where = ["duplicate_of IS NULL", "junheng_contains(text, :junheng_q)"]
    if fts_expression(_parsed(query_text)):  # else (only -exclusions) the literal check alone decides
        where.insert(0, "id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH junheng_match(:junheng_q))")
    return FilterArguments(where, {"junheng_q": query_text}, [f"正文包含 text contains “{query_text}”"], context)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """In query results, a title beside a document_id links to that document's page."""
    if table is None and column == "title" and value and "document_id" in row.keys():
        return Markup('<a href="{}">{}</a>').format(
            datasette.urls.row(database, "documents", str(row["document_id"])), value)
    return None


@hookimpl
def register_routes():
    return [(r"^/-/junheng\.css$", _stylesheet)]


async def _stylesheet(datasette):
    """The static rules, and per table the grid that shows a row page as name/value lines."""
    from datasette.utils import to_css_class
    from datasette.utils.asgi import Response

    rules = [_STYLESHEET]
    for database in datasette.databases.values():
        if database.path:
            for table in await database.table_names():
                columns = len(await database.table_columns(table))
                rules.append(f"body.row.table-{to_css_class(table)} table.rows-and-columns "
                             f"{{ grid-template-rows: repeat({columns}, auto); }}")
    return Response("\n".join(rules), content_type="text/css; charset=utf-8")

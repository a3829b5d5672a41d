"""Chinese full-text search with substring semantics.

The index holds overlapping character bigrams of every run of Chinese characters, digits and
(lower-cased) Latin letters, so any query string is a phrase of bigrams: 劝返 finds 劝返复学,
县管校聘 is found however a word segmenter would have split it, and 20 finds 2019. A word of 4+
characters asks FTS5 for every other bigram at their distance instead (NEAR, faster). Hits
are then checked against the stored text, so a result always contains the query literally.

Documents are indexed and checked in their simplified reading (pipeline/text/traditional.py), and
a term typed in traditional characters is also looked for in simplified: 县管校聘 and 縣管校聘
find each other.

The query language is the CONTRACT's own (terms, "phrases", -exclusions, OR); user text is
turned into quoted FTS5 bigrams and never reaches FTS5 as syntax.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from junheng.text.clean import normalise
from junheng.store.database import region_record
from junheng.store.tokens import _RUN, _tokens
from junheng.text.traditional import reading, simplified

_SNIPPET_RADIUS = 36


@dataclass
class Query:
    """All of `groups` must match (each group: any of its terms); no term of `excluded` may."""

    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def parse_query(text: str | None) -> Query:
    query = Query()
    words = _split_words(text or "")
    index = 0
    while index < len(words):
        word, quoted = words[index]
        if not quoted and word.startswith("-") and len(word) > 1:
            query.excluded.append(word[1:])
        elif not quoted and word == "OR" and query.groups and index + 1 < len(words):
            index += 1
            query.groups[-1].append(words[index][0])
        elif word:
            query.groups.append([word])
        index += 1
    # Terms are normalised like the stored text (full-width digits, spaces beside Chinese).
    query.groups = [_with_simplified([normalise(t) for t in group if normalise(t)]) for group in query.groups]
    query.groups = [group for group in query.groups if group]
    query.excluded = _with_simplified([normalise(t) for t in query.excluded if normalise(t)])
    return query


def _with_simplified(terms: list[str]) -> list[str]:
    """Each term, followed by its simplified form where that differs. The term itself stays:
    a simplified page keeps the few characters t2s would change (乾屯 stays 乾屯)."""
    return list(dict.fromkeys(form for term in terms for form in (term, simplified(term))))


def _split_words(text: str) -> list[tuple[str, bool]]:
    """Words and "quoted phrases" (an unbalanced quote is taken literally)."""
    try:
        lexer = shlex.shlex(text, posix=True)
        lexer.whitespace_split = True
        lexer.quotes = '"'
        lexer.escape = ""
        lexer.commenters = ""
        words = list(lexer)
    except ValueError:
        return [(word, False) for word in text.split()]
    quoted_parts = set(re.findall(r'"([^"]*)"', text))
    return [(word, word in quoted_parts) for word in words]


def fts_expression(query: Query) -> str | None:
    """The FTS5 MATCH expression for the positive part of `query`, or None if it has none."""
    parts = []
    for group in query.groups:
        phrases = [_phrase(term) for term in group]
        phrases = [p for p in phrases if p]
        if not phrases:
            continue  # punctuation-only terms are checked against the text instead
        parts.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
    return " AND ".join(parts) or None


def _phrase(term: str) -> str | None:
    tokens = _tokens(term)
    if not tokens:
        return None
    if len(tokens) == 1 and len(tokens[0]) == 1:
        return f'"{tokens[0]}"*'  # one character: any bigram starting with it
    runs = _RUN.findall(term.lower())
    if len(runs[-1]) > 1:
        tokens = tokens[:-1]  # a run's closing unigram is only there for one-character queries
    if len(runs) == 1 and len(tokens) >= 3:
        return _near_cover(tokens)
    return '"' + " ".join(tokens) + '"'


def _near_cover(bigrams: list[str]) -> str:
    """One word of 4+ characters as every other bigram, kept at their distance: 交流轮岗 as
    NEAR("交流" "轮岗", 1). Every document with the phrase matches, and the few others are
    dropped by the literal check; with two such words a query took a fifth less time than
    with their full phrases (100,000 documents, benchmarks/RESULTS.md)."""
    cover = bigrams[::2] if len(bigrams) % 2 else bigrams[::2] + bigrams[-1:]
    return "NEAR(" + " ".join(f'"{bigram}"' for bigram in cover) + f", {len(bigrams) - 2})"


def matches(query: Query, text: str) -> bool:
    """The literal check: every group has a term in `text`'s simplified reading, no excluded
    term is in it. A text that has every group as it is written has them in its reading too
    (each group holds its terms' simplified forms as well), so without exclusions the reading
    is made only when the text as written fails (most hits are simplified pages)."""
    if not query.excluded and _has_groups(query, text.lower()):
        return True
    folded = simplified(text).lower()
    return _has_groups(query, folded) and not any(term.lower() in folded for term in query.excluded)


def _has_groups(query: Query, folded: str) -> bool:
    return all(any(term.lower() in folded for term in group) for group in query.groups)


def snippet(text: str, query: Query, radius: int = _SNIPPET_RADIUS) -> str:
    """The text around the first hit, as stored: a hit found in the simplified reading is
    marked where the stored text has it (縣管校聘 marked for 县管校聘)."""
    view = reading(text)
    folded = view.text.lower()
    hits = [(folded.find(term.lower()), term) for group in query.groups for term in group]
    hits = [(position, term) for position, term in hits if position >= 0]
    if not hits:
        return _flatten(text[: 2 * radius]) + ("…" if len(text) > 2 * radius else "")
    position, term = min(hits)
    position, hit_end = view.span(position, position + len(term))
    start = max(0, position - radius)
    end = min(len(text), hit_end + radius)
    marked = text[start:position] + "【" + text[position:hit_end] + "】" + text[hit_end:end]
    return ("…" if start else "") + _flatten(marked) + ("…" if end < len(text) else "")


def _flatten(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@dataclass
class Filters:
    region_codes: list[str] | None = None
    year: int | None = None
    doc_type: str | None = None
    measure: str | None = None

    @property
    def narrowing(self) -> bool:
        """Whether anything beyond "not a repost" is asked for."""
        return self.region_codes is not None or self.year is not None or bool(self.doc_type or self.measure)

    def is_empty(self) -> bool:
        return self.region_codes is None and self.year is None and not self.doc_type and not self.measure

    def sql(self) -> tuple[str, list]:
        clauses, params = ["d.duplicate_of IS NULL"], []
        if self.region_codes is not None:
            clauses.append(f"d.region_code IN ({', '.join('?' * len(self.region_codes)) or 'NULL'})")
            params.extend(self.region_codes)
        if self.year is not None:
            clauses.append("substr(d.date, 1, 4) = ?")
            params.append(str(self.year))
        if self.doc_type:
            clauses.append("d.doc_type = ?")
            params.append(self.doc_type)
        if self.measure:
            # From the index on measure: a correlated EXISTS read every document's measure rows.
            clauses.append("d.id IN (SELECT m.document_id FROM measures m WHERE m.measure = ?)")
            params.append(self.measure)
        return " AND ".join(clauses), params


_COLUMNS = ("d.id, d.source, d.sha256, d.title, d.date, d.doc_type, d.province, d.city, d.county, "
            "d.region_code, d.region_level, d.mentioned_as, d.text")
_NAMES = [column.split(".")[-1] for column in _COLUMNS.split(", ")]
_FIRST_PAGE = 50  # candidates read at a time (then 4× more): one page is enough for a usual query


def search_documents(db, query_text: str | None, filters: Filters, limit: int = 20,
                     snippet_radius: int = _SNIPPET_RADIUS) -> list[dict]:
    """Documents matching the query and filters, best first (bm25), each with a snippet."""
    query = parse_query(query_text)
    expression = fts_expression(query)
    records = _ranked(db, expression, filters) if expression else _unranked(db, filters)
    results, ids = [], []
    for record in records:
        if not matches(query, record["text"]):
            continue
        results.append(_result(record, query, snippet_radius, rank=len(results) + 1))
        ids.append(record["id"])
        if len(results) >= limit:
            break
    if filters.measure:
        _attach_evidence(db, results, ids, filters.measure, replace_snippet=not query.groups)
    return results


_EXACT_COUNT_UP_TO = 2000  # candidates whose text is read to count the hits exactly


def count_documents(db, query_text: str | None, filters: Filters) -> tuple[int, bool]:
    """How many documents `search_documents` would find without a limit, and whether the count
    is exact. The index gives the candidates; up to _EXACT_COUNT_UP_TO of them are checked
    literally as the search does, beyond that their number is an upper bound (reading every
    text of a common term at 100,000 documents would take seconds)."""
    query = parse_query(query_text)
    expression = fts_expression(query)
    where, params = filters.sql()
    if expression:
        source = "documents_fts f JOIN documents d ON d.id = f.rowid WHERE documents_fts MATCH ? AND "
        params = [expression, *params]
    else:
        source = "documents d WHERE "
    candidates = db.execute(f"SELECT count(*) FROM {source}{where}", params).fetchone()[0]
    if not (query.groups or query.excluded):
        return candidates, True
    if candidates > _EXACT_COUNT_UP_TO:
        return candidates, False
    texts = db.execute(f"SELECT d.text FROM {source}{where}", params)
    return sum(1 for (text,) in texts if matches(query, text)), True


def _unranked(db, filters: Filters):
    """Every document passing the filters, newest first (no query terms to rank by)."""
    where, params = filters.sql()
    sql = f"SELECT {_COLUMNS}, 0.0 AS rank FROM documents d WHERE {where} ORDER BY d.date DESC, d.id"
    return (dict(zip([*_NAMES, "rank"], row)) for row in db.execute(sql, params))


def _ranked(db, expression: str, filters: Filters):
    """The documents matching `expression`, best first, read a page at a time.

    Only (id, rank) pairs go through the sort and only the first pages' rows are read: a
    common term matches most of a large collection, and sorting its rows with their text
    made a query 10× slower than the bare FTS5 query. A narrowing filter becomes a set of
    ids, read from the index on the filter columns, and bm25 scores only the matches in it:
    joining the documents table scored every match and read its text to reach duplicate_of
    (5× slower). The `+` keeps SQLite from handing the ids to FTS5 as rowid constraints,
    which would run the whole MATCH once per id."""
    where, params = filters.sql()
    candidates = "SELECT rowid AS id, bm25(documents_fts) AS rank FROM documents_fts WHERE documents_fts MATCH ?"
    candidate_params = [expression]
    if filters.narrowing:
        candidates += f" AND +rowid IN (SELECT d.id FROM documents d WHERE {where})"
        candidate_params += params
    offset, size = 0, _FIRST_PAGE
    while True:
        page = db.execute(f"{candidates} ORDER BY rank, id LIMIT ? OFFSET ?", [*candidate_params, size, offset]).fetchall()
        marks = ", ".join("?" * len(page))
        rows = {row[0]: row for row in db.execute(
            f"SELECT {_COLUMNS} FROM documents d WHERE d.id IN ({marks}) AND {where}", [*(i for i, _ in page), *params])}
        for doc_id, rank in page:
            if doc_id in rows:
                yield dict(zip([*_NAMES, "rank"], [*rows[doc_id], rank]))
        if len(page) < size:
            return
        offset, size = offset + size, size * 4


def _result(record: dict, query: Query, snippet_radius: int, rank: int) -> dict:
    return {
        "id": record["id"], "source": record["source"], "sha256": record["sha256"], "title": record["title"],
        "date": record["date"], "doc_type": record["doc_type"],
        "region": region_record(record),
        "rank": rank,
        # Significant digits, not decimals: bm25 gives a term found in most documents a tiny
        # weight (FTS5 floors its idf at 1e-6), which rounding to 0.001 turned into 0.0 for all.
        "score": float(f"{-record['rank']:.4g}") + 0.0,  # + 0.0 turns -0.0 into 0.0
        "snippet": snippet(record["text"], query, snippet_radius),
    }


def _attach_evidence(db, results: list[dict], ids: list[int], measure: str, replace_snippet: bool) -> None:
    import json

    for result, doc_id in zip(results, ids):
        row = db.execute("SELECT evidence FROM measures WHERE document_id = ? AND measure = ?",
                         [doc_id, measure]).fetchone()
        result["evidence"] = json.loads(row[0]) if row and row[0] else []
        if result["evidence"] and replace_snippet:
            result["snippet"] = result["evidence"][0]["text"]  # no query: the measure's sentence says most

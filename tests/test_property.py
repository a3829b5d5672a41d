"""Property tests: no user string breaks `search`, the query parser or the number parser."""
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run
from junheng.store import database as store
from junheng.document import Document
from junheng.text.numbers import parse_chinese, parse_number
from junheng.store.search import fts_expression, parse_query

# Strings rich in what could break a query: FTS5 syntax, quotes, dashes, CJK and symbols.
SYNTAX = list('"\'-*^():+.,%{}[]\\/') + ["OR", "AND", "NOT", "NEAR", " ", "\t", "\n", "\x00", "县管", "校聘", "劝返",
                                        "a", "Z9", "1.5%", "䷀", "〇", "ｆ", "é", "\u200b", "\ufeff", "🙂"]
USER_TEXT = st.one_of(st.text(), st.lists(st.sampled_from(SYNTAX), max_size=12).map("".join))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("property") / "small.db"
    db = store.open_db(path, create=True)
    for number, text in enumerate(["推进县管校聘改革，开展劝返复学。小学生师比19:1，巩固率98.5%。",
                                   "Ｚ9 report: 1.5% of schools; 义务教育均衡发展 (NEAR) \"quoted\" -dash"]):
        store.save_document(db, Document(source=f"doc{number}.txt", sha256=f"{number:064d}", text=text, format="txt"))
    return path, db


@FAST
@given(USER_TEXT)
def test_any_query_parses_into_a_valid_fts5_expression(small_db, text):
    _, db = small_db
    expression = fts_expression(parse_query(text))
    if expression is not None:
        db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [expression]).fetchall()


def test_a_thousand_terms_do_not_overflow_the_fts5_parser(small_db):
    _, db = small_db
    query = " ".join(f"县{n}" for n in range(500)) + " OR ".join(f"词{n}" for n in range(500))
    db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [fts_expression(parse_query(query))])


@FAST
@given(USER_TEXT)
def test_search_command_never_fails_on_any_query(small_db, text):
    path, _ = small_db
    result = run("search", "--db", path, "--format", "jsonl", "--", text)
    if not text:
        assert result.exit_code == 2  # no query and no filter: a usage error
        return
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert all(hit["source"].startswith("doc") for hit in hits)


@FAST
@given(USER_TEXT)
def test_search_command_never_fails_on_any_region(small_db, region):
    path, _ = small_db
    result = run("search", "均衡", "--region", region, "--db", path, "--format", "jsonl")
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert "region" in result.output


@pytest.mark.parametrize("query, expected", [("县管校聘", ["doc0.txt"]), ("NEAR", ["doc1.txt"]),
                                             ('"quoted"', ["doc1.txt"]), ("-dash 均衡", []), ("19:1 OR 1.5%", None)])
def test_syntax_in_a_query_is_searched_for_literally(small_db, query, expected):
    path, _ = small_db
    result = run("search", "--db", path, "--format", "json", "--", query)
    sources = sorted(hit["source"] for hit in json.loads(result.output))
    assert sources == (expected if expected is not None else ["doc0.txt", "doc1.txt"])


def _is_number_or_none(value) -> bool:
    return value is None or (isinstance(value, float) and math.isfinite(value) and value >= 0)


NUMERALS = st.text(alphabet="〇零一二两三四五六七八九十百千万亿点壹贰叁拾佰仟", max_size=30)
NUMBERISH = st.text(alphabet="0123456789,，.万亿千e+-_ naif" + "一二十百", max_size=30)


@FAST
@given(st.one_of(st.text(), NUMERALS, NUMBERISH))
def test_number_parsers_never_raise_and_return_finite_numbers(text):
    assert _is_number_or_none(parse_number(text))
    assert _is_number_or_none(parse_chinese(text))


def to_chinese(number: int) -> str:
    """The usual way to write an integer in Chinese numerals (126 → 一百二十六, 10 → 十)."""
    digits, units = "零一二三四五六七八九", ["", "十", "百", "千"]

    def below_10000(n: int) -> str:
        out, zero = "", False
        for power in (3, 2, 1, 0):
            digit = n // 10 ** power % 10
            if digit:
                out += ("零" if zero and out else "") + digits[digit] + units[power]
                zero = False
            else:
                zero = True
        return out

    if number == 0:
        return "零"
    parts, text = [(number // 10 ** 8, "亿"), (number // 10 ** 4 % 10 ** 4, "万"), (number % 10 ** 4, "")], ""
    for index, (group, unit) in enumerate(parts):
        if group:
            needs_zero = text and group < 1000
            text += ("零" if needs_zero else "") + below_10000(group) + unit
    return text[1:] if text.startswith("一十") else text


@FAST
@given(st.integers(min_value=0, max_value=10 ** 12 - 1))
def test_chinese_numerals_read_back_to_their_value(number):
    assert parse_chinese(to_chinese(number)) == number


@FAST
@given(st.integers(min_value=0, max_value=10 ** 9), st.integers(min_value=0, max_value=99))
def test_arabic_numbers_with_separators_and_multipliers(whole, cents):
    text = f"{whole:,}.{cents:02d}"
    assert parse_number(text) == pytest.approx(whole + cents / 100)
    assert parse_number(text + "万") == pytest.approx((whole + cents / 100) * 10_000)


@pytest.mark.parametrize("text", ["nan", "inf", "1e999", "1_000", "一亿" * 60, "二" * 400, "万", "亿亿"])
def test_non_numbers_and_overflows_are_none(text):
    assert parse_number(text) is None

import pytest

from junheng.store.search import fts_expression, matches, parse_query, snippet
from junheng.store.tokens import index_tokens


@pytest.mark.parametrize("text, groups, excluded", [
    ("县管校聘", [["县管校聘"]], []),
    ("县管校聘 控辍保学", [["县管校聘"], ["控辍保学"]], []),
    ('"劝返 复学" 大班额', [["劝返复学"], ["大班额"]], []),
    ("联盟办学 -集团化", [["联盟办学"]], ["集团化"]),
    ("县管校聘 OR 区管校聘", [["县管校聘", "区管校聘"]], []),
    ("OR", [["OR"]], []),
    ('"unbalanced', [['"unbalanced']], []),
    ("-", [["-"]], []),
    ("", [], []),
])
def test_parse_query(text, groups, excluded):
    query = parse_query(text)
    assert query.groups == groups and query.excluded == excluded


@pytest.mark.parametrize("user_text", ['NEAR(a b)', 'a AND b', '"', "*", "col:value", "^县", "(", "')--", "县 NOT 市"])
def test_user_text_never_reaches_fts_as_syntax(user_text):
    expression = fts_expression(parse_query(user_text))
    if expression:
        for phrase in expression.replace("(", " ").replace(")", " ").split(" OR "):
            for part in phrase.split(" AND "):
                assert part.strip().startswith(('"', 'NEAR("'))  # only our own NEAR of quoted bigrams


def test_bigram_tokens_make_substrings_findable():
    tokens = index_tokens("推进劝返复学工作").split()
    assert "劝返" in tokens and "返复" in tokens


@pytest.mark.parametrize("text, expression", [
    ("劝返", '"劝返"'),
    ("大班额", '"大班 班额"'),
    ("县管校聘", 'NEAR("县管" "校聘", 1)'),  # every other bigram, at their distance
    ("均衡发展县", 'NEAR("均衡" "发展" "展县", 2)'),
    ("生均公用经费", 'NEAR("生均" "公用" "经费", 3)'),
    ("2019年", 'NEAR("20" "19" "9年", 2)'),
    ("劝返、复学", '"劝返 返 复学"'),  # two runs: the plain phrase, the first run's closing unigram in it
    ("县 管", '"县"* AND "管"*'),
])
def test_fts_expression(text, expression):
    assert fts_expression(parse_query(text)) == expression


@pytest.mark.parametrize("text", ["县管和校聘", "校聘县管", "县管，校聘"])
def test_a_near_cover_is_checked_literally(text):
    assert not matches(parse_query("县管校聘"), text)


def test_matches_is_literal():
    query = parse_query("劝返 -大班额")
    assert matches(query, "开展劝返复学")
    assert not matches(query, "劝返复学，化解大班额")
    assert not matches(parse_query("县管校聘"), "县管和校聘")


def test_snippet_marks_the_hit_in_the_original_text():
    text = "一、基本情况\n" + "甲" * 50 + "全面推行县管校聘改革" + "乙" * 50
    assert "【县管校聘】" in snippet(text, parse_query("县管校聘"))


@pytest.mark.parametrize("text, query", [
    ("2019年全县投入10.67亿元", "20"),
    ("2019年全县投入10.67亿元", "10.67亿"),
    ("2019年全县投入10.67亿元", "9年全"),
    ("参加G20峰会保障", "g20峰"),
    ("推行Windows系统", "indow"),
    ("劝返复学", "学"),
])
def test_any_substring_is_found_by_the_index(text, query):
    import sqlite3

    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE f USING fts5(tokens, content='', tokenize='unicode61')")
    connection.execute("INSERT INTO f(rowid, tokens) VALUES (1, ?)", [index_tokens(text)])
    expression = fts_expression(parse_query(query))
    assert connection.execute("SELECT rowid FROM f WHERE f MATCH ?", [expression]).fetchall() == [(1,)]

"""The command line as a new user meets it: several search words without quotes, a cut result
list that says so, scores that tell results apart, and unknown ids answered with the nearest."""
import json

import pytest

from conftest import run
from junheng.analysis.compare import metric_vocabulary
from junheng.analysis.standards import indicator_columns


def _json(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_several_words_without_quotes_are_the_terms_of_one_query(corpus_db):
    unquoted = _json(run("search", "控辍保学", "劝返", "--db", corpus_db, "--format", "json"))
    quoted = _json(run("search", "控辍保学 劝返", "--db", corpus_db, "--format", "json"))
    assert unquoted and [r["sha256"] for r in unquoted] == [r["sha256"] for r in quoted]
    first_only = _json(run("search", "控辍保学", "--db", corpus_db, "--format", "json"))
    assert len(unquoted) <= len(first_only)


def test_a_cut_table_says_how_many_there_are(corpus_db):
    everything = _json(run("search", "教育", "--db", corpus_db, "--format", "json", "--limit", "1000"))
    result = run("search", "教育", "--db", corpus_db, "--format", "table", "--limit", "3")
    assert result.exit_code == 0
    assert f"showing 3 of {len(everything)} (--limit)" in result.stderr
    whole = run("search", "教育", "--db", corpus_db, "--format", "table", "--limit", str(len(everything)))
    assert "showing" not in whole.stderr


def test_json_in_a_pipe_has_no_note(corpus_db):
    result = run("search", "教育", "--db", corpus_db, "--format", "json", "--limit", "3")
    assert "showing" not in result.stderr


def test_scores_of_a_common_term_tell_the_results_apart(corpus_db):
    results = _json(run("search", "教育", "--db", corpus_db, "--format", "json", "--limit", "10"))
    scores = [r["score"] for r in results]
    assert all(score > 0 for score in scores), scores  # FTS5's tiny idf used to round to 0.0
    assert len(set(scores)) > 1
    assert scores == sorted(scores, reverse=True)
    assert [r["rank"] for r in results] == list(range(1, len(results) + 1))


@pytest.mark.parametrize("args, suggestion", [
    (["figures", "--metric", "balance_coef"], "did you mean balance_coefficient?"),
    (["compare", "--metric", "差异系数"], "did you mean balance_coefficient?"),
    (["compare", "--metric", "retension_rate:junior"], "retention_rate"),
    (["search", "--measure", "dropout"], "did you mean dropout_control?"),
    (["trend", "--region", "宝清县", "--metric", "large_clas_count"], "did you mean large_class_count"),
])
def test_an_unknown_id_gets_the_nearest_in_a_short_message(corpus_db, args, suggestion):
    result = run(*args, "--db", corpus_db)
    assert result.exit_code == 2
    error = result.stderr.strip().splitlines()[-1]
    assert suggestion in error
    assert len(error) < 200  # not every id of the vocabulary
    assert "lists them all" in error


def test_a_hopeless_id_says_where_the_list_is(corpus_db):
    result = run("figures", "--metric", "zzzz", "--db", corpus_db)
    assert result.exit_code == 2
    assert "did you mean" not in result.stderr and "`junheng metrics` lists them all" in result.stderr


def test_metrics_lists_the_vocabulary():
    rows = _json(run("metrics", "--format", "json"))
    assert [row["metric"] for row in rows] == list(metric_vocabulary())
    assert {"metric": "balance_coefficient", "name_zh": "差异系数"}.items() <= next(
        row for row in rows if row["metric"] == "balance_coefficient").items()


@pytest.mark.parametrize("standard", ["quality", "basic"])
def test_a_standard_alone_shows_its_own_indicators(corpus_db, standard):
    rows = _json(run("compare", "--standard", standard, "--db", corpus_db, "--format", "json"))
    assert rows
    columns = [key.split(" (")[0] for key in rows[0] if key.endswith(")") and " (" in key]
    assert columns == indicator_columns(standard)
    assert "balance_coefficient:primary" in columns


def test_compare_without_columns_or_standard_is_a_usage_error(corpus_db):
    result = run("compare", "--db", corpus_db)
    assert result.exit_code == 2 and "--standard" in result.stderr

"""`--format table` fits the width (COLUMNS), falls back to blocks; -o suffixes; TSV."""
import csv
import io
import json

import pytest
from click.testing import CliRunner
from wcwidth import wcswidth

from junheng.cli import cli
from conftest import CORPUS, run
from junheng.outputs.table import table_text
from test_export import csv_text

COMMANDS = {
    "search": ["search", "县管校聘"],
    "figures": ["figures"],
    "compare": ["compare", "--preset", "balance"],
    "compare quality": ["compare", "--preset", "balance", "--standard", "quality"],
}


def run_at(width: int, *args):
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": str(width)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def as_json(*args):
    return json.loads(run(*args, "--format", "json").output)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", COMMANDS)
def test_every_line_fits_the_width(corpus_db, name, width):
    lines = run_at(width, *COMMANDS[name], "--db", corpus_db, "--format", "table").splitlines()
    assert len(lines) > 5
    assert max(wcswidth(line) for line in lines) <= width
    assert any(wcswidth(line) > len(line) for line in lines), "Chinese cells are shown, two columns each"


@pytest.mark.parametrize("width", [80, 120])
def test_search_keeps_short_cells_whole_and_cuts_titles(corpus_db, width):
    hits = as_json("search", "县管校聘", "--db", corpus_db)
    output = run_at(width, "search", "县管校聘", "--db", corpus_db, "--format", "table")
    lines = output.splitlines()
    rule = next(index for index, line in enumerate(lines) if set(line) == {"-", " "})  # a table, not blocks
    rows = lines[rule + 1:]
    assert len(rows) == len(hits)
    for hit, row in zip(hits, rows):
        assert str(hit["score"]) in row and (hit["date"] or "") in row
    assert any(row.rstrip().endswith("…") or "… " in row for row in rows), "long titles are cut with …"


def test_chinese_characters_count_two_columns():
    records = [{"county": "科尔沁右翼前旗", "title": "推进县域义务教育优质均衡发展" * 3, "year": 2021},
               {"county": "abc", "title": "short title", "year": 2019},
               {"county": "宝清县", "title": "宝清县自评报告", "year": 2020}]
    lines = table_text(records, ["county", "title", "year"], width=50).splitlines()
    assert max(wcswidth(line) for line in lines) <= 50
    header, rule, *rows = lines
    assert header.split() == ["county", "title", "year"] and set(rule) == {"-", " "}
    assert len({wcswidth(row) for row in rows}) == 1, "the right-aligned year ends every row in one column"
    assert rows[0].startswith("科尔沁右翼前旗  推进") and "…" in rows[0], "the short column whole, the long one cut"
    assert [row.split()[-1] for row in rows] == ["2021", "2019", "2020"]
    assert rows[1].startswith("abc ") and "short title" in rows[1]


def test_too_many_columns_become_blocks_that_lose_nothing():
    record = {"province": "内蒙古自治区", "city": "兴安盟", "county": "科尔沁右翼前旗", "code": "152221",
              **{f"metric_{index}:primary": f"{index}.5 met" for index in range(12)},
              "note": "城乡教育一体化农村娃在家门口上好学" * 2, "empty": None}
    lines = table_text([record, {**record, "code": "152222"}], list(record), width=40).splitlines()
    assert max(wcswidth(line) for line in lines) <= 40
    assert lines[:2] == ["内蒙古自治区 兴安盟 科尔沁右翼前旗", "(152221)"], "the heading wraps too"
    assert lines[2] == "  metric_0:primary:  0.5 met" and lines[13] == "  metric_11:primary: 11.5 met"
    note = lines[14:lines.index("")]
    assert note[0].startswith("  note:") and len(note) > 1
    assert "".join(line[len("  note:"):].strip() for line in note) == record["note"], "wrapped, whole"
    assert not [line for line in lines if "empty" in line], "an empty cell has no line"
    assert lines[lines.index("") + 1:][:2] == ["内蒙古自治区 兴安盟 科尔沁右翼前旗", "(152222)"]


@pytest.mark.parametrize("width", [80, 120])
def test_compare_falls_back_to_blocks_naming_the_province(corpus_db, width):
    lines = run_at(width, "compare", "--preset", "balance", "--db", corpus_db, "--format", "table").splitlines()
    headings = [line for line in lines if line and not line.startswith(" ")]
    assert len(headings) == len(as_json("compare", "--preset", "balance", "--db", corpus_db))
    assert "河北省 石家庄市 正定县 (130123)" in headings
    assert "  balance_coefficient:primary:         0.53" in lines


def test_a_narrow_compare_is_a_table_with_the_province(corpus_db):
    lines = run_at(80, "compare", "--metric", "retention_rate", "--db", corpus_db, "--format", "table").splitlines()
    assert lines[0].split() == ["code", "province", "city", "county", "retention_rate"]
    assert any(line.split()[:4] == ["130123", "河北省", "石家庄市", "正定县"] for line in lines)


def test_no_results_says_so(corpus_db):
    assert run("search", "这段文字不会出现在任何报告里", "--db", corpus_db, "--format", "table").output == "(no results)\n"


@pytest.mark.parametrize("command", [["search", "县管校聘"], ["figures"], ["export", "documents"]],
                         ids=lambda c: c[0])
def test_tsv_from_the_suffix_or_the_format(corpus_db, tmp_path, command):
    expected = as_json(*command, "--db", corpus_db)
    path = tmp_path / "out.tsv"
    assert run(*command, "--db", corpus_db, "-o", path).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff") and "\t" in text.splitlines()[0]
    assert text == run(*command, "--db", corpus_db, "--format", "tsv").output
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    flat = [{key: csv_text(value) for key, value in record.items() if not isinstance(value, (dict, list))}
            for record in expected]
    assert [{key: row[key] for key in want} for row, want in zip(rows, flat)] == flat
    assert len(rows) == len(expected)


@pytest.mark.parametrize("command", [["search", "县管校聘", "--db"], ["compare", "--preset", "balance", "--db"],
                                     ["export", "figures", "--db"]], ids=lambda c: c[0])
def test_an_unknown_suffix_is_refused_naming_the_formats(corpus_db, tmp_path, command):
    path = tmp_path / "x.weird"
    result = run(*command, corpus_db, "-o", path)
    assert result.exit_code == 2
    assert ".weird" in result.output and ".json" in result.output and ".tsv" in result.output
    assert not path.exists()


def test_extract_writes_json_by_default_and_refuses_csv(tmp_path):
    report = CORPUS / "reports" / "beijing-chaoyang-2023.pdf"
    result = run("extract", report, "-o", tmp_path / "e.csv")
    assert result.exit_code == 2 and "e.csv" in result.output and ".jsonl" in result.output
    assert not (tmp_path / "e.csv").exists()
    record = json.loads(run("extract", report).output)
    assert record["region"]["county"] == "朝阳区"
    run("extract", report, "-o", tmp_path / "e.jsonl")
    assert json.loads((tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()[0]) == record
    assert "[default: json]" in run("extract", "--help").output


def test_the_pipe_default_is_still_json_lines(corpus_db):
    lines = run("search", "县管校聘", "--db", corpus_db).output.splitlines()
    assert [json.loads(line)["title"] for line in lines] == [hit["title"] for hit in as_json(
        "search", "县管校聘", "--db", corpus_db)]

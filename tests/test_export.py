"""`junheng export` and the xlsx/parquet/csv writers: every format reads back as the JSON."""
import csv
import io
import json

import openpyxl
import pyarrow.parquet as pq
import pytest

from conftest import run
from test_compare import hand_db  # noqa: F401  (the small hand-made database fixture)


def as_json(*args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def read_back(path, fmt):
    """Records as the file holds them."""
    if fmt == "parquet":
        return pq.read_table(path).to_pylist()
    if fmt == "xlsx":
        header, *rows = openpyxl.load_workbook(path).active.iter_rows(values_only=True)
        return [dict(zip(header, row)) for row in rows]
    text = path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf"), "csv files start with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))


def csv_text(value):
    """What the csv writer makes of a JSON value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def assert_same(records, expected, fmt):
    assert len(records) == len(expected)
    for got, want in zip(records, expected):
        if fmt == "csv":
            want = {key: csv_text(value) for key, value in want.items()}
        assert got == want


COMMANDS = [
    ["compare", "--preset", "balance"],
    ["compare", "--preset", "balance", "--long"],
    ["export", "figures"],
    ["export", "measures"],
    ["export", "documents"],
    ["export", "regions"],
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2] + c[3:]))
def test_files_read_back_equal_to_the_json_output(corpus_db, tmp_path, command, fmt):
    expected = as_json(*command, "--db", corpus_db)
    assert expected, "the corpus gives rows for every table"
    path = tmp_path / f"out.{fmt}"
    result = run(*command, "--db", corpus_db, "-o", path)  # the format from the suffix
    assert result.exit_code == 0, result.output
    assert_same(read_back(path, fmt), expected, fmt)


def test_chinese_stays_chinese(corpus_db, tmp_path):
    run("export", "documents", "--db", corpus_db, "-o", tmp_path / "d.csv")
    run("export", "documents", "--db", corpus_db, "--format", "jsonl", "-o", tmp_path / "d.jsonl")
    csv_text_ = (tmp_path / "d.csv").read_text(encoding="utf-8-sig")
    jsonl_text = (tmp_path / "d.jsonl").read_text(encoding="utf-8")
    for text in (csv_text_, jsonl_text):
        assert "宝清县" in text and "\\u" not in text


@pytest.mark.parametrize("command", [["compare", "--metric", "retention_rate"], ["export", "documents"]])
@pytest.mark.parametrize("fmt", ["xlsx", "parquet"])
def test_binary_formats_need_a_file(hand_db, command, fmt):  # noqa: F811
    result = run(*command, "--db", hand_db, "--format", fmt)
    assert result.exit_code == 2
    assert f"give -o FILE.{fmt}" in result.output


def test_documents_leave_reposts_out_and_count_them(hand_db):  # noqa: F811
    rows = as_json("export", "documents", "--db", hand_db)
    assert [(row["source"], row["reposts"]) for row in rows] == [
        ("baoqing-2019.txt", 0), ("baoqing-2020.txt", 0), ("lankao-2021.txt", 1)]
    assert rows[2]["measures"] == "county_managed_teachers"


@pytest.mark.parametrize("args, values", [
    (["--metric", "retention_rate"], [97, 98, 99.5, 98.5, 96]),
    (["--metric", "retention_rate", "--status", "target"], [99.5]),
    (["--metric", "balance_coefficient", "--level", "junior"], [0.4]),
    (["--metric", "retention_rate", "--region", "兰考县"], [96]),
    (["--metric", "retention_rate", "--year", "2020"], [98.5]),  # the year of the document's date
])
def test_figures_filters(hand_db, args, values):  # noqa: F811
    rows = as_json("export", "figures", "--db", hand_db, *args)
    assert [row["value"] for row in rows] == values
    assert all(row["metric_name"] for row in rows)


def test_figure_rows_carry_their_document(hand_db):  # noqa: F811
    [row] = as_json("export", "figures", "--db", hand_db, "--metric", "student_count")
    assert row == {
        "source": "baoqing-2020.txt", "sha256": row["sha256"], "title": "宝清县2020年报告", "date": "2020-03-01",
        "doc_type": None, "region_code": "230523", "province": "黑龙江省", "city": "双鸭山市", "county": "宝清县",
        "region_level": "county", "metric": "student_count", "metric_name": "学生数", "value": 52000,
        "previous": None, "unit": "person", "level": None, "year": 2019, "status": "actual", "qualifier": "近",
        "text": "student_count 52000", "start": 0, "end": 4}


def test_measures_and_regions(hand_db):  # noqa: F811
    measures = as_json("export", "measures", "--db", hand_db)
    assert [(row["county"], row["measure"], row["measure_name"]) for row in measures] == [
        ("宝清县", "county_managed_teachers", "县管校聘"), ("宝清县", "teacher_rotation", "交流轮岗"),
        ("兰考县", "county_managed_teachers", "县管校聘")]
    assert measures[0]["evidence"] == "county_managed_teachers的证据句。"
    regions = as_json("export", "regions", "--db", hand_db)
    assert [(r["region_code"], r["documents"], r["first_date"], r["last_date"], r["measures"]) for r in regions] == [
        ("230523", 2, "2019-05-01", "2020-03-01", 2), ("410225", 1, "2021-06-01", "2021-06-01", 1)]


@pytest.mark.parametrize("args", [
    ["figures", "--metric", "no_such_metric"],
    ["documents", "--measure", "no_such_measure"],
    ["documents", "--metric", "retention_rate"],
    ["nothing"],
])
def test_export_usage_errors(hand_db, args):  # noqa: F811
    assert run("export", *args, "--db", hand_db).exit_code == 2


def test_table_format_shows_the_chosen_columns(hand_db):  # noqa: F811
    result = run("export", "figures", "--db", hand_db, "--metric", "retention_rate", "--format", "table")
    header = result.output.splitlines()[0].split()
    assert header == ["date", "county", "metric_name", "level", "year", "status", "value", "unit", "qualifier",
                      "text"]

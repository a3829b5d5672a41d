"""`junheng compare --standard`: marks, header thresholds and counts, in every format and on the web page."""
import json
from hashlib import sha256
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import run
from junheng.analysis import standards
from junheng.figures.lexicon import metric_table
from junheng.document import Document, Figure, Region
from junheng.store.database import open_db, save_document
from test_export import assert_same, read_back
from test_serve import fetch

EXAMPLES = Path(standards.__file__).parents[1] / "data" / "standards_provinces" / "examples"
NAMES = ("code", "province", "city", "county")
BAOQING = Region(province="黑龙江省", city="双鸭山市", county="宝清县", code="230523", level="county")
LANKAO = Region(province="河南省", city="开封市", county="兰考县", code="410225", level="county")
ANJI = Region(province="浙江省", city="湖州市", county="安吉县", code="330523", level="county")

# The seven resource indicators, each a little above its 优质均衡 threshold for both levels.
ALL_MET = {("qualified_teachers_per_100", "primary"): 4.5, ("qualified_teachers_per_100", "junior"): 5.6,
           ("backbone_teachers_per_100", "primary"): 1.2, ("backbone_teachers_per_100", "junior"): 1.1,
           ("pe_art_teachers_per_100", "primary"): 1.0, ("pe_art_teachers_per_100", "junior"): 1.0,
           ("teaching_space_per_student", "primary"): 5.0, ("teaching_space_per_student", "junior"): 6.0,
           ("sports_space_per_student", "primary"): 8.0, ("sports_space_per_student", "junior"): 11.0,
           ("equipment_value_per_student", "primary"): 2100, ("equipment_value_per_student", "junior"): 2600,
           ("multimedia_rooms_per_100", "primary"): 2.5, ("multimedia_rooms_per_100", "junior"): 2.6}
TWO_MISSED = {**ALL_MET, ("sports_space_per_student", "junior"): 9.8, ("multimedia_rooms_per_100", "primary"): 2.0}
GAPS = {("qualified_teachers_per_100", "primary"): 4.5, ("teaching_space_per_student", "primary"): 4.0}


def fig(metric, value, level=None, qualifier=None):
    unit = metric_table()[metric]["canonical unit"]
    return Figure(metric=metric, value=value, unit=unit, text=f"{metric} {value}", start=0, end=4,
                  level=level, year=2022, status="actual", qualifier=qualifier)


def doc(region, values, *extra):
    figures = [fig(metric, value, level) for (metric, level), value in values.items()] + list(extra)
    return Document(source=f"{region.code}.txt", sha256=sha256(region.code.encode()).hexdigest(), format="txt",
                    text=f"{region.county}2022年优质均衡自评报告正文。", title=f"{region.county}自评报告",
                    date="2022-10-01", region=region, figures=figures)


DOCUMENTS = [
    doc(BAOQING, ALL_MET, fig("balance_coefficient", 0.40, "primary", "综合"),
        fig("balance_coefficient", 0.35, "junior")),
    doc(LANKAO, TWO_MISSED, fig("balance_coefficient", 0.55, "primary"), fig("balance_coefficient", 0.45, "junior"),
        fig("class_size_cap", 42, "primary")),
    doc(ANJI, GAPS, fig("large_class_count", 3), fig("class_size_cap", 42, "primary")),
]


@pytest.fixture(scope="module")
def marks_db(tmp_path_factory) -> Path:
    """Three counties: every resource indicator met, two missed, most of them unknown."""
    path = tmp_path_factory.mktemp("marks") / "marks.db"
    db = open_db(path, create=True)
    for document in DOCUMENTS:
        save_document(db, document)
    return path


def compare_json(db, *args):
    result = run("compare", "--db", db, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def by_county(rows):
    return {row["county"]: row for row in rows}


QUALITY = ["--preset", "balance", "--standard", "quality"]


@pytest.mark.parametrize("county, summary, resource, standards_counts, marks", [
    ("宝清县", "7 of 7 resource indicators met", (7, 0, 0), (16, 0, 0),
     {"balance_coefficient:primary": "met", "sports_space_per_student:junior": "met"}),
    ("兰考县", "5 of 7 resource indicators met (2 missed)", (5, 2, 0), (13, 3, 0),
     {"balance_coefficient:primary": "missed", "balance_coefficient:junior": "met",  # 0.45 is the threshold
      "sports_space_per_student:junior": "missed", "sports_space_per_student:primary": "met",
      "multimedia_rooms_per_100:primary": "missed", "multimedia_rooms_per_100:junior": "met"}),
    ("安吉县", "0 of 7 resource indicators met (1 missed, 6 unknown)", (0, 1, 6), (1, 1, 14),
     {"qualified_teachers_per_100:primary": "met", "qualified_teachers_per_100:junior": "unknown",
      "teaching_space_per_student:primary": "missed", "balance_coefficient:primary": "unknown"}),
])
def test_marks_and_counts_per_county(marks_db, county, summary, resource, standards_counts, marks):
    row = by_county(compare_json(marks_db, *QUALITY))[county]
    assert row["resource_indicators"] == summary
    assert tuple(row[f"resource_indicators_{v}"] for v in ("met", "missed", "unknown")) == resource
    assert tuple(row[f"standards_{v}"] for v in ("met", "missed", "unknown")) == standards_counts
    assert {column: row[f"{column} mark"] for column in marks} == marks


def test_headers_carry_the_threshold_and_only_columns_with_a_standard_get_marks(marks_db):
    row = by_county(compare_json(marks_db, *QUALITY))["兰考县"]
    assert row["qualified_teachers_per_100:primary (≥4.2)"] == 4.5  # the value stays a number
    assert row["sports_space_per_student:junior (≥10.2)"] == 9.8
    assert row["balance_coefficient:primary (≤0.50)"] == 0.55
    assert row["equipment_value_per_student:junior (≥2500)"] == 2600
    for plain in ("large_class_count", "retention_rate", "measure:county_managed_teachers"):
        assert plain in row and f"{plain} mark" not in row
    assert len([key for key in row if key.endswith(" mark")]) == 16


def test_basic_standard_marks_the_composite_coefficients_only(marks_db):
    rows = by_county(compare_json(marks_db, "--preset", "balance", "--standard", "basic"))
    lankao = rows["兰考县"]
    assert lankao["balance_coefficient:primary (≤0.65)"] == 0.55
    assert lankao["balance_coefficient:primary mark"] == "met"  # missed against quality's 0.50
    assert [key for key in lankao if key.endswith(" mark")] == ["balance_coefficient:primary mark",
                                                                 "balance_coefficient:junior mark"]
    assert "resource_indicators" not in lankao  # basic sets no resource standards
    assert {county: (r["standards_met"], r["standards_unknown"]) for county, r in rows.items()} == {
        "宝清县": (2, 0), "兰考县": (2, 0), "安吉县": (0, 2)}


def test_without_a_standard_nothing_changes(marks_db):
    row = compare_json(marks_db, "--preset", "balance")[0]
    assert "qualified_teachers_per_100:primary" in row
    assert not [key for key in row if "mark" in key or key.startswith(("standards_", "resource_"))]


def test_table_format_shows_value_and_mark_in_one_cell(marks_db):
    result = run("compare", "--db", marks_db, *QUALITY, "--format", "table", "--region", "兰考县")
    heading, *lines = result.output.splitlines()  # too wide for a table at 100: a block of column: value lines
    assert heading == "河南省 开封市 兰考县 (410225)"
    cells = dict(line.strip().split(": ", 1) for line in lines)
    assert "qualified_teachers_per_100:primary (≥4.2)" in cells and "resource_indicators" in cells
    assert not [name for name in cells if name.endswith(" mark")]
    values = [value.strip() for value in cells.values()]
    for text in ("5 of 7 resource indicators met (2 missed)", "0.55 missed", "9.8 missed", "2600 met"):
        assert text in values


def test_long_form_has_standard_threshold_mark_and_source_per_cell(marks_db):
    rows = compare_json(marks_db, *QUALITY, "--long", "--region", "安吉县")
    cells = {row["column"]: row for row in rows}
    assert {k: cells["qualified_teachers_per_100:primary"][k] for k in ("value", "standard", "threshold", "mark")} == {
        "value": 4.5, "standard": "quality", "threshold": "≥4.2", "mark": "met"}
    unknown = cells["qualified_teachers_per_100:junior"]  # no value, but a standard: a record all the same
    assert (unknown["value"], unknown["threshold"], unknown["mark"]) == (None, "≥5.3", "unknown")
    assert "教督〔2017〕6号" in unknown["standard_source"]
    for plain in ("large_class_count", "measure:county_managed_teachers"):
        assert {k: cells[plain][k] for k in ("standard", "threshold", "mark", "standard_source")} == dict.fromkeys(
            ("standard", "threshold", "mark", "standard_source"))
    assert sum(row["mark"] is not None for row in rows) == 16


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet", "jsonl"])
@pytest.mark.parametrize("form", [[], ["--long"]], ids=["wide", "long"])
def test_every_format_carries_the_same_marks(marks_db, tmp_path, fmt, form):
    expected = compare_json(marks_db, *QUALITY, *form)
    path = tmp_path / f"out.{fmt}"
    assert run("compare", "--db", marks_db, *QUALITY, *form, "-o", path).exit_code == 0
    if fmt == "jsonl":
        assert [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] == expected
    else:
        assert_same(read_back(path, fmt), expected, fmt)


def test_parquet_keeps_values_numeric_and_marks_text(marks_db, tmp_path):
    path = tmp_path / "wide.parquet"
    run("compare", "--db", marks_db, *QUALITY, "-o", path)
    schema = pq.read_schema(path)
    assert str(schema.field("sports_space_per_student:junior (≥10.2)").type) == "double"
    assert str(schema.field("sports_space_per_student:junior mark").type) == "string"
    assert str(schema.field("resource_indicators_met").type) == "int64"


def test_a_province_file_shows_its_threshold_in_the_header(marks_db, monkeypatch):
    national = standards.standards
    monkeypatch.setattr(standards, "standards", lambda code, _dir: national(code, EXAMPLES))
    rows = by_county(compare_json(marks_db, "--metric", "class_size_cap:primary", "--standard", "quality"))
    header = "class_size_cap:primary (≤45; 浙江省 ≤40)"
    assert {county: (row[header], row["class_size_cap:primary mark"]) for county, row in rows.items()} == {
        "兰考县": (42, "met"), "安吉县": (42, "missed")}


def test_an_unknown_standard_is_a_usage_error(marks_db):
    result = run("compare", "--db", marks_db, "--preset", "balance", "--standard", "excellent")
    assert result.exit_code == 2 and "quality" in result.output


def web_and_cli_marks(db: Path, standard: str):
    """The (code, column, value, threshold, mark) of every marked cell: the web page's, the CLI's."""
    [response] = fetch(db, f"/{db.stem}/compare_{standard}.json?_shape=array")
    web = [(r["code"], r["indicator"], r["value"], r["threshold"], r["mark"]) for r in response.json()]
    cli = [(r["code"], r["column"], r["value"], r["threshold"], r["mark"])
           for r in compare_json(db, "--preset", "balance", "--standard", standard, "--long") if r["mark"]]
    return web, cli


@pytest.mark.parametrize("standard", ["quality", "basic"])
def test_web_page_shows_the_same_marks_and_counts(marks_db, standard):
    web, cli = web_and_cli_marks(marks_db, standard)
    assert web == cli and len(web) == {"quality": 48, "basic": 6}[standard]
    [response] = fetch(marks_db, f"/marks/compare_{standard}.json?_shape=array")
    counts = {r["county"]: (r["standards_met"], r["standards_missed"], r["standards_unknown"]) for r in response.json()}
    wide = by_county(compare_json(marks_db, "--preset", "balance", "--standard", standard))
    assert counts == {county: (r["standards_met"], r["standards_missed"], r["standards_unknown"])
                      for county, r in wide.items()}


# --- the bundled corpus ------------------------------------------------------------------

RESOURCE_COLUMNS = [f"{metric}:{level}" for level in ("primary", "junior") for metric in standards.RESOURCE_METRICS]
ANJI_MISSED = {"qualified_teachers_per_100:primary", "qualified_teachers_per_100:junior",  # 3.9, 5.0
               "backbone_teachers_per_100:primary", "backbone_teachers_per_100:junior",  # 0.82, 0.94
               "pe_art_teachers_per_100:primary",  # 0.87 (junior 0.93 meets 0.9)
               "multimedia_rooms_per_100:primary", "multimedia_rooms_per_100:junior"}  # 2.1, 2.2


@pytest.mark.parametrize("code, summary, missed, values", [
    # 兰考县 2023 自评报告 and 昆山市 2020 自评报告: the seven indicators by level in a table, all above the line.
    ("410225", "7 of 7 resource indicators met", set(),
     {"qualified_teachers_per_100:primary": 5.12, "sports_space_per_student:primary": 8.47,
      "sports_space_per_student:junior": 11.63, "equipment_value_per_student:junior": 3127}),
    ("320583", "7 of 7 resource indicators met", set(),
     {"sports_space_per_student:primary": 8.15, "sports_space_per_student:junior": 10.62,
      "multimedia_rooms_per_100:primary": 2.84, "equipment_value_per_student:junior": 4417}),
    # 安吉县 2019 规划: its 2018 values against the 2022 targets; four indicators below the line.
    ("330523", "3 of 7 resource indicators met (4 missed)", ANJI_MISSED,
     {"qualified_teachers_per_100:primary": 3.9, "pe_art_teachers_per_100:junior": 0.93,
      "sports_space_per_student:junior": 15.3, "multimedia_rooms_per_100:junior": 2.2}),
])
def test_corpus_balance_preset_marks(corpus_db, code, summary, missed, values):
    [row] = [r for r in compare_json(corpus_db, *QUALITY) if r["code"] == code]
    assert row["resource_indicators"] == summary
    assert {column for column in RESOURCE_COLUMNS if row[f"{column} mark"] == "missed"} == missed
    assert {column for column in RESOURCE_COLUMNS if row[f"{column} mark"] == "met"} == set(RESOURCE_COLUMNS) - missed
    thresholds = {key.split(" (")[0]: key for key in row if " (" in key}
    assert {column: row[thresholds[column]] for column in values} == values
    if code == "410225":  # its composite 差异系数 (0.398 in 2019, 0.368 in 2023) is below 0.50 and 0.45
        assert (row["balance_coefficient:primary mark"], row["balance_coefficient:junior mark"]) == ("met", "met")


def test_corpus_web_page_shows_the_same_marks(corpus_db):
    web, cli = web_and_cli_marks(corpus_db, "quality")
    assert web == cli
    named = {(code, column): mark for code, column, _, _, mark in web if code in ("410225", "320583", "330523")}
    assert named[("410225", "sports_space_per_student:junior")] == "met"
    assert named[("330523", "multimedia_rooms_per_100:primary")] == "missed"
    kunshan = {mark for (code, column), mark in named.items() if code == "320583" and column in RESOURCE_COLUMNS}
    assert kunshan == {"met"}

"""`junheng compare`: the cell rule on a small hand-made database, usage errors, the corpus."""
import csv
import json
from hashlib import sha256
from pathlib import Path

import pytest

from conftest import ROOT, run
from junheng.analysis.compare import LEVELS, is_neutral, parse_columns, presets
from junheng.document import Document, Evidence, Figure, MeasureHit, Region
from junheng.store.database import open_db, save_document

SPEC = ROOT.parent / "shared" / "spec"
BAOQING = Region(province="黑龙江省", city="双鸭山市", county="宝清县", code="230523", level="county")
LANKAO = Region(province="河南省", city="开封市", county="兰考县", code="410225", level="county")


def fig(metric, value, year, level=None, status="actual", qualifier=None, unit="percent"):
    return Figure(metric=metric, value=value, unit=unit, text=f"{metric} {value}", start=0, end=4,
                  level=level, year=year, status=status, qualifier=qualifier)


def doc(source, region, date, figures, measures=(), text=None):
    measure_hits = [MeasureHit(m, 0.9, [Evidence(f"{m}的证据句。", 0, 4)]) for m in measures]
    return Document(source=source, sha256=sha256(source.encode()).hexdigest(), format="txt",
                    text=text or f"{source}：{region.county}的报告正文。", title=f"{region.county}{date[:4]}年报告",
                    date=date, region=region, figures=figures, measures=measure_hits)


LANKAO_TEXT = "兰考县2021年义务教育工作总结正文。"
DOCUMENTS = [
    doc("baoqing-2019.txt", BAOQING, "2019-05-01", [
        fig("retention_rate", 97.0, 2018), fig("retention_rate", 98.0, 2019),
        fig("retention_rate", 99.5, 2022, status="target"),
        fig("balance_coefficient", 0.45, 2019, "primary", qualifier="综合", unit="ratio"),
        fig("balance_coefficient", 0.40, 2019, "junior", unit="ratio"),
        fig("balance_coefficient", 0.60, 2019, "primary", qualifier="生均教学仪器设备值", unit="ratio"),
        fig("teacher_qualification_rate", 65.0, 2019, qualifier="本科学历"),
    ], ["county_managed_teachers"]),
    doc("baoqing-2020.txt", BAOQING, "2020-03-01", [
        fig("retention_rate", 98.5, 2019),  # same year as 98.0, a later document: wins
        fig("student_count", 52000, 2019, qualifier="近", unit="person"),
    ], ["teacher_rotation"]),
    doc("lankao-2021.txt", LANKAO, "2021-06-01", [
        fig("retention_rate", 96.0, 2021), fig("balance_coefficient", 0.5, 2021, "primary", unit="ratio"),
        fig("teaching_space_per_student", 5.1, 2021, "junior", unit="m2"),
        fig("teacher_qualification_rate", 70.0, 2021, qualifier="本科学历"),
        fig("teacher_qualification_rate", 2.0, 2021, qualifier="研究生学历"),
    ], ["county_managed_teachers"], text=LANKAO_TEXT),
    # A repost of the 兰考 report (same text, another site, later): it must count once.
    doc("lankao-2021-repost.html", LANKAO, "2022-01-01", [fig("retention_rate", 10.0, 2022)],
        ["school_alliance"], text=LANKAO_TEXT),
]


@pytest.fixture(scope="session")
def hand_db(tmp_path_factory) -> Path:
    """Two counties, four documents (one a repost), values chosen to test each step of the rule."""
    path = tmp_path_factory.mktemp("hand") / "hand.db"
    db = open_db(path, create=True)
    for document in DOCUMENTS:
        save_document(db, document)
    assert db.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0] == 1
    return path


def compare_json(db, *args):
    result = run("compare", "--db", db, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("args, expected", [
    # latest year; at the same year the later document; the repost's 10.0 is not counted
    (["--metric", "retention_rate"], {"230523": 98.5, "410225": 96}),
    (["--metric", "retention_rate", "--year", "2018"], {"230523": 97}),
    (["--metric", "retention_rate", "--status", "target"], {"230523": 99.5}),
    (["--metric", "retention_rate", "--region", "河南"], {"410225": 96}),
    # 综合 counts as unqualified; the per-indicator coefficient 0.60 does not
    (["--metric", "balance_coefficient:primary"], {"230523": 0.45, "410225": 0.5}),
    (["--metric", "balance_coefficient", "--level", "junior"], {"230523": 0.4}),
    # 近52000 is the stated number
    (["--metric", "student_count"], {"230523": 52000}),
    # no unqualified figure: the qualifier most regions have (本科学历), never 研究生学历
    (["--metric", "teacher_qualification_rate"], {"230523": 65, "410225": 70}),
])
def test_metric_cells_follow_the_rule(hand_db, args, expected):
    rows = compare_json(hand_db, *args)
    [column] = [key for key in rows[0] if key not in ("code", "province", "city", "county")]
    assert {row["code"]: row[column] for row in rows} == expected


def test_a_level_chosen_from_the_data_names_the_column(hand_db):
    rows = compare_json(hand_db, "--metric", "teaching_space_per_student")
    assert rows == [{"code": "410225", "province": "河南省", "city": "开封市", "county": "兰考县",
                     "teaching_space_per_student:junior": 5.1}]


def test_measures_are_present_or_absent_and_reposts_count_once(hand_db):
    rows = compare_json(hand_db, "--measure", "county_managed_teachers,teacher_rotation",
                        "--measure", "school_alliance")
    assert {row["county"]: [row["measure:county_managed_teachers"], row["measure:teacher_rotation"],
                            row["measure:school_alliance"]] for row in rows} == {
        "宝清县": [True, True, False], "兰考县": [True, False, False]}


def test_long_form_carries_provenance(hand_db):
    rows = compare_json(hand_db, "--metric", "retention_rate,teacher_qualification_rate",
                        "--measure", "teacher_rotation", "--long", "--region", "宝清县")
    by_column = {row["column"]: row for row in rows}
    assert by_column["retention_rate"] == {
        "code": "230523", "province": "黑龙江省", "city": "双鸭山市", "county": "宝清县",
        "column": "retention_rate", "kind": "metric", "id": "retention_rate", "value": 98.5, "present": None,
        "unit": "percent", "level": None, "year": 2019, "status": "actual", "qualifier": None,
        "text": "retention_rate 98.5", "source": "baoqing-2020.txt", "title": "宝清县2020年报告",
        "date": "2020-03-01"}
    assert by_column["teacher_qualification_rate"]["qualifier"] == "本科学历"
    assert by_column["measure:teacher_rotation"]["present"] is True
    assert by_column["measure:teacher_rotation"]["text"] == "teacher_rotation的证据句。"


@pytest.mark.parametrize("args, message", [
    (["--metric", "no_such_metric"], "unknown metric 'no_such_metric' (`junheng metrics` lists them all)"),
    (["--metric", "retention_rate:college"], "primary"),
    (["--measure", "no_such_measure"], "unknown measure 'no_such_measure' (`junheng measures` lists them all)"),
    (["--preset", "no_such_preset"], "balance"),
    ([], "--metric, --measure, --preset or --standard"),
])
def test_usage_errors_exit_2_and_say_what_is_valid(hand_db, args, message):
    result = run("compare", "--db", hand_db, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_missing_database_is_a_usage_error(tmp_path):
    assert run("compare", "--db", tmp_path / "none.db", "--metric", "retention_rate").exit_code == 2


@pytest.mark.parametrize("metric, qualifier, neutral", [
    ("retention_rate", None, True), ("retention_rate", "以上", True), ("teacher_count", "教职工；余", False),
    ("student_count", "近", True), ("balance_coefficient", "综合", True), ("large_class_count", "56人以上", True),
    ("balance_coefficient", "生均图书册数", False), ("schools_built", "3至5所", True),
])
def test_neutral_qualifiers(metric, qualifier, neutral):
    assert is_neutral(metric, qualifier) is neutral


@pytest.mark.parametrize("name", ["metrics.tsv", "measures.tsv"])
def test_vocabulary_copies_have_the_contract_ids(name):
    project_copy = ROOT / "pipeline" / "data" / name  # must exist: a missing copy fails here
    project_ids = [row["id"] for row in csv.DictReader(project_copy.open(encoding="utf-8"), delimiter="\t")]
    assert project_ids
    if not (SPEC / name).exists():
        pytest.skip(f"{SPEC} is not beside the project")
    spec_ids = [row["id"] for row in csv.DictReader((SPEC / name).open(encoding="utf-8"), delimiter="\t")]
    assert project_ids == spec_ids


def test_presets_name_only_known_ids():
    for preset in presets().values():
        columns = parse_columns(preset["metrics"], preset["measures"])
        assert len(columns) == len(preset["metrics"]) + len(preset["measures"])
        assert all(c.level in (None, *LEVELS) for c in columns)


BALANCE_METRICS = {spec.split(":")[0] for spec in presets()["balance"]["metrics"]}


def test_balance_preset_lists_every_county_with_balance_figures(corpus_db):
    db = open_db(corpus_db)
    counties = {county for (county,) in db.execute(
        "SELECT DISTINCT d.county FROM figures f JOIN documents d ON d.id = f.document_id "
        "WHERE d.duplicate_of IS NULL AND d.region_level = 'county' AND f.status = 'actual' "
        f"AND f.metric IN ({', '.join('?' * len(BALANCE_METRICS))})", sorted(BALANCE_METRICS))}
    assert len(counties) >= 10, "the corpus has balance figures for most of its counties"
    result = run("compare", "--db", corpus_db, "--preset", "balance", "--format", "table")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()  # too many columns for 100: one block per region, its place unindented
    for name in ("balance_coefficient:primary", "measure:county_managed_teachers"):
        assert any(line.startswith(f"  {name}: ") for line in lines)
    headings = [line.split() for line in lines if line and not line.startswith(" ")]
    listed = {county for heading in headings for county in counties if county in heading}
    assert listed == counties


def test_corpus_repost_counts_once(corpus_db):
    """jinzhai's report is bundled twice (a repost): its county is one row, from one document."""
    rows = compare_json(corpus_db, "--preset", "balance", "--long", "--region", "金寨县")
    assert {row["code"] for row in rows} == {"341524"}
    assert len({row["column"] for row in rows}) == len(rows)
    assert len({row["source"] for row in rows if row["source"]}) == 1

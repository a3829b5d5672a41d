import csv
from pathlib import Path

import pytest

from junheng.analysis import standards
from junheng.figures.lexicon import metric_table
from junheng.analysis.standards import find_standard, judge, mark, resource_summary

ROOT = Path(__file__).resolve().parent.parent
SPEC_METRICS = ROOT.parent / "shared" / "spec" / "metrics.tsv"
EXAMPLES = ROOT / "pipeline" / "data" / "standards_provinces" / "examples"
QUALITY_DOC, BASIC_DOC = "教督〔2017〕6号", "教督〔2012〕3号"

# (standard, metric, level, qualifier, comparator, threshold) the two 办法 set as numbers.
EXPECTED = [
    ("quality", "qualified_teachers_per_100", "primary", "", ">=", 4.2),
    ("quality", "qualified_teachers_per_100", "junior", "", ">=", 5.3),
    ("quality", "backbone_teachers_per_100", "primary", "", ">=", 1),
    ("quality", "backbone_teachers_per_100", "junior", "", ">=", 1),
    ("quality", "pe_art_teachers_per_100", "primary", "", ">=", 0.9),
    ("quality", "pe_art_teachers_per_100", "junior", "", ">=", 0.9),
    ("quality", "teaching_space_per_student", "primary", "", ">=", 4.5),
    ("quality", "teaching_space_per_student", "junior", "", ">=", 5.8),
    ("quality", "sports_space_per_student", "primary", "", ">=", 7.5),
    ("quality", "sports_space_per_student", "junior", "", ">=", 10.2),
    ("quality", "equipment_value_per_student", "primary", "", ">=", 2000),
    ("quality", "equipment_value_per_student", "junior", "", ">=", 2500),
    ("quality", "multimedia_rooms_per_100", "primary", "", ">=", 2.3),
    ("quality", "multimedia_rooms_per_100", "junior", "", ">=", 2.4),
    ("quality", "balance_coefficient", "primary", "", "<=", 0.50),
    ("quality", "balance_coefficient", "junior", "", "<=", 0.45),
    ("basic", "balance_coefficient", "primary", "", "<=", 0.65),
    ("basic", "balance_coefficient", "junior", "", "<=", 0.55),
    ("quality", "class_size_cap", "primary", "", "<=", 45),
    ("quality", "class_size_cap", "junior", "", "<=", 50),
    ("quality", "rotation_rate", "", "", ">=", 10),
    ("quality", "rotation_rate", "", "骨干教师", ">=", 20),
    ("quality", "retention_rate", "junior", "", ">=", 95),
    ("quality", "enrollment_rate", "", "残疾儿童", ">=", 95),
    ("quality", "satisfaction_rate", "", "", ">=", 85),
    ("quality", "migrant_public_school_rate", "", "", ">=", 85),
    ("quality", "per_student_funding", "", "特殊教育", ">=", 6000),
    ("quality", "per_student_funding", "special", "", ">=", 6000),
    ("quality", "enrollment_rate", "special", "", ">=", 95),
    ("basic", "satisfaction_rate", "", "", ">=", 85),
]


def national_rows():
    return standards.read_standards(standards.DATA / "standards.tsv")


@pytest.mark.parametrize("standard,metric,level,qualifier,comparator,threshold", EXPECTED)
def test_the_standards_file_has_each_numeric_indicator(standard, metric, level, qualifier, comparator, threshold):
    rows = [row for row in national_rows() if row.key == (standard, metric, level, qualifier)]
    assert len(rows) == 1
    assert (rows[0].comparator, float(rows[0].threshold)) == (comparator, threshold)
    assert (QUALITY_DOC if standard == "quality" else BASIC_DOC) in rows[0].source


def test_every_row_has_a_source_a_known_metric_and_its_canonical_unit():
    units = {metric: row["canonical unit"] for metric, row in metric_table().items()}
    rows = national_rows()
    assert len({row.key for row in rows}) == len(rows), "one row per standard, metric, level and qualifier"
    for row in rows:
        assert row.standard in standards.STANDARDS and row.comparator in (">=", "<=")
        assert QUALITY_DOC in row.source or BASIC_DOC in row.source, row
        assert row.note, f"{row.key}: say how the value was checked"
        assert units[row.metric] == row.unit, row
        float(row.threshold)


@pytest.mark.skipif(not SPEC_METRICS.exists(), reason="shared/spec not beside the project")
def test_the_metric_vocabulary_is_the_contracts():
    with SPEC_METRICS.open(encoding="utf-8") as handle:
        spec = {row["id"]: row["one_value"] for row in csv.DictReader(handle, delimiter="\t")}
    assert {metric: row["one_value"] for metric, row in metric_table().items()} == spec


@pytest.mark.parametrize("value,metric,level,qualifier,standard,expected", [
    (4.2, "qualified_teachers_per_100", "primary", None, "quality", "met"),  # the threshold itself meets it
    (4.19, "qualified_teachers_per_100", "primary", None, "quality", "missed"),
    (5.0, "qualified_teachers_per_100", "junior", None, "quality", "missed"),
    (2650, "equipment_value_per_student", "junior", None, "quality", "met"),
    (0.46, "balance_coefficient", "junior", "综合", "quality", "missed"),
    (0.46, "balance_coefficient", "junior", "综合", "basic", "met"),
    (0.50, "balance_coefficient", "primary", None, "quality", "met"),
    (0.66, "balance_coefficient", "primary", None, "basic", "missed"),
    (46, "class_size_cap", "primary", None, "quality", "missed"),
    (50, "class_size_cap", "junior", None, "quality", "met"),
    (12, "rotation_rate", "compulsory", None, "quality", "met"),
    (15, "rotation_rate", None, "骨干教师占交流总数", "quality", "missed"),  # 骨干 share needs 20%
    (94.9, "enrollment_rate", "special", "三类残疾儿童少年", "quality", "missed"),
    (96, "enrollment_rate", "special", None, "quality", "met"),
    (6015, "per_student_funding", "special", None, "quality", "met"),
    (96, "retention_rate", "junior", None, "quality", "met"),
    (85, "satisfaction_rate", None, "社会认可度", "basic", "met"),
    # no standard: another group, a level the standard does not name, a metric without one
    (99, "enrollment_rate", "compulsory", "随迁子女", "quality", None),
    (98, "retention_rate", "compulsory", None, "quality", None),
    (650, "per_student_funding", "primary", None, "quality", None),
    (5.0, "class_size_cap", None, None, "quality", None),
    (300, "school_count", "primary", None, "quality", None),
    (4.5, "qualified_teachers_per_100", "primary", None, "basic", None),
    (None, "qualified_teachers_per_100", "primary", None, "quality", None),
])
def test_judge(value, metric, level, qualifier, standard, expected):
    assert judge(value, metric, level, qualifier, standard) == expected


@pytest.mark.parametrize("metric,level,qualifier,text", [
    ("qualified_teachers_per_100", "primary", None, "≥4.2"),
    ("balance_coefficient", "primary", None, "≤0.50"),
    ("rotation_rate", None, "骨干教师", "≥20"),
    ("equipment_value_per_student", "junior", None, "≥2500"),
])
def test_threshold_text_for_headers(metric, level, qualifier, text):
    assert find_standard(metric, level, qualifier).text == text


def test_mark_gives_the_verdict_threshold_and_source_of_a_cell():
    cell = mark("sports_space_per_student", "junior", 8.1, "230523")
    assert (cell.verdict, cell.threshold) == ("missed", "≥10.2")
    assert QUALITY_DOC in cell.source
    assert mark("school_count", "primary", 22, "230523") is None


@pytest.mark.parametrize("province,value,expected", [
    ("330000", 42, "missed"),  # the example province's cap (40) replaces the national 45
    ("330000", 40, "met"),
    ("230000", 42, "met"),  # other provinces keep the national standard
    (None, 42, "met"),
])
def test_a_province_file_overrides_the_national_row(province, value, expected):
    assert judge(value, "class_size_cap", "primary", None, "quality", province, EXAMPLES) == expected


def test_a_province_file_can_add_a_standard_and_the_examples_are_never_loaded():
    assert judge(30, "books_per_student", "primary", None, "quality", "330000", EXAMPLES) == "missed"
    assert judge(30, "books_per_student", "primary", None, "quality", "330000") is None
    assert standards.standards("330000") == standards.standards(None)


def test_province_of_a_region_code():
    assert standards.province_of("350582") == "350000"
    assert standards.province_of(None) is None


ALL_MET = {(metric, level): 10_000 for metric in standards.RESOURCE_METRICS for level in ("primary", "junior")}


@pytest.mark.parametrize("values,level,met,missed,unknown,text", [
    (ALL_MET, None, 7, 0, 0, "7 of 7 resource indicators met"),
    ({**ALL_MET, ("sports_space_per_student", "junior"): 8.1}, None, 6, 1, 0,
     "6 of 7 resource indicators met (1 missed)"),
    ({**ALL_MET, ("sports_space_per_student", "junior"): 8.1}, "primary", 7, 0, 0,
     "7 of 7 resource indicators met"),
    ({("qualified_teachers_per_100", "primary"): 4.5}, "primary", 1, 0, 6,
     "1 of 7 resource indicators met (6 unknown)"),
    ({("qualified_teachers_per_100", "primary"): 4.5}, None, 0, 0, 7,  # junior unknown: not met yet
     "0 of 7 resource indicators met (7 unknown)"),
    ({}, None, 0, 0, 7, "0 of 7 resource indicators met (7 unknown)"),
])
def test_resource_summary(values, level, met, missed, unknown, text):
    summary = resource_summary(values, "230523", level)
    assert (len(summary.met), len(summary.missed), len(summary.unknown)) == (met, missed, unknown)
    assert summary.text == text

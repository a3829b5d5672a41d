"""The figure extractor: one rule per group of small examples, a property test, a corpus gate."""
import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.text.clean import build_document
from junheng.document import Block, Document, RawDocument
from junheng.evaluation.figures import evaluate_figures, source_documents
from junheng.figures.extract import extract_figures
from junheng.figures.lexicon import compile_guarded, lexicon

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "spec" / "metrics.tsv"
F1_FLOOR = 0.95  # measured 0.998 on the 40 corpus reports; room for the reports still being added


def figures_of(text: str, date: str | None = "2020-06-30"):
    return extract_figures(Document(source="t", sha256="0", text=text, format="txt", date=date))


def only(text: str, **kwargs):
    figures = figures_of(text, **kwargs)
    assert len(figures) == 1, figures
    return figures[0]


@pytest.mark.parametrize("text, metric, value", [
    ("全县现有义务教育学校38所。", "school_count", 38),
    ("全县共有小学三所。", "school_count", 3),
    ("县城选派骨干教师一百二十六人到乡村学校任教。", "teachers_rotated", 126),
    ("义务教育阶段在校学生两千余名。", "student_count", 2000),
    ("九年义务教育巩固率达到百分之九十五。", "retention_rate", 95),
    ("全县教育经费总投入10.67亿元。", "education_spending", 1_067_000_000),
    ("投资1,525.8万元新建教学楼。", "investment", 15_258_000),
    ("义务教育阶段在校学生1.2万人。", "student_count", 12_000),
    ("农村留守儿童1694人。", "left_behind_children", 1694),
    ("新增校舍面积2.3万平方米。", "floor_area", 23_000),
    ("学校占地面积4.5公顷。", "land_area", 45_000),
    ("新校区占地面积30亩。", "land_area", 20_000),
    ("新建校舍13.5万㎡。", "floor_area", 135_000),
    ("初中年辍学率控制在千分之五以内。", "dropout_rate", 0.5),
    ("初中辍学率为0.42%。", "dropout_rate", 0.42),
    ("小学辍学率为零。", "dropout_rate", 0),
    ("配备计算机3260台。", "computer_count", 3260),
    ("生均图书达到35册。", "books_per_student", 35),
    ("每百名学生拥有网络多媒体教室2.6间。", "multimedia_rooms_per_100", 2.6),
    ("2015年组织国培、省培和县级培训共2860人次。", "teachers_trained", 2860),
    ("生均公用经费小学每生每年600元。", "per_student_funding", 600),
    ("生均教学仪器设备值2650元。", "equipment_value_per_student", 2650),
    ("公开招聘教师46人。", "teachers_recruited", 46),
    ("全县另设村级教学点6个。", "school_count", 6),
    ("撤并生源不足的教学点5个。", "schools_merged", 5),
    ("新建、改扩建学校14所。", "schools_built", 14),
    ("为4120名家庭经济困难寄宿生发放补助。", "student_aid_recipients", 4120),
    ("发放资助资金986万元。", "student_aid_amount", 9_860_000),
    ("乡村教师每人每月补助500元。", "teacher_pay", 500),
    ("宽带接入率达到100%。", "ict_coverage_rate", 100),
    ("社会满意度为91.2%。", "satisfaction_rate", 91.2),
    ("占符合交流条件教师总数的11.3%。", "rotation_rate", 11.3),
    ("专任教师本科学历65.6%。", "teacher_qualification_rate", 65.6),
    ("随迁子女在公办学校就读比例达到92%。", "migrant_public_school_rate", 92),
    ("全县适龄残疾儿童少年612人。", "disabled_children", 612),
    ("学业质量校际差异率为0.13。", "inter_school_difference_rate", 0.13),
    ("大班额比例降至1.2%。", "large_class_ratio", 1.2),
])
def test_numbers_and_units(text, metric, value):
    figure = only(text)
    assert (figure.metric, figure.value) == (metric, pytest.approx(value))
    assert figure.unit == lexicon().metrics[metric].unit


@pytest.mark.parametrize("text, value", [
    ("小学生师比为19:1。", 19), ("生师比19∶1。", 19), ("师生比为1:16.2。", 16.2), ("生师比为19比1。", 19),
])
def test_ratios_are_students_per_teacher(text, value):
    figure = only(text)
    assert (figure.metric, figure.value, figure.unit) == ("student_teacher_ratio", value, "ratio")


def test_computers_per_hundred_students():
    figure = only("每百名学生拥有计算机12台。")
    assert (figure.metric, figure.value) == ("computers_per_100_students", 12)


@pytest.mark.parametrize("text, value, qualifier", [
    ("每年新建、改扩建学校3至5所。", 3, "3至5所"),
    ("乡村教师生活补助人均每月300至600元。", 300, "300至600元"),
    ("乡村教师生活补助每人每月200元至500元。", 200, "200元至500元"),
])
def test_ranges_give_the_lower_bound(text, value, qualifier):
    figure = only(text)
    assert (figure.value, figure.qualifier) == (value, qualifier)


@pytest.mark.parametrize("text, value, qualifier", [
    ("全县有农村留守儿童近2000人。", 2000, "近"),
    ("义务教育阶段在校生1.2万余人。", 12_000, "余"),
    ("义务教育阶段在校生约22.6万人。", 226_000, "约"),
    ("残疾儿童入学率超过95%。", 95, "超过"),
    ("四年级语文学科校际差异率大于0.15。", 0.15, "超过"),
    ("九年义务教育巩固率保持在99%以上。", 99, "以上"),
])
def test_approximations_keep_the_stated_number(text, value, qualifier):
    figure = only(text)
    assert figure.value == value and qualifier in figure.qualifier


@pytest.mark.parametrize("text, metric, value, previous", [
    ("56人以上大班额由53个减少到15个。", "large_class_count", 15, 53),
    ("九年义务教育巩固率从85%提高到98.5%。", "retention_rate", 98.5, 85),
    ("大班额由2016年的1126个减少到2019年的186个。", "large_class_count", 186, 1126),
    ("超大班额由6个全部清零。", "super_large_class_count", 0, 6),
    ("社会认可度为97.2%，较2015年的93.8%有所提高。", "satisfaction_rate", 97.2, 93.8),
])
def test_changes_give_the_end_level_and_previous(text, metric, value, previous):
    figure = only(text)
    assert (figure.metric, figure.value, figure.previous) == (metric, value, previous)


def test_a_change_by_levels_pairs_each_level():
    figures = figures_of("生均公用经费由小学600元、初中800元，提高到小学650元、初中850元。")
    assert [(f.value, f.previous, f.level) for f in figures] == [(650, 600, "primary"), (850, 800, "junior")]


@pytest.mark.parametrize("text", [
    "全县大班额减少了38个。", "巩固率提高5个百分点。", "教育经费比上年增长12%。", "在校学生增加1200人。",
    "乡镇教师比城镇教师人均工资高出400.83元。",
])
def test_changes_without_an_end_level_are_not_figures(text):
    assert figures_of(text) == []


@pytest.mark.parametrize("text, levels", [
    ("差异系数小学0.42、初中0.36。", ["primary", "junior"]),
    ("全县小学、初中综合差异系数分别为0.54和0.47。", ["primary", "junior"]),
    ("每百名学生拥有体育、艺术专任教师数小学、初中均达到0.9人以上。", ["primary", "junior"]),
    ("全县义务教育学校38所，其中初级中学9所。", ["compulsory", "junior"]),
    ("普通高中在校生8253人，幼儿园在园幼儿数不计。", ["senior"]),
    ("特殊教育学校1所。", ["special"]),
    ("全县有学校20所。", [None]),
])
def test_levels_come_from_the_nearest_cue(text, levels):
    assert [f.level for f in figures_of(text)] == levels


@pytest.mark.parametrize("text, status, year", [
    ("到2025年，社会满意度达到90%以上。", "target", 2025),
    ("力争九年义务教育巩固率达到99%。", "target", None),
    ("满意度不低于85%。", "target", None),
    ("2018年九年义务教育巩固率为96.2%。", "actual", 2018),
    ("截至2019年底，全县共有农村留守儿童1694人。", "actual", 2019),
    ("全县有农村留守儿童1694人。", "actual", 2020),
    ("2021年计划投资1.2亿元。", "target", 2021),
    ("2016年以来累计投入4.6亿元。", "actual", 2020),
    ("七项指标均达到国家规定标准，小学综合差异系数为0.368。", "actual", 2020),
    ("交流轮岗教师比例不低于符合交流条件教师总数的10%。", "target", None),
])
def test_status_and_year(text, status, year):
    figure = only(text)
    assert (figure.status, figure.year) == (status, year)


def test_year_is_null_without_a_date_or_a_stated_year():
    assert only("全县有农村留守儿童1694人。", date=None).year is None


def test_plan_documents_read_their_goals_as_targets():
    text = "某县义务教育优质均衡发展实施方案\n二、工作目标\n到2023年，全县将新建学校5所。\n每年培训教师不少于3000人次。"
    figures = figures_of(text, date="2021-03-01")
    assert [(f.metric, f.status, f.year) for f in figures] == [
        ("schools_built", "target", 2023), ("teachers_trained", "target", None)]  # 每年: no one year


def table_document(caption: str, rows: list[list[str]], date="2020-05-01") -> Document:
    raw = RawDocument(format="docx", blocks=[Block(text="某县教育工作报告"), Block(text=caption), Block(rows=rows)])
    doc = build_document(raw, "t.docx", "0")
    doc.date = date
    return doc


def test_table_with_a_unit_line():
    doc = table_document("单位：万元", [["项目", "2017年", "2018年"], ["教育经费总投入", "52310", "56870"],
                                      ["学生资助资金", "41200", "43900"]])
    figures = extract_figures(doc)
    assert [(f.metric, f.value, f.year) for f in figures] == [
        ("education_spending", 523_100_000, 2017), ("education_spending", 568_700_000, 2018),
        ("student_aid_amount", 412_000_000, 2017), ("student_aid_amount", 439_000_000, 2018)]
    assert all(f.text == doc.text[f.start:f.end] for f in figures)


def test_table_of_indicators_by_level_and_target():
    doc = table_document("表1 资源配置指标", [
        ["指标", "小学（2019年）", "初中（2019年）", "小学（2025年目标）"],
        ["生均教学及辅助用房面积（平方米）", "4.1", "5.3", "4.5"],
        ["生均教学仪器设备值（元）", "2,360", "2,870", "2,600"],
        ["师生比", "1:16.2", "1:11.8", "1:15"]])
    figures = extract_figures(doc)
    assert [(f.metric, f.value, f.level, f.status, f.year) for f in figures][:3] == [
        ("teaching_space_per_student", 4.1, "primary", "actual", 2019),
        ("teaching_space_per_student", 5.3, "junior", "actual", 2019),
        ("teaching_space_per_student", 4.5, "primary", "target", 2025)]
    assert {f.metric for f in figures} == {"teaching_space_per_student", "equipment_value_per_student",
                                           "student_teacher_ratio"}


def test_table_of_difference_coefficients():
    doc = table_document("表1 校际差异系数", [["指标", "小学", "初中"], ["生均图书册数", "0.557", "0.436"],
                                          ["综合差异系数", "0.562", "0.418"]])
    figures = extract_figures(doc)
    assert {f.metric for f in figures} == {"balance_coefficient"}
    assert [f.qualifier for f in figures][::2] == ["生均图书册数", "综合"]


def test_pipe_tables_in_plain_text_are_read_too():
    figures = figures_of("表1 指标\n| 指标 | 小学 | 初中 |\n| 生均图书（册） | 26.4 | 38.1 |")
    assert [(f.metric, f.value, f.text) for f in figures] == [
        ("books_per_student", 26.4, "26.4"), ("books_per_student", 38.1, "38.1")]


@pytest.mark.parametrize("text", [
    "根据《县域义务教育发展基本均衡县督导评估暂行办法》（教督〔2012〕3号）的要求。",
    "一是补充新鲜血液；二是推进交流轮岗。", "第三，加强教师队伍建设。", "（二）加大经费投入。",
    "联系电话：0451-12345678。", "全县总人口42.6万人，幅员面积1.0万平方公里。", "2019年4月4日", "新增学位3.6万个。",
    "学生体质健康测试合格率达到93.8%。", "优质普通高中招生名额分配到初中的比例不低于60%。",
    "义务教育均衡发展“一校一策”，对残疾儿童实行“一人一案”。", "不足100人的小规模学校按100人核定公用经费。",
    "全县差异系数见表1。", "全面消除56人以上大班额。", "全年劝返复学辍学学生212人。",
    "一般3-5所学校组成一个共同体。", "每个教育集团由3所学校组成。",  # the size of a group, no county figure
])
def test_never_figures(text):
    assert figures_of(text) == []


FRAGMENTS = ["全县", "小学", "初中", "学校", "38所", "教师", "1,719人", "由53个减少到15个", "生师比19:1", "，",
             "。", "；", "\n", "\t", "到2025年", "力争", "不低于", "百分之九十五", "1.2万余人", "3至5所", "差异系数",
             "0.42", "、", "分别为", "均", "(", "）", "《", "》", "〔2019〕12号", "单位：万元", "| a | 1 |", "零"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=40))
def test_extraction_never_raises_and_offsets_hold(parts):
    doc = Document(source="t", sha256="0", text="".join(parts), format="txt", date="2020")
    for figure in extract_figures(doc):
        assert figure.text == doc.text[figure.start:figure.end]
        assert figure.metric in lexicon().metrics


def _guarded_patterns():
    from junheng.figures.quantities import _patterns
    return [lexicon().never, _patterns().quantity]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from("".join(p.pattern for p in _guarded_patterns())),
                          st.text(max_size=3)), max_size=30))
def test_guarded_patterns_match_as_the_plain_ones(parts):
    text = "".join(parts)
    for guarded in _guarded_patterns():
        assert guarded.pattern.startswith("(?=[")  # the lookahead that makes them fast is there
        plain = re.compile(guarded.pattern[guarded.pattern.index("])(?:") + 5:-1], guarded.flags)
        assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_guard_is_left_off_when_the_start_is_uncertain():
    for pattern in [r"a*", r"[^a]b", r"(?i)ab", r"(?i:a)b", r".b"]:
        assert compile_guarded(pattern, 0).pattern == pattern
    assert compile_guarded(r"(?<!x)[ab]c|^\s*d", re.M).pattern.startswith(r"(?=[\sabd])")


@pytest.mark.skipif(not SPEC.exists(), reason="shared/spec not beside the project")
def test_metric_ids_and_units_match_the_contract():
    with SPEC.open(encoding="utf-8") as handle:
        spec = {row["id"]: row["canonical unit"] for row in csv.DictReader(handle, delimiter="\t")}
    assert {m: s.unit for m, s in lexicon().metrics.items()} == spec


def test_corpus_f1_gate():
    documents = source_documents(ROOT / "corpus" / "source", ROOT / "corpus" / "gold")
    result = evaluate_figures(ROOT / "corpus" / "gold", documents)
    assert result["overall"]["f1"] >= F1_FLOOR, result["overall"]
    for doc in documents.values():
        assert all(f.text == doc.text[f.start:f.end] for f in extract_figures(doc))

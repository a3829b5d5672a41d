"""Figures in tables written as ` | ` rows (the plain-text form) and as an HTML <table>: the
metric from the row labels and the column header together. Small tables of our own."""
from __future__ import annotations

import pytest

from junheng.process import extract_bytes
from junheng.figures.table_layout import pipe_tables

INTRO = "某县教育局2023年度义务教育工作情况。\n"


def figures_of(text: str, suffix: str = ".txt"):
    return extract_bytes(text.encode("utf-8"), f"t{suffix}", suffix).figures


def found(text: str) -> list[tuple]:
    return [(f.metric, f.value, f.level) for f in figures_of(INTRO + text)]


COEFFICIENTS = """表3 某县义务教育学校校际差异系数表
序号 | 乡镇 | 学校类型 | 指标项目 | 生均教学及辅助用房面积(㎡) | 生均教学仪器设备值(元) | 师生比 | 综合
1 | 东城镇 | 小学 | 区县均值 | 4.62 | 2875 | 0.061
 |  |  | 差异系数 | 0.352 | 0.418 | 0.274 | 0.348
 |  | 初中 | 区县均值 | 6.18 | 3940 | 0.083
 |  |  | 差异系数 | 0.301 | 0.377 | 0.225 | 0.301"""


def test_row_label_and_column_header_combine():
    assert found(COEFFICIENTS) == [
        ("teaching_space_per_student", 4.62, "primary"), ("equipment_value_per_student", 2875, "primary"),
        ("balance_coefficient", 0.352, "primary"), ("balance_coefficient", 0.418, "primary"),
        ("balance_coefficient", 0.274, "primary"), ("balance_coefficient", 0.348, "primary"),
        ("teaching_space_per_student", 6.18, "junior"), ("equipment_value_per_student", 3940, "junior"),
        ("balance_coefficient", 0.301, "junior"), ("balance_coefficient", 0.377, "junior"),
        ("balance_coefficient", 0.225, "junior"), ("balance_coefficient", 0.301, "junior")]


def test_coefficient_names_its_indicator():
    qualifiers = [f.qualifier for f in figures_of(INTRO + COEFFICIENTS) if f.metric == "balance_coefficient"]
    assert qualifiers[:2] == ["生均教学及辅助用房面积", "生均教学仪器设备值"] and qualifiers[3] == "综合"


def test_labels_carry_down_over_merged_cells():
    text = """学校 | 人数 | 金额(元)
西关初中 | 16 | 12800
 | 9 | 11250"""
    figures = figures_of(INTRO + "附件：某县家庭经济困难学生生活补助发放表\n" + text)
    assert [(f.metric, f.value, f.level) for f in figures] == [
        ("student_aid_recipients", 16, "junior"), ("student_aid_amount", 12800, "junior"),
        ("student_aid_recipients", 9, "junior"), ("student_aid_amount", 11250, "junior")]


def test_multi_row_header_and_units_under_the_names():
    text = """ | 学校数 | 在  校 | 教职工
 | (所) | 学生数 | #专任
 |  | (人) | 教师
小    学 | 41 | 20350 | 1210
初    中 | 12 | 9870 | 760"""
    assert found(text) == [
        ("school_count", 41, "primary"), ("student_count", 20350, "primary"), ("teacher_count", 1210, "primary"),
        ("school_count", 12, "junior"), ("student_count", 9870, "junior"), ("teacher_count", 760, "junior")]


@pytest.mark.parametrize("unit_line, header, numbers, factor", [
    ("单位：万元\n", "项目 | 2021年 | 2022年", (36500, 41200, 8400, 9100), 10_000),
    ("", "项目 | 2021年(万元) | 2022年(万元)", (36500, 41200, 8400, 9100), 10_000),
    ("单位：亿元\n", "项目 | 2021年 | 2022年", (3.65, 4.12, 0.84, 0.91), 100_000_000),
])
def test_unit_from_the_unit_line_or_the_header(unit_line, header, numbers, factor):
    a, b, c, d = numbers
    text = f"表1 教育经费投入\n{unit_line}{header}\n教育经费总投入 | {a} | {b}\n学校建设投入 | {c} | {d}"
    figures = figures_of(INTRO + text)
    assert [(f.metric, f.year) for f in figures] == [
        ("education_spending", 2021), ("education_spending", 2022), ("investment", 2021), ("investment", 2022)]
    assert [f.value for f in figures] == pytest.approx([n * factor for n in numbers])


def test_total_row_and_non_figure_columns():
    text = """类别 | 学校数 | 班级数 | 招生数 | 在校学生数 | 学生与专任教师比
小学 | 28 | 412 | 3150 | 18420 | 16.8
初中 | 9 | 186 | 2870 | 8730 | 12.4
合计 | 37 | 598 | 6020 | 27150 | 14.9"""
    assert found(text) == [
        ("school_count", 28, "primary"), ("student_count", 18420, "primary"), ("student_teacher_ratio", 16.8, "primary"),
        ("school_count", 9, "junior"), ("student_count", 8730, "junior"), ("student_teacher_ratio", 12.4, "junior"),
        ("school_count", 37, None), ("student_count", 27150, None), ("student_teacher_ratio", 14.9, None)]


def test_years_as_columns_with_sections_and_parts():
    text = """单位：人
项目 | 2021 | 2022
教职工总数 | 5120 | 5260
小学 | 2480 | 2510
初中 | 1730 | 1790"""
    figures = figures_of(INTRO + text)
    assert [(f.metric, f.value, f.year) for f in figures] == [
        ("teacher_count", 5120, 2021), ("teacher_count", 5260, 2022), ("teacher_count", 2480, 2021),
        ("teacher_count", 2510, 2022), ("teacher_count", 1730, 2021), ("teacher_count", 1790, 2022)]


def test_index_column_and_spread_rows_are_no_figures():
    text = """序号 | 项目 | 生均体育运动场馆面积 | 每百名学生拥有网络多媒体教室数
1 | 全县平均值 | 8.35 | 3.12
2 | 标准差 | 2.41 | 0.96
3 | 差异系数 | 0.289 | 0.308"""
    assert found("某县2023年监测结果（小学部分）\n" + text) == [
        ("sports_space_per_student", 8.35, "primary"), ("multimedia_rooms_per_100", 3.12, "primary"),
        ("balance_coefficient", 0.289, "primary"), ("balance_coefficient", 0.308, "primary")]


def test_form_table_reads_its_key_value_rows_and_sentence_cells():
    text = """项目名称 | 乡村学校运动场改造
项目资金(万元) | 年度资金总额 | 120
 | 其中：财政拨款 | 120
主管部门 | [306]县教育局
产出指标 | 数量指标 | 改造运动场 | 对3所学校改造运动场，面积12000平方米。"""
    values = [(f.metric, f.value) for f in figures_of(INTRO + text)]
    assert values[:2] == [("investment", 1_200_000), ("investment", 1_200_000)]
    assert ("schools_built", 3) in values and all(value != 306 for _, value in values)


@pytest.mark.parametrize("text, shapes", [
    ("a | b | c\n1 | 2 | 3", [["a", "b", "c"], ["1", "2", "3"]]),
    ("| a | b |\n| 1 | 2 |", [["a", "b"], ["1", "2"]]),
    ("x | y | z\n | 2 | 3\nw | 5", [["x", "y", "z"], ["", "2", "3"], ["w", "5"]]),
    ("one line | only | here", []),
    ("发布时间：2023-01-05  |  发布单位：教育局\n正文", []),
])
def test_pipe_rows_with_or_without_outer_bars(text, shapes):
    tables = pipe_tables(text)
    assert [[cell.text for cell in row] for table in tables for row in table.rows] == [r for r in shapes]
    for table in tables:
        assert all(text[c.start:c.end] == c.text for row in table.rows for c in row)


HTML = """<!doctype html><html><head><meta charset="utf-8"><title>某县义务教育资源配置监测</title></head><body>
<div class="TRS_Editor"><p>为巩固义务教育均衡发展成果，县教育局对全县义务教育学校的办学条件开展年度监测，逐校核实校舍、
仪器设备和师资配置数据，测算校际差异系数，监测结果见下表，各校要对照短板逐项整改，持续改善办学条件。</p>
<p>表2 义务教育学校资源配置监测</p><table>
<tr><td>序号</td><td>学校类型</td><td>指标项目</td><td>生均教学及辅助用房面积（㎡）</td><td>班级数</td></tr>
<tr><td>1</td><td>小学</td><td>均值</td><td>5.06</td><td>88</td></tr>
<tr><td></td><td></td><td>差异系数</td><td>0.326</td><td></td></tr>
<tr><td>2</td><td>初中</td><td>均值</td><td>6.74</td><td>40</td></tr>
<tr><td></td><td></td><td>差异系数</td><td>0.291</td><td></td></tr>
</table></div></body></html>"""


def test_html_table_through_the_reader():
    figures = figures_of(HTML, ".html")
    assert [(f.metric, f.value, f.level) for f in figures] == [
        ("teaching_space_per_student", 5.06, "primary"), ("balance_coefficient", 0.326, "primary"),
        ("teaching_space_per_student", 6.74, "junior"), ("balance_coefficient", 0.291, "junior")]


def test_a_year_with_a_word_heads_its_column():
    text = ("某县教育局\n表2 主要指标推进目标\n指标 | 2022年现状 | 2026年目标\n"
            "九年义务教育巩固率（%） | 97.5 | 99.0\n")
    figures = {f.value: (f.year, f.status) for f in figures_of(text) if f.metric == "retention_rate"}
    assert figures == {97.5: (2022, "actual"), 99.0: (2026, "target")}


def test_a_unit_line_joined_onto_a_long_title_line_still_counts():
    title = "表5 某县教育经费投入情况 Education Funds of the County by Source and Year 单位:万元"
    text = f"{title}\n项目 | 2022 | 2023\n教育经费总投入 | 5200 | 5600\n"
    spending = [f for f in figures_of(INTRO + text) if f.metric == "education_spending"]
    assert sorted(f.value for f in spending) == [52_000_000, 56_000_000]

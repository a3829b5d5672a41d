"""Figures written the ways real county reports write them (learnt from the real development
set, ../shared/dev; the sentences here are our own)."""
import pytest

from junheng.process import extract_bytes


def figures_of(sentence: str) -> list[tuple]:
    doc = extract_bytes(("某县教育局工作情况\n" + sentence + "\n").encode("utf-8"), "t.txt", ".txt")
    return [(f.metric, f.value) for f in doc.figures]


@pytest.mark.parametrize("sentence, expected", [
    # money: an approximation before 万, spoken 个亿, a bare 亿 named by 近
    ("全县投资4200多万元新建教学楼。", ("investment", 42_000_000)),
    ("县财政投入达600余万元。", ("investment", 6_000_000)),
    ("县里拿出2个亿改造薄弱学校。", ("investment", 200_000_000)),
    ("三年来该县投入近亿元。", ("investment", 100_000_000)),
    ("县政府斥资3500万元建设新校区。", ("investment", 35_000_000)),
    ("新校区工程总造价约2600万元。", ("investment", 26_000_000)),
    # schools built, repaired or counted by short nouns
    ("今年维修加固校舍12所。", ("schools_built", 12)),
    ("全县有7所样本校参加监测。", ("school_count", 7)),
    ("全县现有普通高中3所。", ("school_count", 3)),
    ("镇上只剩一所学校。", ("school_count", 1)),
    # land and floor areas
    ("新建学校运动场面积1.2万平方米。", ("land_area", 12_000)),
    ("无偿划拨土地60亩。", ("land_area", 60 * 666.6667)),
    ("改造面积3000多平方米。", ("floor_area", 3000)),
    # rates, including gross rates above 100
    ("全县大班额率降到6.5%。", ("large_class_ratio", 6.5)),
    ("普通高中大班额控制在3%以内。", ("large_class_ratio", 3)),
    ("学前三年毛入园率达到103.2%。", ("enrollment_rate", 103.2)),
    ("确保适龄儿童100%入学。", ("enrollment_rate", 100)),
    # per student and per pupil amounts
    ("公用经费标准提高到初中850元/生、年。", ("per_student_funding", 850)),
    ("全县小学在校41230人。", ("student_count", 41230)),
    ("全县共有留守学生812名。", ("left_behind_children", 812)),
])
def test_a_figure_of_the_genre_is_read(sentence, expected):
    metric, value = expected
    found = figures_of(sentence)
    assert any(m == metric and abs(v - value) <= 0.005 * abs(value) for m, v in found), found


def test_an_action_carries_over_its_list():
    found = figures_of("今年新建改扩建中小学5所、幼儿园9所。")
    assert ("schools_built", 5) in found and ("schools_built", 9) in found


def test_a_level_clause_continues_the_count_before_it():
    found = figures_of("全县教职工2100人，其中高中教师300人，初中640人，小学980人。")
    assert {("teacher_count", 640), ("teacher_count", 980)} <= set(found)


@pytest.mark.parametrize("sentence, expected", [
    ("今年对全县41所中小学校进行消防改造。", ("schools_built", 41)),
    ("全县共有中小学52所，今年改扩建其中6所。", ("school_count", 52)),
])
def test_schools_in_a_building_sentence_are_the_schools_acted_on(sentence, expected):
    assert expected in figures_of(sentence)


def test_a_change_without_its_origin_word_keeps_the_earlier_value():
    doc = extract_bytes("某县教育局\n乡村教师生活补助每人每月200元调至500元。\n".encode(), "t.txt", ".txt")
    pay = [f for f in doc.figures if f.metric == "teacher_pay"]
    assert [(f.value, f.previous) for f in pay] == [(500, 200)]


@pytest.mark.parametrize("sentence, value", [("全市教育投入78.6亿元。", 7_860_000_000), ("投资1.15亿元。", 115_000_000)])
def test_values_are_free_of_floating_point_noise(sentence, value):
    assert [v for _, v in figures_of(sentence)] == [value]


@pytest.mark.parametrize("sentence, expected", [
    ("为全县18所学校的学生发放营养餐补助资金860万元。", ("student_aid_amount", 8_600_000)),
    ("一期工程惠及4个乡镇9所学校。", ("school_count", 9)),
])
def test_aid_money_and_schools_after_townships(sentence, expected):
    assert expected in figures_of(sentence)


def test_a_waiver_counts_its_recipients_and_a_programme_name_is_no_plan():
    found = {(f.metric, f.value, f.status) for f in extract_bytes(
        "某县教育局\n今年共为1260名幼儿免除保教费。落实营养餐改善计划资金380万元。\n".encode(), "t.txt", ".txt").figures}
    assert ("student_aid_recipients", 1260, "actual") in found
    assert ("student_aid_amount", 3_800_000, "actual") in found

"""Genre rules for a figure's level, year and status (CONTRACT: figures)."""
import pytest

from junheng.document import Document
from junheng.evaluation.figures import evaluate_figures, format_disagreements
from junheng.figures.extract import extract_figures


def figures_of(text: str, date: str | None = "2020-06-30"):
    return extract_figures(Document(source="t", sha256="0", text=text, format="txt", date=date))


def attributes(text: str, value: float, date: str | None = "2020-06-30"):
    found = [f for f in figures_of(text, date) if abs(f.value - value) < 1e-9]
    assert len(found) == 1, figures_of(text, date)
    return found[0].level, found[0].year, found[0].status


@pytest.mark.parametrize("text, value, level", [
    # 其中小学 is 其中 + 小学, not 中小学.
    ("全市共有义务教育学校203所，其中小学165所、初中38所。", 165, "primary"),
    # 义务教育/中小学 opening a sentence scopes the stocks of its later clauses, across ；.
    ("义务教育阶段在校学生45.2万人，专任教师31486人。", 31486, "compulsory"),
    ("全县现有义务教育学校62所，其中小学47所、初中12所；在校学生6.2万人，专任教师3912人。", 3912, "compulsory"),
    ("全县中小学宽带接入率达到100%，多媒体教室覆盖率达到96.7%。", 96.7, "compulsory"),
    # ... but not when the sentence counts 高中 too: there 中小学 is every school.
    ("全州各级各类中小学96所，其中普通高中12所；在校学生60013人。", 60013, None),
    # ... nor after a 幼儿园 or 特殊教育 count: those are outside the compulsory stage.
    ("全县现有中小学58所；幼儿园42所，专任教师1200人。", 1200, None),
    ("全县义务教育学校56所，特殊教育学校1所，在校生120人。", 120, None),
    # A flow (money, new schools) keeps only the level its own clause names.
    ("全县义务教育学校均已达标，累计投入2.36亿元。", 236000000, None),
    # 教学点 are primary teaching points; 乡村小规模学校 names no level (村小 inside it).
    ("另有村级教学点13个。", 13, "primary"),
    ("全县现有乡村小规模学校68所。", 68, None),
    # Grades name their stage (quality monitoring reports by grade).
    ("四年级语文学科校际差异率为0.12。", 0.12, "primary"),
    ("八年级数学学科校际差异率为0.18。", 0.18, "junior"),
])
def test_level(text, value, level):
    assert attributes(text, value)[0] == level


@pytest.mark.parametrize("text, values, levels", [
    # 分别 after figures with levels: its numbers pair with them in order.
    ("小学综合差异系数为0.316，初中为0.274，分别低于国家规定的0.50和0.45。", (0.50, 0.45), ("primary", "junior")),
    # 分别 in a later ；-clause reuses the sentence's list of levels.
    ("小学、初中生均教学及辅助用房面积分别为5.82平方米、7.46平方米；生均图书分别为28.6册、39.2册。",
     (28.6, 39.2), ("primary", "junior")),
])
def test_respectively_levels(text, values, levels):
    assert tuple(attributes(text, v)[0] for v in values) == levels


def test_one_level_named_twice_gives_one_figure():
    figures = figures_of("对不足100人的村小和教学点按寄宿生年生均200元标准增加公用经费。")
    assert len([f for f in figures if f.value == 200]) == 1


@pytest.mark.parametrize("text, value, year", [
    ("与2015年基本均衡评估时相比，小学生均教学及辅助用房面积由5.82平方米提高到6.35平方米。", 6.35, 2022),
    ("自2014年实施“全面改薄”以来，全州新建、改扩建校舍面积162.3万平方米。", 1623000, 2022),
    ("教育经费总投入由2015年的9.86亿元增加到2018年的12.4亿元。", 1240000000, 2018),
    ("自2021年起，小学生均公用经费提高到每生每年750元。", 750, 2021),
    ("2021学年全区交流轮岗教师1126人。", 1126, 2021),
    # A comparison later in the sentence does not unsay its year; 参与 is no 与.
    ("2019年小学专任教师与上年相比达到760人。", 760, 2019),
    ("2019年小学在校生与2018年相比，达到5100人。", 5100, 2019),
    ("参与2019年质量监测的学校有32所。", 32, 2019),
])
def test_year(text, value, year):
    assert attributes(text, value, date="2022-06-30")[1] == year


@pytest.mark.parametrize("text, value, year, status", [
    # A standard is a target of no year; the county's own figures stay actual.
    ("2019年小学综合差异系数为0.316，低于国家规定的0.50。", 0.50, None, "target"),
    ("2019年小学综合差异系数为0.316，低于国家规定的0.50。", 0.316, 2019, "actual"),
    ("小学、初中综合差异系数分别为0.368和0.306，分别低于0.50和0.45的国家标准。", 0.50, None, "target"),
    ("小学、初中综合差异系数分别为0.368和0.306，分别低于0.50和0.45的国家标准。", 0.45, None, "target"),
    ("综合差异系数均达到国家规定的标准（小学不高于0.65、初中不高于0.55）。", 0.55, None, "target"),
    ("每百名学生拥有计算机数14台（省督导标准为13台/百名学生）。", 13, None, "target"),
    ("2019年全县已有8所省级标准化学校，每百名学生拥有计算机数14台。", 14, 2019, "actual"),
    # ... unless its own clause dates it.
    ("到2022年全面实现小学45人、初中50人的国家班额标准。", 50, 2022, "target"),
    # A standard named after another word is not this figure's: 42 schools met it.
    ("截至目前，全县已有42所学校的办学条件达到国家标准。", 42, 2020, "actual"),
    ("截至目前，义务教育阶段已有42所学校按国家标准达到85分以上。", 42, 2020, "actual"),
    # A requirement right after the number (only a link word between) is the figure's own.
    ("巩固率95%以上的要求全部落实。", 95, None, "target"),
    # Recurring targets belong to no one year; 每生每年 is a unit.
    ("到2025年，每年招聘教师不少于300名。", 300, None, "target"),
    ("到2025年，小学生均公用经费不低于每生每年800元。", 800, 2025, "target"),
    # Names of mechanisms and programmes are no plan: 目标责任制, 乡村教师支持计划.
    ("实行控辍保学目标责任制，初中辍学率为0.85%。", 0.85, 2020, "actual"),
    ("实施乡村教师支持计划，2019年培训教师6800人次。", 6800, 2019, "actual"),
])
def test_year_and_status(text, value, year, status):
    assert attributes(text, value)[1:] == (year, status)


def test_a_years_plan_heading_dates_its_targets():
    text = "某县2019年教育工作总结\n四、2020年工作打算\n一是启动县城第二小学扩建工程，计划投资3200万元。\n"
    assert attributes(text, 32000000, date="2019-12-20")[1:] == (2020, "target")


PLAN = "某县义务教育优质均衡发展实施方案\n二、工作目标\n到2025年，全县义务教育达到优质均衡。{}\n"
FACTS = "某县义务教育优质均衡发展实施方案\n一、发展基础\n{}\n"


@pytest.mark.parametrize("frame, sentence, value, status", [
    # Among a plan's goals a threshold (以上/以下/以内) is a goal to reach, with or without 达到.
    (PLAN, "其中，每百名学生拥有高于规定学历教师数小学4.2人以上。", 4.2, "target"),
    (PLAN, "九年义务教育巩固率达到99%以上。", 99, "target"),
    # ... but in the plan's account of where the county stands it is a fact.
    (FACTS, "2019年九年义务教育巩固率达到99%以上。", 99, "actual"),
])
def test_thresholds_among_a_plans_goals_are_targets(frame, sentence, value, status):
    found = [f for f in figures_of(frame.format(sentence)) if f.value == value]
    assert [f.status for f in found] == [status]


def test_mismatches_lists_each_disagreement_with_its_sentence(tmp_path):
    text = "全市共有义务教育学校203所，其中小学165所。"
    (tmp_path / "r.json").write_text(
        '{"figures": [{"metric": "school_count", "value": 165, "level": "junior", "status": "actual",'
        ' "year": 2020, "previous": null, "text": "其中小学165所"}]}', encoding="utf-8")
    doc = Document(source="t", sha256="0", text=text, format="txt", date="2020-06-30")
    report = format_disagreements(evaluate_figures(tmp_path, {"r": doc}))
    assert "gold=junior predicted=primary" in report and text in report

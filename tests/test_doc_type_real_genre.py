"""doc_type and title on real web pages: news, notices, summaries, plans, table pages and
`other` told apart by weighed cues (ANNOTATION.md). Every text here is our own, written in
the genre's ways; none is taken from a real page."""
import pytest

from junheng.metadata.doc_type import classify_doc_type, table_share
from junheng.metadata.fields import find_title
from junheng.process import extract_bytes

TABLE = "\n".join(["学段 | 学校数 | 在校生 | 专任教师"] + [f"第{n}组 | {n + 3} | {n * 410} | {n * 30}" for n in range(1, 9)])


@pytest.mark.parametrize("title, text, expected", [
    # news: a dateline, a byline, a reprint's source — even when the story quotes a plan
    ("某县新建三所乡村小学", "本报讯（记者 张某 通讯员 李某）日前，某县三所乡村小学同时投入使用。", "news"),
    ("某区出台新规划", "来源：某某日报\n某区近日印发《某区教育事业发展规划》，到2025年新增学位3000个。", "news"),
    ("某县：薄弱学校变了样", "3月5日，记者走进某县第二小学，新教学楼已经建成。该县今年投入资金800万元。", "news"),
    ("全县义务教育工作推进会召开", "9月8日上午，全县义务教育工作推进会在县政府召开。\n（县教育局 王某）", "news"),
    ("某市整改工作回头看取得实效", "某网讯 近日，某市组织专家对反馈问题整改情况进行回访。据悉，该市已完成整改。", "news"),
    # notice: the kind word ends the title; 通报 and 公告 are notices; the salutation and 印发给你们
    ("关于做好2024年义务教育招生入学工作的通知", "各乡镇中心学校：\n现将有关事项通知如下。", "notice"),
    ("某县教育局关于春季学期学生营养餐进展情况的通报", "一、总体情况\n全县营养餐覆盖学校40所。", "notice"),
    ("关于2022年全县教育经费执行情况的统计公告", "一、教育经费总投入\n全县教育经费总投入5亿元。", "notice"),
    (None, "各县区财政局、教育局：\n现将补助资金下达给你们，请认真贯彻执行。\n附件：资金分配表", "notice"),
    # plan: 规划/方案 at the end, 印发《…方案》的通知, 特制定本方案, targets and directives
    ("某县“十五五”教育事业发展规划(2026—2030年)(征求意见稿)", "一、发展基础\n二、主要目标", "plan"),
    ("某县人民政府办公室关于印发《某县学校布局调整实施方案（2024—2026年）》的通知",
     "各乡镇人民政府：\n现将实施方案印发给你们，请认真贯彻执行。", "plan"),
    (None, "为做好今年秋季招生工作，根据上级文件精神，特制定本方案。\n一、招生原则", "plan"),
    (None, "1.各校不得跨片区招生。\n2.新生班额原则上不超过45人。\n3.严禁举行任何形式的入学考试。\n4.民办学校不得提前招生。", "plan"),
    # work summary: 工作总结 (also with next year's plan), …情况汇报, …主要情况, a summary section
    ("某县教育局2023年工作总结和2024年工作计划", "一、2023年工作总结\n二、2024年工作计划", "work_summary"),
    ("某县中小学校舍建设情况", "我县原有学校90所，现调整为30所。", "work_summary"),
    (None, "一、2023年工作总结\n今年以来，区教育局围绕中心工作抓落实。\n二、存在问题\n三、下一步工作打算", "work_summary"),
    # self-assessment, research, rectification
    ("某县义务教育优质均衡发展自查自评报告", "按照省教育厅部署，我县开展了自查。", "self_assessment"),
    (None, "文档简介\n某乡中学学生资助工作自查报告 一、自查工作开展情况", "self_assessment"),
    ("关于全县农村寄宿制学校建设情况的调研报告", "县人大常委会调研组深入12所学校进行了调研。", "research_report"),
    ("某区关于督导评估反馈问题整改情况的报告", "现将整改落实情况报告如下。", "rectification_report"),
    # other: a reply to a deputy, an audit result, monitoring results, tables, a question page
    ("某县教育局关于县人大第12号建议的答复", "王某代表：\n您提出的关于改善乡村学校条件的建议收悉，现答复如下。", "other"),
    ("某县审计局关于全县教育经费使用情况的审计结果公告", "现将审计结果公告如下：\n一、基本情况", "other"),
    ("某区2023年义务教育均衡发展状况监测结果", "监测结果表明，全区小学差异系数为0.31。", "other"),
    ("2023年全县中小学基本情况统计表", TABLE, "other"),
    (None, TABLE, "other"),
    ("某县教育怎么样", "某县的教育近年发展较快，以下是几个方面的概况。", "other"),
])
def test_doc_type_of_real_pages(title, text, expected):
    assert classify_doc_type(title, text) == expected


def test_a_quoted_plan_or_notice_does_not_make_a_story_a_plan():
    text = "本报讯 某市教育局日前印发《关于推进集团化办学的实施方案》和《关于做好招生工作的通知》。"
    assert classify_doc_type("某市推进集团化办学", text) == "news"


@pytest.mark.parametrize("text, kind", [
    ("某縣教育事業發展規(guī)劃\n一、發展基礎\n全縣現有學校40所。\n", "plan"),
    ("關於某事項的通報\n各鄉鎮中心學校：\n現將檢查情況通報如下。\n", "notice"),
])
def test_traditional_characters_and_mirror_pinyin_are_read(text, kind):
    """Pages in traditional characters reach the cues simplified (pipeline/text/traditional.py)."""
    assert extract_bytes(text.encode("utf-8"), "t.txt", ".txt").doc_type == kind


def test_table_share_counts_data_rows_not_an_info_box():
    info_box = ["索引号 | 0001-2024 | 发布机构 | 某县教育局", "标题 | 某县召开教育工作会议"]
    prose = ["全县教育工作会议今天召开。"] * 8
    assert table_share(info_box + prose) == 0
    assert table_share(TABLE.split("\n")) == 1


@pytest.mark.parametrize("lines, expected", [
    (["一、基本情况", "某县教育经费执行情况统计公告", "全县教育经费总投入5亿元。"], "某县教育经费执行情况统计公告"),
    (["(四)推进学校建设", "全面改善农村学校办学条件。"], None),
    (["2024年03月05日 来源：某县融媒体中心", "某县新建三所学校"], "某县新建三所学校"),
    (["某县审计局", "关于全县中小学收费情况", "的审计结果公告", "(二〇二四年五月六日公告)"],
     "关于全县中小学收费情况的审计结果公告"),
    (["名称：某县教育局关于招生工作的通知", "正文"], "某县教育局关于招生工作的通知"),
])
def test_a_numbered_heading_or_a_date_line_is_never_the_title(lines, expected):
    assert find_title(lines, {}, guess=False) == expected

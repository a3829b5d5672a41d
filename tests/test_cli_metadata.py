import json
import sqlite3

import pytest

from conftest import CORPUS, run
from junheng.evaluation.gold import load_gold, rendered_documents
from junheng.metadata.fields import balance_stage, classify_doc_type
from junheng.evaluation.metadata import evaluate_metadata


@pytest.fixture(scope="module")
def metadata_scores():
    gold = load_gold(CORPUS / "gold")
    return {form: evaluate_metadata(gold, rendered_documents(CORPUS / "renderings", form, list(gold)))
            for form in ("html", "pdf", "txt", "docx")}


@pytest.mark.parametrize("form", ["html", "pdf", "txt", "docx"])
def test_corpus_metadata_accuracy_floors(metadata_scores, form):
    scores = metadata_scores[form]
    assert scores["region"]["accuracy"] >= 0.97
    assert scores["doc_type"]["accuracy"] >= 0.90
    assert scores["balance_stage"]["accuracy"] >= 0.90
    assert scores["title"]["accuracy"] >= 0.90
    assert scores["date"]["accuracy"] >= 0.85


@pytest.mark.parametrize("title, text, expected", [
    ("双城区关于优质均衡督导评估反馈意见的整改落实情况报告", "", "rectification_report"),
    ("某县义务教育发展基本均衡县自评报告", "", "self_assessment"),
    ("关于全县义务教育均衡发展工作情况的调研报告", "", "research_report"),
    ("北票市推进义务教育优质均衡发展工作规划", "", "plan"),
    ("某县教育局2019年工作总结", "", "work_summary"),
    ("关于推进义务教育优质均衡发展的实施意见", "", "notice"),
    ("县域义务教育均衡发展报告", "近日，县人大常委会组织调研组对我县义务教育均衡发展情况进行调研。", "research_report"),
    ("优化城乡教育资源配置 促进教育公平", "一、基本情况\n全州共有学校96所。\n二、主要做法\n" + "做法。" * 900, "work_summary"),
    ("新学期新增学位5400个", "本报讯（记者 王某）新学期伊始，全区新增学位。", "news"),
])
def test_doc_type_rules(title, text, expected):
    assert classify_doc_type(title, text) == expected


@pytest.mark.parametrize("title, text, expected", [
    ("某县推进义务教育优质均衡发展实施方案", "基本均衡 基本均衡", "quality"),
    ("县域义务教育均衡发展报告", "推进义务教育均衡发展，创建基本均衡县。", "basic"),
    ("城乡义务教育一体化改革发展调研报告", "", "integration"),
    ("某县教育工作总结", "全年学校建设顺利推进。", None),
])
def test_balance_stage(title, text, expected):
    assert balance_stage(title, text) == expected


def test_regions_lists_every_candidate_of_an_ambiguous_name():
    result = run("regions", "朝阳区", "--format", "json")
    codes = {row["code"] for row in json.loads(result.output)}
    assert {"110105", "220104"} <= codes


def test_regions_accepts_short_forms_and_codes():
    assert json.loads(run("regions", "海西州", "--format", "json").output)[0]["code"] == "632800"
    assert json.loads(run("regions", "230900", "--format", "json").output)[0]["name"] == "七台河市"


def test_set_corrects_a_document_and_the_correction_survives_reextraction(tmp_path):
    report = CORPUS / "reports" / "heilongjiang-baoqing-2016.html"
    db = tmp_path / "set.db"
    assert run("ingest", report, "--db", db, "--workers", "1").exit_code == 0
    assert run("set", str(report), "--db", db, "--doc-type", "work_summary", "--region", "230500").exit_code == 0
    assert run("ingest", report, "--db", db, "--force", "--workers", "1").exit_code == 0
    row = sqlite3.connect(db).execute("SELECT doc_type, region_code, city, county, corrections FROM documents").fetchone()
    assert row[:4] == ("work_summary", "230500", "双鸭山市", None)
    assert json.loads(row[4])["doc_type"] == "work_summary"


@pytest.mark.parametrize("args, message", [
    (["--date", "May 2019"], "YYYY-MM-DD"),
    (["--region", "999999"], "not a current division code"),
    ([], "nothing to set"),
])
def test_set_refuses_bad_values(tmp_path, args, message):
    db = tmp_path / "x.db"
    run("ingest", CORPUS / "reports" / "heilongjiang-baoqing-2016.html", "--db", db, "--workers", "1")
    result = run("set", "heilongjiang", "--db", db, *args)
    assert result.exit_code == 2 and message in result.output

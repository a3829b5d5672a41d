import csv
import subprocess
import sys
from pathlib import Path

import pytest

from junheng.measures import tagger as measures
from junheng.measures import model as measures_model
from junheng.evaluation import measures as measures_eval
from junheng.document import Document

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT.parent / "shared" / "spec" / "measures.tsv"
CORPUS = ROOT / "corpus"
# A little under what the model reaches on the corpus (see models/measures/metrics.json).
MACRO_F1_FLOOR = 0.93


def make_doc(text: str) -> Document:
    return Document(source="test.txt", sha256="0" * 64, text=text, format="txt")


@pytest.fixture(scope="module")
def model():
    return measures_model.load_model()


# ---------------------------------------------------------------- the lexicon


@pytest.mark.skipif(not SPEC.exists(), reason="shared/spec not beside the project")
def test_lexicon_ids_are_the_contract_vocabulary():
    with SPEC.open(encoding="utf-8") as handle:
        spec_ids = [row["id"] for row in csv.DictReader(handle, delimiter="\t")]
    assert measures_model.measure_ids() == spec_ids


def test_lexicon_rows_are_well_formed():
    for row in measures_model.lexicon_rows():
        assert row["pattern"] and row["kind"] in {"phrase", "regex"}, row


@pytest.mark.parametrize("text, present, absent", [
    ("全面实施农村义务教育学生营养改善计划。", {"nutrition_program"}, set()),
    ("先后印发了《宝清县学生营养改善计划实施细则》《宝清县校园安全工作责任制》等文件。", set(),
     {"nutrition_program", "school_safety"}),
    ("建立控辍保学台账，按照《关于做好留守儿童关爱工作的通知》开展劝返。", {"dropout_control"},
     {"left_behind_children"}),
])
def test_keywords_inside_document_titles_are_not_matched(text, present, absent):
    found = {measure for measure, _, _ in measures_model.lexicon_matches(text)}
    assert present <= found and not absent & found
    for measure, start, end in measures_model.lexicon_matches(text):
        assert "《" not in text[start:end]


def test_keyword_columns_mark_each_texts_own_keywords():
    texts = ["建立控辍保学台账。", "", "按照《营养改善计划实施细则》开展工作。", "落实营养改善计划，开展送教上门、控辍保学。"]
    matrix = measures_model.keyword_columns(texts)
    ids = measures_model.measure_ids()
    for row, text in enumerate(texts):
        expected = {measure for measure, _, _ in measures_model.lexicon_matches(text)}
        assert {ids[column] for column in matrix[row].nonzero()[0]} == expected
    assert set(matrix.ravel()) <= {0, 1}


# ---------------------------------------------------------------- the model artifact


def test_model_loads_and_scores_without_scikit_learn_or_scipy():
    # Workers score with plain arrays: importing scikit-learn cost each of them a second, scipy 0.15 s.
    code = ("import sys; from junheng.measures import model as m, tagger as measures; "
            "print(m.load_model() is m.load_model(), measures.sentence_scores(m.load_model()[0], ['落实控辍保学。']).max() > 0,"
            " 'sklearn' in sys.modules, 'scipy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.split() == ["True", "True", "False", "False"]


def test_artifact_is_small_and_described(model):
    _, meta = model
    directory = measures_model.default_dir()
    assert (directory / meta["artifact"]).stat().st_size < 5_000_000
    assert meta["model_version"] and meta["data_sha256"]
    assert 0 < meta["thresholds"]["document"] < 1
    assert (directory / measures_model.METRICS).exists()


def test_model_was_trained_with_the_current_lexicon(model):
    # The keyword columns are features: editing the lexicon means retraining the model.
    assert model[1]["lexicon_sha256"] == measures_model.lexicon_hash()


@pytest.mark.parametrize("sentence, measure", [
    ("2020年起全面推行县管校聘管理改革，全县教师由县教育局统一调配，学校按岗竞聘。", "county_managed_teachers"),
    ("建立控辍保学工作台账，对疑似辍学学生逐一家访，全年劝返复学17人。", "dropout_control"),
    ("2019年城区学校交流到农村学校任教的教师126人，占符合交流条件教师总数的15%。", "teacher_rotation"),
    ("全县中小学全部安装一键报警装置并与公安联网，每校配齐专职保安2名以上。", "school_safety"),
    ("全面落实农村学生营养改善计划，每生每天补助4元，受益学生2.1万人。", "nutrition_program"),
    ("落实两为主政策，为1.2万名随迁子女提供公办学校学位。", "migrant_children"),
    ("对不能到校就读的重度残疾儿童实行送教上门，做到一人一案。", "special_education"),
    ("严格控制作业总量，全面开展课后服务，参与率达到95%。", "double_reduction"),
])
def test_clear_sentences_are_tagged(model, sentence, measure):
    loaded, meta = model
    scores = dict(zip(loaded.measures, measures.sentence_scores(loaded, [sentence])[0]))
    assert scores[measure] >= 0.5
    assert max(scores, key=scores.get) == measure


@pytest.mark.parametrize("sentence", [
    "各单位要高度重视，统一思想，提高认识，切实加强组织领导，确保各项任务按期完成。",
    "打印本页 关闭窗口",
    "全县总人口42.6万人，辖10个乡镇、145个行政村。",
])
def test_boilerplate_scores_low(model, sentence):
    loaded, meta = model
    assert measures.sentence_scores(loaded, [sentence]).max() < meta["thresholds"]["document"]


# ---------------------------------------------------------------- classify


REPORT = "\n".join([
    "某县控辍保学工作情况汇报",
    "县政府先后印发了《某县学生营养改善计划实施细则》《某县校园安全工作责任制》等文件。",
    "一、主要做法",
    "（一）健全控辍保学机制。建立县、乡、村、校四级联控责任制，对疑似辍学学生逐一家访，全年劝返复学23人。",
    "|项目|2019年|2020年|",
    "|营养改善计划受益学生（人）|4120|4300|",
    "二是落实学籍动态监测，每月比对一次学籍数据，发现流失学生立即启动劝返程序。",
    "某县教育局",
    "2020年12月20日",
])


def test_classify_reports_the_measure_with_real_evidence():
    doc = make_doc(REPORT)
    hits = {hit.measure: hit for hit in measures.classify(doc)}
    assert "dropout_control" in hits
    hit = hits["dropout_control"]
    assert 0.0 <= hit.score <= 1.0 and 1 <= len(hit.evidence) <= measures.MAX_EVIDENCE
    for evidence in hit.evidence:
        assert doc.text[evidence.start:evidence.end] == evidence.text
        assert "《" not in evidence.text and "|" not in evidence.text


def test_measures_named_only_in_title_lists_or_tables_are_not_counted():
    hits = {hit.measure for hit in measures.classify(make_doc(REPORT))}
    assert not hits & {"nutrition_program", "school_safety"}
    baseline = {hit.measure for hit in measures.lexicon_baseline(make_doc(REPORT))}
    assert not baseline & {"nutrition_program", "school_safety"}


@pytest.mark.parametrize("text", ["", "\n", "某县教育局\n2020年12月20日", "目录\n一、基本情况……………3"])
def test_documents_without_content_have_no_measures(text):
    assert measures.classify(make_doc(text)) == []


# ---------------------------------------------------------------- the gate on the corpus


@pytest.fixture(scope="module")
def corpus_result():
    sources = sorted((CORPUS / "source").glob("*.txt"))
    if not sources or not (CORPUS / "gold").is_dir():
        pytest.skip("the evaluation corpus is not here")
    return measures_eval.evaluate_measures(CORPUS / "gold", measures_eval.load_sources(CORPUS / "source"))


def test_model_beats_the_floor_and_the_baseline_on_the_corpus(corpus_result):
    model_f1 = corpus_result["model"]["macro"]["f1"]
    baseline_f1 = corpus_result["baseline"]["macro"]["f1"]
    assert model_f1 >= MACRO_F1_FLOOR, measures_eval.format_measures_report(corpus_result)
    assert model_f1 > baseline_f1, measures_eval.format_measures_report(corpus_result)


def test_report_prints_support_per_measure(corpus_result):
    report = measures_eval.format_measures_report(corpus_result)
    assert "micro" in report and "macro" in report
    for measure, entry in corpus_result["per_measure"].items():
        assert measure in report and entry["support"] >= 0

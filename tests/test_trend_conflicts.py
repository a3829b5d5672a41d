import json
from hashlib import sha256

import pytest

from conftest import run
from junheng.analysis.conflicts import conflicts, disagree
from junheng.document import Document, Figure, Region
from junheng.store.database import open_db, save_document
from junheng.analysis.trend import trend

BAOQING = Region(province="黑龙江省", city="双鸭山市", county="宝清县", code="230523", level="county")
ANJI = Region(province="浙江省", city="湖州市", county="安吉县", code="330523", level="county")


def document(source, date, region, lines):
    """A Document whose text is `lines`, one figure per (sentence, figure text, fields) line."""
    text = "\n".join(sentence for sentence, _, _ in lines)
    figures = []
    for sentence, figure_text, fields in lines:
        start = text.index(sentence) + sentence.index(figure_text)
        fields = {"level": "compulsory", "status": "actual", "unit": "percent", **fields}
        figures.append(Figure(text=figure_text, start=start, end=start + len(figure_text), **fields))
    return Document(source=source, sha256=sha256(source.encode()).hexdigest(), text=text, format="txt",
                    title=f"{source} 标题", date=date, doc_type="work_summary", region=region, figures=figures)


def rate(value, year, **fields):
    return {"metric": "retention_rate", "value": value, "year": year, **fields}


def classes(value, year, **fields):
    return {"metric": "large_class_count", "value": value, "year": year, "unit": "class", **fields}


A_LINES = [
    ("2015年全县义务教育巩固率达到96.8%。", "巩固率达到96.8%", rate(96.8, 2015)),
    ("全县现有大班额20个。", "大班额20个", classes(20, 2016)),
    ("到2020年巩固率达到98%以上。", "巩固率达到98%以上",
     rate(98, 2020, status="target", qualifier="以上")),
]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    """Two 宝清县 reports that disagree once, a repost, a third report that agrees, one 安吉县 report."""
    path = tmp_path_factory.mktemp("small") / "small.db"
    db = open_db(path, create=True)
    for doc in [
        document("a.txt", "2016-05-10", BAOQING, A_LINES),
        document("a-repost.html", "2016-05-12", BAOQING, A_LINES),  # same text: stored as a duplicate
        document("b.txt", "2021-12-20", BAOQING, [
            ("2021年义务教育巩固率为99.2%。", "巩固率为99.2%", rate(99.2, 2021)),
            ("2016年全县大班额为25个。", "大班额为25个", classes(25, 2016)),
            ("大班额现已减少到3个。", "减少到3个", classes(3, 2021, previous=25)),
            ("2016年投资1000万元。", "投资1000万元", {"metric": "investment", "value": 1e7, "year": 2016,
                                                  "unit": "yuan"}),
            ("另有大班额30个。", "大班额30个", classes(30, None)),
        ]),
        document("c.txt", "2017-03-01", BAOQING, [
            ("2015年巩固率为96.85%。", "巩固率为96.85%", rate(96.85, 2015)),  # within 1%: agreement
            ("2016年投资2000万元。", "投资2000万元", {"metric": "investment", "value": 2e7, "year": 2016,
                                                  "unit": "yuan"}),  # flows add up: no conflict
            ("另有大班额40个。", "大班额40个", classes(40, None)),  # no year: cannot be placed
        ]),
        document("d.txt", "2019-01-01", ANJI, [
            ("2018年巩固率99.6%。", "巩固率99.6%", rate(99.6, 2018)),
            ("城区大班额5个。", "大班额5个", classes(5, 2018)),
            ("全县大班额7个。", "大班额7个", classes(7, 2018)),  # the same document: not two sources
        ]),
    ]:
        save_document(db, doc)
    assert db.execute("SELECT duplicate_of FROM documents WHERE source = 'a-repost.html'").fetchone()[0] == 1
    return path


def test_trend_lists_each_point_once_actual_and_target_apart(small_db):
    points = trend(open_db(small_db), "retention_rate", ["230523"])
    assert [(p["status"], p["year"], p["value"], p["qualifier"], p["source"]) for p in points] == [
        ("actual", 2015, 96.8, None, "a.txt"),
        ("actual", 2015, 96.85, None, "c.txt"),
        ("actual", 2021, 99.2, None, "b.txt"),
        ("target", 2020, 98, "以上", "a.txt"),
    ]
    assert points[0]["sentence"] == "2015年全县义务教育巩固率达到96.8%。"
    assert points[0]["text"] == "巩固率达到96.8%"
    assert (points[0]["title"], points[0]["date"], points[0]["region"]) == ("a.txt 标题", "2016-05-10", "宝清县")


def test_trend_of_several_regions_and_one_level(small_db):
    db = open_db(small_db)
    both = trend(db, "retention_rate", ["230523", "330523"])
    assert [(p["region"], p["value"]) for p in both][-1] == ("安吉县", 99.6)
    assert len(both) == 5
    assert trend(db, "retention_rate", ["230523"], level="junior") == []


def test_conflicts_report_the_one_disagreement_between_sources(small_db):
    pairs = conflicts(open_db(small_db))
    assert len(pairs) == 1
    pair = pairs[0]
    assert {key: pair[key] for key in ("region_code", "metric", "level", "qualifier", "year", "status")} == {
        "region_code": "230523", "metric": "large_class_count", "level": "compulsory", "qualifier": None,
        "year": 2016, "status": "actual"}
    assert (pair["a"]["source"], pair["a"]["value"], pair["b"]["source"], pair["b"]["value"]) == (
        "a.txt", 20, "b.txt", 25)
    assert pair["difference_pct"] == 20.0
    assert pair["a"]["sentence"] == "全县现有大班额20个。"
    assert pair["b"]["sentence"] == "2016年全县大班额为25个。"


@pytest.mark.parametrize("a,b,expected", [(20, 25, True), (96.8, 96.85, False), (100, 101, False),
                                          (100, 101.5, True), (0, 0, False), (0, 1, True), (12, 12, False)])
def test_more_than_one_percent_apart_disagrees(a, b, expected):
    assert disagree(a, b) is expected


@pytest.mark.parametrize("args,count", [
    (["--region", "宝清县"], 1),
    (["--region", "安吉县"], 0),
    (["--region", "黑龙江"], 1),  # a province holds its counties
    (["--metric", "retention_rate"], 0),
    (["--metric", "large_class_count", "--region", "230523"], 1),
])
def test_conflicts_command_filters(small_db, args, count):
    result = run("conflicts", "--db", small_db, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == count


def test_conflicts_command_notes_a_metric_that_adds_up(small_db):
    result = run("conflicts", "--db", small_db, "--metric", "investment", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "never conflicts" in result.stderr


def test_trend_command_prints_points_in_every_format(small_db):
    base = ["trend", "--db", small_db, "--region", "宝清县", "--region", "330523", "--metric", "retention_rate"]
    records = json.loads(run(*base, "--format", "json").stdout)
    assert [r["value"] for r in records] == [96.8, 96.85, 99.2, 98, 99.6]
    assert len(run(*base, "--format", "jsonl").stdout.splitlines()) == 5
    assert run(*base, "--format", "csv").stdout.splitlines()[0].startswith("region_code,region,metric")
    assert "巩固率达到96.8%" in run(*base, "--format", "table").stdout


@pytest.mark.parametrize("args", [
    ["trend", "--region", "宝清县", "--metric", "no_such_metric"],
    ["trend", "--region", "没有这个地方", "--metric", "retention_rate"],
    ["trend", "--metric", "retention_rate"],  # --region is required
    ["conflicts", "--metric", "no_such_metric"],
])
def test_usage_errors_exit_2(small_db, args):
    assert run(*args, "--db", small_db).exit_code == 2


# ---------------------------------------------------------------- the bundled corpus


def test_corpus_planted_disagreement_in_jinjiang(corpus_db):
    result = run("conflicts", "--db", corpus_db, "--region", "晋江市", "--format", "json")
    assert result.exit_code == 0, result.output
    found = [(p["metric"], p["level"], p["year"], p["status"], p["a"]["value"], p["a"]["source"].rsplit("/", 1)[1],
              p["b"]["value"], p["b"]["source"].rsplit("/", 1)[1]) for p in json.loads(result.stdout)]
    assert ("large_class_count", "compulsory", 2021, "actual", 18, "fujian-jinjiang-2021.pdf",
            12, "fujian-jinjiang-2021-news.html") in found


@pytest.mark.parametrize("region,metric,slugs", [
    ("宝清县", "per_student_funding", {"heilongjiang-baoqing-2016", "heilongjiang-baoqing-2021"}),
    ("230523", "retention_rate", {"heilongjiang-baoqing-2016", "heilongjiang-baoqing-2021"}),
    ("安吉县", "retention_rate", {"zhejiang-anji-2015", "zhejiang-anji-2019"}),
    ("兰考县", "large_class_count", {"henan-lankao-2019", "henan-lankao-2023"}),
    ("郫都区", "per_student_funding", {"sichuan-pixian-2015", "sichuan-pidu-2022"}),  # 郫县 became 郫都区
])
def test_corpus_trend_spans_the_years_of_one_county(corpus_db, region, metric, slugs):
    result = run("trend", "--db", corpus_db, "--region", region, "--metric", metric, "--format", "json")
    points = json.loads(result.stdout)
    assert {p["source"].rsplit("/", 1)[1].split(".")[0] for p in points} == slugs
    assert len({p["year"] for p in points}) >= 2


def test_corpus_repost_counts_once(corpus_db):
    db = open_db(corpus_db)
    duplicates = [row[0] for row in db.execute("SELECT source FROM documents WHERE duplicate_of IS NOT NULL")]
    assert any("jinzhai" in source for source in duplicates)
    pairs = conflicts(db)
    assert pairs, "the corpus has at least the planted conflict"
    assert not any(side["source"] in duplicates for pair in pairs for side in (pair["a"], pair["b"]))
    points = trend(db, "student_count", ["341524"])
    assert points and not any(point["source"] in duplicates for point in points)

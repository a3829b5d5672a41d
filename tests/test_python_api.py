"""The Python API: junheng.extract, junheng.open and Records.to_pandas, against the CLI's own output."""
import json
import subprocess
import sys

import pytest

import junheng
from conftest import CORPUS, run

REPORT = CORPUS / "reports" / "heilongjiang-baoqing-2016.html"


def cli_json(*args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_public_names_are_documented():
    assert junheng.__all__ == ["extract", "open", "Database", "Document", "Records"]
    for name in junheng.__all__:
        assert getattr(junheng, name).__doc__, name
    with pytest.raises(AttributeError, match="no attribute 'extract_path'"):
        junheng.extract_path  # noqa: B018  (everything else is internal)


def test_import_junheng_is_light():
    code = "import sys, junheng; print(sorted(m for m in ('jieba', 'sqlite_utils', 'click', 'numpy') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_extract_is_the_record_of_junheng_extract():
    doc = junheng.extract(REPORT)
    assert isinstance(doc, junheng.Document)
    assert doc.region.county == "宝清县"
    assert doc.to_record() == cli_json("extract", REPORT)


def test_open_gives_the_readers_of_the_commands(corpus_db):
    with junheng.open(corpus_db) as db:
        assert db.search("县管校聘", limit=50) == cli_json("search", "县管校聘", "--limit", "50", "--db", corpus_db)
        assert db.search("控辍保学", region="黑龙江") == cli_json("search", "控辍保学", "--region", "黑龙江", "--db", corpus_db)
        assert db.figures(metric="large_class_count") == cli_json("figures", "--metric", "large_class_count",
                                                                  "--db", corpus_db)
        assert db.measures() == cli_json("measures", "--db", corpus_db)
        assert db.trend("retention_rate", region="宝清县") == cli_json("trend", "--region", "宝清县", "--metric",
                                                                      "retention_rate", "--db", corpus_db)
        assert db.conflicts(region="晋江市") == cli_json("conflicts", "--region", "晋江市", "--db", corpus_db)
        assert db.conflicts(region="晋江市"), "the corpus plants one disagreement on 晋江市"
        compared = db.compare(["balance_coefficient:primary"], ["dropout_control"], standard="quality")
        assert compared == cli_json("compare", "--metric", "balance_coefficient:primary", "--measure",
                                    "dropout_control", "--standard", "quality", "--db", corpus_db)
        assert db.compare(["large_class_count"], long=True) == cli_json("compare", "--metric", "large_class_count",
                                                                         "--long", "--db", corpus_db)


def test_records_to_pandas(corpus_db):
    pandas = pytest.importorskip("pandas")
    figures = junheng.open(corpus_db).figures(metric="retention_rate")
    frame = figures.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert len(frame) == len(figures) > 0
    assert list(frame.columns) == list(figures[0])
    assert junheng.Records().to_pandas().empty


def test_to_pandas_without_pandas_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` raises ImportError
    with pytest.raises(ImportError, match=r'pip install "junheng\[pandas\]"'):
        junheng.Records([{"a": 1}]).to_pandas()


def test_python_m_junheng_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "junheng", "--help"], capture_output=True, text=True, check=True)
    assert "Usage: junheng" in result.stdout and "extract" in result.stdout

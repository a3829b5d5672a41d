"""`junheng plot`: PNG and SVG written, Chinese labels kept as text, values and sources shown."""
import re

import pytest

from conftest import require_system_part, run
from junheng.outputs import plot
from test_compare import hand_db  # noqa: F401  (the small hand-made database fixture)


def svg_text(path) -> str:
    return path.read_text(encoding="utf-8")


def assert_real_png(path):
    import matplotlib.image

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = matplotlib.image.imread(path)
    assert pixels.shape[0] > 300 and pixels.shape[1] > 600
    assert pixels[..., :3].std() > 0.05, "the image is not blank"


def test_bar_chart_of_the_corpus(corpus_db, tmp_path):
    result = run("plot", "--db", corpus_db, "--metric", "balance_coefficient:primary", "-o", tmp_path / "bc.png")
    assert result.exit_code == 0, result.output
    assert_real_png(tmp_path / "bc.png")
    svg = svg_text(tmp_path / "bc.svg")
    assert "差异系数（小学，实际值）" in svg  # the title, as text
    assert "来源：" in svg and "转载只计一次" in svg
    counties = run("compare", "--db", corpus_db, "--metric", "balance_coefficient:primary", "--format", "json")
    names = re.findall(r'"county": "([^"]+)"', counties.output)
    assert names and all(name in svg for name in names)


def test_values_years_and_sources_on_a_bar_chart(hand_db, tmp_path):  # noqa: F811
    result = run("plot", "--db", hand_db, "--metric", "retention_rate", "-o", tmp_path / "rate.svg")
    assert result.exit_code == 0, result.output
    assert "2 regions from 2 documents" in result.output
    svg = svg_text(tmp_path / "rate.svg")
    for label in ("宝清县", "兰考县", "98.5（2019年）", "96（2021年）", "巩固率（义务教育，实际值）", "单位：%",
                  "来源：2份文件（2019–2021年"):
        assert label in svg
    assert (tmp_path / "rate.png").exists()


def test_line_chart_across_years(hand_db, tmp_path):  # noqa: F811
    result = run("plot", "--db", hand_db, "--metric", "retention_rate", "--by", "year", "--region", "宝清县",
                 "-o", tmp_path / "years")
    assert result.exit_code == 0, result.output
    assert_real_png(tmp_path / "years.png")
    svg = svg_text(tmp_path / "years.svg")
    for label in ("宝清县", "年份", "97", "98.5", "2018", "2019"):
        assert label in svg
    assert "宝清县2019年报告" in svg and "宝清县2020年报告" in svg  # few documents: named under the chart


def test_targets_and_levels(hand_db, tmp_path):  # noqa: F811
    run("plot", "--db", hand_db, "--metric", "balance_coefficient", "--level", "junior", "-o", tmp_path / "j.png")
    assert "差异系数（初中，实际值）" in svg_text(tmp_path / "j.svg") and "0.4（2019年）" in svg_text(tmp_path / "j.svg")
    run("plot", "--db", hand_db, "--metric", "retention_rate", "--status", "target", "-o", tmp_path / "t.png")
    assert "99.5（2022年）" in svg_text(tmp_path / "t.svg") and "目标值" in svg_text(tmp_path / "t.svg")


def test_no_matching_figures_still_draws_a_chart(hand_db, tmp_path):  # noqa: F811
    result = run("plot", "--db", hand_db, "--metric", "dropout_rate", "-o", tmp_path / "none.png")
    assert result.exit_code == 0
    assert "no figures of dropout_rate match" in result.output
    assert "没有符合条件的数据" in svg_text(tmp_path / "none.svg")


def test_without_a_cjk_font_it_says_so_and_keeps_the_svg_text(hand_db, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(plot, "cjk_font", lambda: None)
    result = run("plot", "--db", hand_db, "--metric", "retention_rate", "-o", tmp_path / "plain.png")
    assert result.exit_code == 0
    assert "no font with Chinese glyphs found" in result.output
    assert "宝清县" in svg_text(tmp_path / "plain.svg")


def test_charts_use_a_cjk_font_when_the_system_has_one(hand_db, tmp_path):  # noqa: F811
    """CI installs fonts-noto-cjk (.ci/run), so its charts show Chinese, never empty boxes."""
    font = plot.cjk_font()
    if font is None:
        require_system_part("no font with Chinese glyphs", "apt-get install -y fonts-noto-cjk")
    result = run("plot", "--db", hand_db, "--metric", "large_class_count", "-o", tmp_path / "c.png")
    assert result.exit_code == 0, result.output
    assert f"font {font}" in result.output


@pytest.mark.parametrize("args", [
    ["--metric", "no_such_metric", "-o", "x.png"],
    ["--metric", "retention_rate", "-o", "x.pdf"],
    ["--metric", "retention_rate", "--by", "year", "--year", "2019", "-o", "x.png"],
    ["--metric", "retention_rate"],
])
def test_usage_errors(hand_db, tmp_path, args):  # noqa: F811
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    assert run("plot", "--db", hand_db, *args).exit_code == 2


@pytest.mark.parametrize("output, png, svg", [
    ("c.png", "c.png", "c.svg"), ("c.svg", "c.png", "c.svg"), ("c", "c.png", "c.svg"),
    ("a.b.png", "a.b.png", "a.b.svg"),
])
def test_output_paths(output, png, svg):
    assert tuple(p.name for p in plot.output_paths(output)) == (png, svg)

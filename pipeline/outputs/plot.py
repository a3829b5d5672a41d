"""Charts of one metric: a bar per region, or a line per region across the years.

The values are the cells of `compare` (the same rule, `compare.CELL_RULE`), so a chart and
a comparison table never disagree. Every chart is written twice, as PNG and as SVG with its
text kept as text. Chinese labels need a font with Chinese glyphs: the first one of
data/cjk_fonts.txt that matplotlib finds (else any font whose name says CJK, Han, Hei …);
with none the PNG shows empty boxes, which `PlotResult.notes` says plainly.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from junheng.analysis.compare import Cell, compare, metric_series, metric_vocabulary
from junheng.text.data import data_rows

_CJK_NAME = re.compile(r"CJK|Han Sans|Han Serif|Hei|Song|Kai|Ming|WenQuanYi|Droid Sans Fallback|YaHei|PingFang")
_CJK_FILE = re.compile(r"cjk|wqy|sourcehan|droidsansfallback|uming|ukai|simhei|msyh|pingfang", re.I)
SUFFIXES = (".png", ".svg")
MAX_LABELLED_LINES = 8
LEGEND_ROWS = 24
NOTE_WIDTH = 120  # display columns of a line of the source note (a Chinese character is two)


class PlotError(ValueError):
    """The chart cannot be drawn as asked (a bad output name or option)."""


@dataclass
class PlotResult:
    png: Path
    svg: Path
    regions: int
    documents: int
    font: str | None
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _labels() -> dict[tuple[str, str], str]:
    return {(row["kind"], row["id"]): row["zh"] for row in data_rows("labels.tsv")}


def cjk_font() -> str | None:
    """The family name of a font with Chinese glyphs that matplotlib knows, or None."""
    from matplotlib import font_manager

    found = _cjk_families(font_manager.fontManager)
    if not found:  # matplotlib's font cache may predate the font's install: look at the files
        for path in font_manager.findSystemFonts():
            if _CJK_FILE.search(Path(path).name):
                font_manager.fontManager.addfont(path)
        found = _cjk_families(font_manager.fontManager)
    return found[0] if found else None


def _cjk_families(manager) -> list[str]:
    available = {font.name for font in manager.ttflist}
    path = resources.files("junheng") / "data" / "cjk_fonts.txt"
    preferred = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
    return [name for name in preferred if name in available] + sorted(
        name for name in available if _CJK_NAME.search(name) and "Mono" not in name)


def output_paths(output: str | Path) -> tuple[Path, Path]:
    """chart.png, chart.svg or chart: both chart.png and chart.svg."""
    output = Path(output)
    if output.suffix.lower() not in SUFFIXES + ("",):
        raise PlotError(f"{output.name}: give a .png or .svg name (both are written)")
    stem = output.with_suffix("") if output.suffix else output
    return stem.with_name(stem.name + ".png"), stem.with_name(stem.name + ".svg")


def plot_metric(db, metric: str, output: str | Path, level: str | None = None,
                region_codes: list[str] | None = None, year: int | None = None, status: str = "actual",
                by: str = "region") -> PlotResult:
    """Draw `metric` (an id or id:level) across regions (by="region") or years (by="year")."""
    png, svg = output_paths(output)
    if by == "year" and year is not None:
        raise PlotError("--year picks one year; a chart --by year shows them all: leave one out")
    if by == "region":
        table = compare(db, [metric], [], region_codes, year, level, status)
        [column] = table.columns
        series = {row.code: {0: row.cells[column.key]} for row in table.rows if column.key in row.cells}
    else:
        column, series = metric_series(db, metric, region_codes, level, status)
    names = _region_names(db, list(series))
    font = cjk_font()
    png.parent.mkdir(parents=True, exist_ok=True)
    with _drawing_style(font):
        figure = _draw(column, series, names, status, by)
        figure.savefig(png, dpi=150)
        figure.savefig(svg)
    cells = [cell for years in series.values() for cell in years.values()]
    result = PlotResult(png, svg, len(series), len({c.source for c in cells}), font)
    if font is None:
        result.notes.append("no font with Chinese glyphs found (install fonts-noto-cjk): the PNG shows "
                            "empty boxes for Chinese text; the SVG keeps it as text")
    if not series:
        result.notes.append(f"no figures of {metric} match: the chart says so and is empty")
    return result


@contextmanager
def _drawing_style(font: str | None):
    """Fonts for drawing and saving; SVG text stays text (svg.fonttype none)."""
    import warnings

    import matplotlib

    families = ([font] if font else []) + ["DejaVu Sans"]
    style = {"font.family": "sans-serif", "font.sans-serif": families, "svg.fonttype": "none",
             "axes.unicode_minus": False}
    with matplotlib.rc_context(style), warnings.catch_warnings():
        # Without a CJK font matplotlib warns once per missing glyph; PlotResult.notes says it once.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        yield


def _draw(column, series: dict[str, dict[int, Cell]], names: dict[str, str], status: str, by: str):
    from matplotlib.figure import Figure

    rows = max(len(series), 1)
    legend_rows = rows / (1 + (rows - 1) // LEGEND_ROWS)
    height = max(3.5, 0.42 * rows + 2.2) if by == "region" else max(5.5, 0.2 * legend_rows + 1.5)
    figure = Figure(figsize=(9, height), layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(_title(column, status), fontsize=13)
    if not series:
        axes.text(0.5, 0.5, "没有符合条件的数据", ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
    elif by == "region":
        _bars(axes, series, names)
    else:
        _lines(axes, series, names)
    figure.supxlabel(_wrap(_source_note(series, status, by)), fontsize=8, linespacing=1.5, color="#555555",
                     x=0.01, ha="left")
    return figure


def _bars(axes, series: dict[str, dict[int, Cell]], names: dict[str, str]) -> None:
    cells = sorted(((names[code], cells[0]) for code, cells in series.items()), key=lambda p: p[1].value)
    labels = [name for name, _ in cells]
    values = [cell.value for _, cell in cells]
    bars = axes.barh(range(len(cells)), values, color="#3b6ea8")
    axes.set_yticks(range(len(cells)), labels)
    axes.bar_label(bars, labels=[f"{_number(c.value)}（{c.year}年）" if c.year else _number(c.value)
                                 for _, c in cells], padding=3, fontsize=8)
    axes.set_xlim(0, max(values) * 1.25 if max(values) > 0 else 1)
    axes.set_ylim(-0.6, len(cells) - 0.4)
    axes.xaxis.set_major_formatter(_number_formatter())
    axes.spines[["top", "right"]].set_visible(False)


def _lines(axes, series: dict[str, dict[int, Cell]], names: dict[str, str]) -> None:
    from matplotlib.ticker import MaxNLocator

    labelled = len(series) <= MAX_LABELLED_LINES  # more lines' labels would cover each other
    for code, cells in sorted(series.items()):
        years = sorted(cells)
        values = [cells[y].value for y in years]
        axes.plot(years, values, marker="o", label=names[code])
        for x, y in zip(years, values) if labelled else ():
            axes.annotate(_number(y), (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    years = sorted({year for cells in series.values() for year in cells})
    axes.set_xlim(years[0] - 0.5, years[-1] + 0.5)  # one year alone would span a century
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    axes.yaxis.set_major_formatter(_number_formatter())
    axes.set_xlabel("年份")
    axes.figure.legend(loc="outside right upper", fontsize=8, frameon=False, ncols=1 + (len(series) - 1) // LEGEND_ROWS)
    axes.spines[["top", "right"]].set_visible(False)


def _number_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: _number(value))


def _title(column, status: str) -> str:
    name = metric_vocabulary()[column.id]["name_zh"]
    details = [_labels().get(("level", column.level), "") if column.level else "",
               column.qualifier or "", _labels()[("status", status)]]
    unit = _labels().get(("unit", metric_vocabulary()[column.id]["canonical unit"]), "")
    return f"{name}（{'，'.join(d for d in details if d)}）" + (f"  单位：{unit}" if unit else "")


def _source_note(series: dict[str, dict[int, Cell]], status: str, by: str) -> str:
    cells = [cell for years in series.values() for cell in years.values()]
    if not cells:
        return "来源：junheng 数据库"
    sources = sorted({c.source for c in cells})
    years = sorted({c.year for c in cells if c.year})
    span = f"{years[0]}–{years[-1]}年" if len(years) > 1 else (f"{years[0]}年" if years else "年份不详")
    rule = "每地取最新年份" if by == "region" else "每地每年取最新文件"
    note = f"来源：{len(sources)}份文件（{span}，转载只计一次），{rule}的{_labels()[('status', status)]}"
    if len(sources) <= 3:
        titles = {c.source: c.title or Path(c.source).name for c in cells}
        note += "：" + "；".join(titles[s] for s in sources)
    return note


def _wrap(text: str) -> str:
    from junheng.outputs.width import display_width

    lines, line = [], ""
    for char in text:
        if display_width(line + char) > NOTE_WIDTH:
            lines.append(line)
            line = ""
        line += char
    return "\n".join(lines + [line])


def _region_names(db, codes: list[str]) -> dict[str, str]:
    """The most specific name of each region; 市+区 where two share a name (朝阳区)."""
    import json

    rows = db.execute("SELECT region_code, province, city, county FROM documents WHERE region_code IN "
                      "(SELECT value FROM json_each(?)) GROUP BY region_code", [json.dumps(codes)]).fetchall()
    short = {code: county or city or province or code for code, province, city, county in rows}
    long = {code: "".join(dict.fromkeys(n for n in (city, county) if n)) or short[code]
            for code, province, city, county in rows}
    counts = {name: list(short.values()).count(name) for name in short.values()}
    return {code: long[code] if counts[short[code]] > 1 else short[code] for code in codes}


def _number(value) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"

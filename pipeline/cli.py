"""The `junheng` command line: thin click commands over the library.

Each command parses its options, calls one library function and formats the result with
`junheng.outputs.output`. Heavy imports happen inside the commands so `junheng --help` is instant.
"""
from __future__ import annotations

import json
import os
import sys

import click

from junheng.options import (DOC_TYPES, LEVELS, checked_ids, checked_metric, codes_of_all, corpus_option, database_path, db_option,
                              document_filters, forms_option, gold_option, json_option, load_corpus, load_dev,
                              open_database, region_codes, split_ids, status_option)
from junheng.outputs.output import emit, output_options, resolve_format

# The checkout this file sits in (pipeline/cli.py): its corpus/ and the dev set beside it.
_SOURCE_TREE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="junheng")
def cli():
    """junheng (均衡): county education reports in, a cross-county comparison database out."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Worker processes [default: the cores].")
@click.option("--force", is_flag=True, help="Re-extract files already in the database.")
@click.option("--max-bytes", type=click.IntRange(1), default=50 * 1024 * 1024, show_default=True,
              help="Refuse files larger than this.")
def ingest(paths, db_path, workers, force, max_bytes):
    """Read report files and folders (recursive) into the database."""
    from junheng.bulk import collect_paths, load
    from junheng.store.database import DatabaseBusy

    files, skipped = collect_paths(list(paths))
    db = open_database(db_path, create=True)
    workers = workers or os.cpu_count() or 1
    with click.progressbar(length=len(files), label="Ingesting", file=sys.stderr,
                           show_pos=True, item_show_func=lambda s: s and os.path.basename(s)) as bar:
        def on_done(source, outcome):
            bar.update(1, source)

        try:
            summary = load(db, files, workers=workers, force=force, max_bytes=max_bytes, on_done=on_done)
        except DatabaseBusy as exc:
            raise click.ClickException(str(exc))
    for source, reason in skipped:
        click.echo(f"skipped: {source}: {reason}", err=True)
    for source, reason in summary.failed:
        click.echo(f"failed: {source}: {reason}", err=True)
    skipped_note = f", {len(skipped)} skipped (not reports)" if skipped else ""
    click.echo(f"{summary.added} added, {summary.present} already present, {len(summary.failed)} failed"
               f"{skipped_note}  →  {database_path(db_path)}", err=True)
    sys.exit(1 if summary.failed else 0)


EXTRACT_FORMATS = ["json", "jsonl", "table"]


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@output_options(formats=EXTRACT_FORMATS, default="json")
def extract(files, fmt, output):
    """Print the extracted record of each FILE as JSON (no database)."""
    from junheng.ingest import IngestError
    from junheng.process import extract_path

    records, failed = [], False
    for path in files:
        try:
            records.append(extract_path(path).to_record())
        except IngestError as exc:
            click.echo(f"failed: {path}: {exc}", err=True)
            failed = True
    emit(records, fmt, output, array=len(files) > 1, formats=EXTRACT_FORMATS, default="json")
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("query", nargs=-1)
@db_option
@document_filters()
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@output_options()
def search(query, db_path, filters, limit, fmt, output):
    """Find documents containing QUERY, best first: words (all must appear; several need no
    quotes), "exact phrases", -excluded, a OR b."""
    from junheng.store.search import count_documents, search_documents

    query = " ".join(query)
    if not query and filters.is_empty():
        raise click.UsageError("give a QUERY or at least one filter (--region, --year, --doc-type, --measure)")
    as_table = resolve_format(fmt, output) == "table"
    db = open_database(db_path)
    results = search_documents(db, query, filters, limit=limit, snippet_radius=10 if as_table else 36)
    columns = ["score", "date", "region_province", "region_city", "region_county", "doc_type", "title",
               "snippet"]
    emit(results, fmt, output, table_columns=columns)
    if as_table and len(results) == limit:  # a reader of the table should know it was cut
        total, exact = count_documents(db, query, filters)
        if total > limit:
            click.echo(f"showing {limit} of {'' if exact else 'at most '}{total} (--limit)", err=True)


@cli.command()
@db_option
@document_filters()
@click.option("--metric", help="Only this metric id (see metrics.tsv).")
@click.option("--level", type=click.Choice(LEVELS))
@click.option("--status", type=click.Choice(["actual", "target"]))
@output_options()
def figures(db_path, filters, metric, level, status, fmt, output):
    """One row per stored figure, with its document and region (reposts left out)."""
    from junheng.outputs.export import figure_listing

    checked_ids([metric] if metric else [], [])
    rows = figure_listing(open_database(db_path), filters, metric=metric, level=level, status=status)
    emit(rows, fmt, output, table_columns=["date", "region_county", "region_city", "metric_name", "level", "year",
                                           "status", "value", "unit", "qualifier", "text"])


@cli.command()
@db_option
@document_filters(measure=False)
@output_options()
def measures(db_path, filters, fmt, output):
    """Each measure with how many documents and regions report it (see `search --measure ID`)."""
    from junheng.outputs.export import measure_summary

    emit(measure_summary(open_database(db_path), filters), fmt, output)


@cli.command()
@output_options()
def metrics(fmt, output):
    """The metric ids (metrics.tsv) with their Chinese names and canonical units; use id or
    id:level in --metric."""
    from junheng.analysis.compare import metric_vocabulary

    rows = [{"metric": id_, "name_zh": row["name_zh"], "unit": row["canonical unit"],
             "one_value": row["one_value"] == "yes"} for id_, row in metric_vocabulary().items()]
    emit(rows, fmt, output)


@cli.command()
@click.argument("name")
@output_options()
def regions(name, fmt, output):
    """Look up a place NAME (any level, short form, old name or code): every candidate."""
    from junheng.regions import lookup

    rows = [{"code": unit.code, "name": unit.name, "level": unit.level, "province": unit.province_name,
             "city": unit.city_name, "parent_code": unit.parent_code} for unit in lookup(name)]
    if not rows:
        click.echo(f"no division matches {name!r}", err=True)
    emit(rows, fmt, output)


@cli.command("set")
@click.argument("document")
@db_option
@click.option("--region", help="The region code (see `junheng regions NAME`).")
@click.option("--doc-type", type=click.Choice(DOC_TYPES))
@click.option("--balance-stage", type=click.Choice(["basic", "quality", "integration"]))
@click.option("--date", help="YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--title")
@click.option("--issuer")
def set_fields(document, db_path, region, doc_type, balance_stage, date, title, issuer):
    """Correct a DOCUMENT (its source path or sha256) by hand; corrections survive re-extraction."""
    import re

    from junheng.regions import lookup
    from junheng.store.database import DocumentNotFound, correct_document

    changes = {key: value for key, value in [("region", region), ("doc_type", doc_type), ("balance_stage", balance_stage),
                                              ("date", date), ("title", title), ("issuer", issuer)] if value}
    if not changes:
        raise click.UsageError("nothing to set: give at least one of --region, --doc-type, --date, …")
    if date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        raise click.BadParameter("use YYYY-MM-DD, YYYY-MM or YYYY", param_hint="--date")
    if region:
        units = [unit for unit in lookup(region) if unit.code == region]
        if not units:
            raise click.BadParameter(f"{region!r} is not a current division code (try `junheng regions`)",
                                     param_hint="--region")
    try:
        row = correct_document(open_database(db_path), document, changes)
    except DocumentNotFound as exc:
        raise click.ClickException(str(exc))
    click.echo(f"corrected {row['source']}: " + ", ".join(f"{k}={v}" for k, v in changes.items()), err=True)


@cli.group()
def evaluate():
    """Score extraction against the corpus gold annotations, or the real development set (--gold)."""


def examples_option(default: int):
    return click.option("--examples", type=click.IntRange(0), default=default, show_default=True,
                        help="Misses and false hits (measures: documents with errors) to show.")


@evaluate.command("figures")
@corpus_option
@gold_option
@forms_option
@examples_option(20)
@click.option("--mismatches", is_flag=True, help="Also list every level/status/previous/year disagreement with its "
                                                 "sentence (corpus only).")
@json_option
def evaluate_figures_command(corpus_dir, gold_dir, forms, examples, mismatches, as_json):
    """Precision, recall and F1 of figures, overall and per metric, for each rendering."""
    if gold_dir is not None:
        return _evaluate_dev("figures", gold_dir, forms, examples, as_json)
    from junheng.evaluation.figures import evaluate_figures, format_disagreements, format_figures_report

    gold, documents = load_corpus(corpus_dir, forms)
    results = {form: evaluate_figures(f"{corpus_dir}/gold", docs) for form, docs in documents.items()}
    if as_json:
        return click.echo(json.dumps({"figures": results}, ensure_ascii=False, indent=1))
    for form, result in results.items():
        click.echo(f"== {form} ({result['documents']} documents)")
        click.echo(format_figures_report(result, examples=examples))
        if mismatches:
            click.echo("\n" + format_disagreements(result))


@evaluate.command("measures")
@corpus_option
@gold_option
@forms_option
@examples_option(10)
@json_option
def evaluate_measures_command(corpus_dir, gold_dir, forms, examples, as_json):
    """Document-level P/R/F1 of measures (corpus: model vs lexicon baseline), for each rendering."""
    if gold_dir is not None:
        return _evaluate_dev("measures", gold_dir, forms, examples, as_json)
    from pathlib import Path

    from junheng.evaluation.measures import evaluate_measures, format_measures_report

    gold, documents = load_corpus(corpus_dir, forms)
    results = {form: evaluate_measures(Path(corpus_dir) / "gold", docs) for form, docs in documents.items()}
    if as_json:
        return click.echo(json.dumps({"measures": results}, ensure_ascii=False, indent=1))
    for form, result in results.items():
        click.echo(f"== {form} ({len(documents[form])} documents)")
        click.echo(format_measures_report(result))


@cli.group()
def train():
    """Train the models junheng ships (they are in models/ already)."""


@train.command("measures")
@click.option("--labels", "labels_dir", type=click.Path(file_okay=False, exists=True), default="corpus/labels",
              show_default=True, help="Folder of labelled sentences (*.jsonl).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="models/measures", show_default=True)
@click.option("--dev", "dev_dir", type=click.Path(file_okay=False, exists=True),
              help="Also train on the real development set (e.g. ../shared/dev): sentence labels are derived "
                   "from its document-level gold at training time, never written; metrics.json gets its "
                   "5-fold cross-validated scores (by document).")
@click.option("--forms", default="txt,html,pdf", show_default=True,
              help="With --dev: the forms the cross-validation scores (labels come from the TXT).")
def train_measures(labels_dir, out_dir, dev_dir, forms):
    """Train the measure classifier and write it with meta.json and metrics.json."""
    from pathlib import Path

    from junheng.evaluation.measures import train_and_evaluate as train_model

    forms = ",".join(["txt"] + [form for form in forms.split(",") if form.strip() not in ("txt", "")])
    dev = load_dev(dev_dir, forms, _dev_renderer) if dev_dir else None
    metrics = train_model(Path(labels_dir), Path(out_dir), dev=dev)
    click.echo(f"model written to {out_dir}", err=True)
    click.echo(json.dumps(metrics, ensure_ascii=False, indent=2)[:4000])


@evaluate.command("metadata")
@corpus_option
@gold_option
@forms_option
@examples_option(5)
@json_option
def evaluate_metadata_command(corpus_dir, gold_dir, forms, examples, as_json):
    """Accuracy of region, doc_type, balance_stage (corpus: also date, title and issuer)."""
    if gold_dir is not None:
        return _evaluate_dev("metadata", gold_dir, forms, examples, as_json)
    from junheng.evaluation.metadata import evaluate_metadata, format_metadata_report

    gold, documents = load_corpus(corpus_dir, forms)
    results = {form: evaluate_metadata(gold, docs) for form, docs in documents.items()}
    if as_json:
        return click.echo(json.dumps({"metadata": results}, ensure_ascii=False, indent=1))
    click.echo(format_metadata_report(results, show_misses=examples))


def _evaluate_dev(kind: str, gold_dir: str, forms: str | None, examples: int, as_json: bool) -> None:
    """`evaluate KIND --gold DIR`: the real development set, each document in each form."""
    import time

    from junheng.evaluation.dev import default_dev_dir
    from junheng.evaluation.dev_scores import FORMATTERS, SCORERS, trimmed

    started = time.monotonic()
    dev_dir = gold_dir or str(default_dev_dir(_SOURCE_TREE))
    gold, documents = load_dev(dev_dir, forms, _dev_renderer)
    results = {form: SCORERS[kind](gold, docs) for form, docs in documents.items()}
    trained_on = None
    if kind == "measures":
        from junheng.measures.dev import in_sample
        trained_on = in_sample(list(gold))
    if as_json:
        summary = {form: trimmed(result, examples) for form, result in results.items()}
        extra = {"in_sample": trained_on} if trained_on else {}
        return click.echo(json.dumps({kind: summary, "dev_dir": dev_dir, "documents": len(gold), **extra},
                                     ensure_ascii=False, indent=1))
    click.echo(f"{kind} on the development set {dev_dir}: {len(gold)} documents, "
               f"{time.monotonic() - started:.0f} s")
    click.echo(FORMATTERS[kind](results, examples))
    if trained_on:
        from junheng.measures.dev import format_in_sample
        click.echo(format_in_sample(trained_on))


def _dev_renderer():
    """corpus/render_dev.py, which dresses the dev set's texts as web pages and PDFs. It lives
    beside the corpus renderers it reuses, outside the installed package (data flows one way:
    the library never imports corpus/), so it is loaded from the source tree when needed."""
    corpus = os.path.join(_SOURCE_TREE, "corpus")
    if not os.path.exists(os.path.join(corpus, "render_dev.py")):
        raise click.ClickException("the html and pdf forms need the source tree's corpus/render_dev.py; "
                                   "score the TXT form alone with --forms txt")
    if corpus not in sys.path:
        sys.path.insert(0, corpus)
    try:
        import render_dev
    except ImportError as exc:
        raise click.ClickException(f"the html and pdf forms need {exc.name} (pip install -e '.[test]'); "
                                   "score the TXT form alone with --forms txt")
    return render_dev


@cli.command()
@db_option
@click.option("--region", "regions_", multiple=True, required=True, help="A region (repeatable): 宝清县, 230523, 黑龙江.")
@click.option("--metric", required=True, help="A metric id of metrics.tsv: large_class_count, retention_rate, …")
@click.option("--level", type=click.Choice(LEVELS), help="Only figures of this school level.")
@output_options()
def trend(db_path, regions_, metric, level, fmt, output):
    """A metric's values by year, from every document that states them (actual and target apart)."""
    from junheng.analysis.trend import trend as metric_trend

    points = metric_trend(open_database(db_path), checked_metric(metric), codes_of_all(regions_), level)
    emit(points, fmt, output, table_columns=["region", "level", "qualifier", "status", "year", "value", "date",
                                             "title", "text"])


@cli.command()
@db_option
@click.option("--region", "regions_", multiple=True, help="Only this region (repeatable; any level).")
@click.option("--metric", help="Only this metric id (one with one_value yes in metrics.tsv).")
@output_options()
def conflicts(db_path, regions_, metric, fmt, output):
    """Figures that should agree and do not: same region, metric, level, qualifier, year and status."""
    from junheng.analysis.conflicts import conflicts as find_conflicts

    from junheng.figures.lexicon import one_value_metrics

    if metric and checked_metric(metric) not in one_value_metrics():
        click.echo(f"note: {metric} adds up across documents (one_value no in metrics.tsv), so it never conflicts",
                   err=True)
    pairs = find_conflicts(open_database(db_path), codes_of_all(regions_), metric)
    emit(pairs, fmt, output, table_columns=["region", "metric", "level", "year", "status", "a_value", "b_value",
                                            "a_title", "b_title"])


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 makes it reachable from other machines).")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
def serve(db_path, host, port):
    """Browse the database in Datasette, read-only, until interrupted (Ctrl-C)."""
    from junheng.outputs.serve import serve as serve_database

    open_database(db_path).close()  # a missing or too-new database fails here, before the server starts
    click.echo(f"Serving {database_path(db_path)} read-only at http://{host}:{port}/  (Ctrl-C stops)", err=True)
    serve_database(database_path(db_path), host=host, port=port)


from junheng.analysis.compare import CELL_RULE, MARK_RULE  # noqa: E402  (stdlib only: the rule texts of compare --help)
from junheng.outputs.output import EXPORT_FORMATS  # noqa: E402


@cli.command(help="Regions side by side: one row per region, one column per metric or measure "
                  "(metric ids of metrics.tsv, id:level for one level; measure ids of measures.tsv; "
                  "or --preset balance). Wide table by default, --long for one row per cell with its "
                  "provenance (document source, title, date, year, figure text).\n\n\b\n" + CELL_RULE
                  + "\n\n\b\n" + MARK_RULE)
@db_option
@click.option("--metric", "metrics", multiple=True, help="Metric id or id:level (balance_coefficient:primary); "
                                                         "repeat or separate by commas.")
@click.option("--measure", "measures", multiple=True, help="Measure id; repeat or separate by commas.")
@click.option("--preset", help="A named set of columns (pipeline/data/presets.json): balance.")
@click.option("--region", help="Only regions within this one (any level, name or code).")
@click.option("--year", type=int, help="Only figures stated for this year (measures: documents dated in it).")
@click.option("--level", type=click.Choice(LEVELS), help="Level of the metric columns that do not name one.")
@status_option
@click.option("--standard", type=click.Choice(["quality", "basic"]),
              help="Mark each cell met, missed or unknown against the national standard: quality (优质均衡, "
                   "教督〔2017〕6号) or basic (基本均衡, 教督〔2012〕3号); thresholds in the headers (see above).")
@click.option("--long", "long_form", is_flag=True, help="Tidy form: one row per cell, with provenance.")
@output_options(formats=EXPORT_FORMATS)
def compare(db_path, metrics, measures, preset, region, year, level, status, standard, long_form, fmt, output):
    from junheng.analysis.compare import UnknownId, preset_columns
    from junheng.analysis.marks import compare_marked as compare_table

    metrics, measures = split_ids(metrics), split_ids(measures)
    try:
        if preset:
            preset_metrics, preset_measures = preset_columns(preset)
            metrics, measures = preset_metrics + metrics, preset_measures + measures
        if not metrics and not measures and standard:
            from junheng.analysis.standards import indicator_columns

            metrics = indicator_columns(standard)  # the standard names its own columns
        if not metrics and not measures:
            raise click.UsageError("give --metric, --measure, --preset or --standard (see --help)")
        table = compare_table(open_database(db_path), metrics, measures, region_codes(region), year, level, status,
                              standard)
    except UnknownId as exc:
        raise click.UsageError(str(exc))
    if long_form:
        marks = ["threshold", "mark"] if standard else []
        emit(table.long(), fmt, output, formats=EXPORT_FORMATS, table_columns=[
            "code", "province", "city", "county", "column", "value", *marks, "present", "year", "qualifier", "date", "title"])
    else:
        as_text = resolve_format(fmt, output, EXPORT_FORMATS) == "table"  # value and mark in one cell
        emit(table.wide(marks_in_values=as_text), fmt, output, formats=EXPORT_FORMATS,
             table_columns=table.table_columns())


@cli.command("export")
@click.argument("table", type=click.Choice(["figures", "measures", "documents", "regions"]))
@db_option
@document_filters()
@click.option("--metric", help="figures: only this metric id.")
@click.option("--level", type=click.Choice(LEVELS), help="figures: only this level.")
@click.option("--status", type=click.Choice(["actual", "target"]), help="figures: only this status.")
@output_options(formats=EXPORT_FORMATS)
def export_command(table, db_path, filters, metric, level, status, fmt, output):
    """Tidy tables of the database (reposts left out): one row per figure, measure, document or
    region, each with its document's source, title, date and region. csv files carry a UTF-8 BOM
    (Excel reads the Chinese right), tsv files none; xlsx and parquet need -o FILE."""
    from junheng.outputs.export import TABLE_COLUMNS, export_table

    if table != "figures" and (metric or level or status):
        raise click.UsageError("--metric, --level and --status apply to `export figures` only")
    checked_ids([metric] if metric else [], [])
    rows = export_table(open_database(db_path), table, filters, metric=metric, level=level, status=status)
    emit(rows, fmt, output, formats=EXPORT_FORMATS, table_columns=TABLE_COLUMNS[table])


@cli.command()
@db_option
@click.option("--metric", required=True, help="Metric id or id:level (balance_coefficient:primary).")
@click.option("--level", type=click.Choice(LEVELS), help="Only figures of this level.")
@click.option("--region", help="Only regions within this one (any level, name or code).")
@click.option("--year", type=int, help="Only figures stated for this year (bar chart).")
@status_option
@click.option("--by", type=click.Choice(["region", "year"]), default="region", show_default=True,
              help="region: a bar per region (its latest value); year: a line per region over the years.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="chart.png or chart.svg: both are written, side by side.")
def plot(db_path, metric, level, region, year, status, by, output):
    """Chart one metric across regions or years, values on the bars and the sources under the
    chart; each value is the cell `junheng compare` shows (see its --help)."""
    from junheng.analysis.compare import UnknownId
    from junheng.outputs.plot import PlotError, plot_metric

    try:
        result = plot_metric(open_database(db_path), metric, output, level=level, region_codes=region_codes(region),
                             year=year, status=status, by=by)
    except (UnknownId, PlotError) as exc:
        raise click.UsageError(str(exc))
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"{result.regions} regions from {result.documents} documents, font {result.font or 'none'}  →  "
               f"{result.png}, {result.svg}", err=True)


@cli.command()
@db_option
@click.option("--repair", is_flag=True, help="Fix what can be fixed safely: migrate an old schema, delete orphan "
                                             "rows, rebuild the search index.")
@output_options()
def check(db_path, repair, fmt, output):
    """Verify a database: integrity, orphan rows, the search index, the schema version."""
    from dataclasses import asdict

    from junheng.store.check import check_database
    from junheng.store.database import DatabaseMissing

    try:
        findings = check_database(database_path(db_path), repair=repair)
    except DatabaseMissing as exc:
        raise click.UsageError(str(exc))
    emit([asdict(finding) for finding in findings], fmt, output, table_columns=["check", "ok", "detail", "fix"])
    problems = [finding for finding in findings if not finding.ok]
    for problem in problems:
        click.echo(f"{problem.check}: {problem.detail}. To fix: {problem.fix}", err=True)
    click.echo(f"{len(problems)} problem(s) found" if problems else "database OK", err=True)
    sys.exit(1 if problems else 0)


@cli.command()
@db_option
def reprocess(db_path):
    """Run extraction again over every stored document (after the rules or the model changed),
    keeping hand corrections."""
    from junheng.store.reprocess import reprocess as reprocess_documents, stored_ids

    db = open_database(db_path)
    with click.progressbar(stored_ids(db), label="Reprocessing", file=sys.stderr, show_pos=True) as ids:
        summary = reprocess_documents(db, ids)
    for source, reason in summary.failed:
        click.echo(f"failed: {source}: {reason}", err=True)
    click.echo(f"{summary.documents} documents re-extracted, {len(summary.failed)} failed; figures "
               f"{summary.figures[0]} → {summary.figures[1]}, measures {summary.measures[0]} → {summary.measures[1]}",
               err=True)
    sys.exit(1 if summary.failed else 0)


if __name__ == "__main__":
    cli()

"""The `junheng` command line: thin click commands over the `pipeline` library.

Each command parses its options, calls one library function and formats the result with
`pipeline.output`. Heavy imports happen inside the commands so `junheng --help` is instant.
"""
from __future__ import annotations

import os
import sys

import click

from pipeline.output import emit, output_options, resolve_format

DB_OPTION = click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
                         help="Database file [default: $JUNHENG_DB, else junheng.db].")


def _db_path(db_path: str | None) -> str:
    from pipeline.store import default_path

    return db_path or default_path()


def _open(db_path: str | None, create: bool = False):
    from pipeline.store import DatabaseMissing, SchemaTooNew, open_db

    try:
        return open_db(_db_path(db_path), create=create)
    except DatabaseMissing as exc:
        raise click.UsageError(str(exc))
    except SchemaTooNew as exc:
        raise click.ClickException(str(exc))


def _region_codes(value: str | None) -> list[str] | None:
    if not value:
        return None
    from pipeline.regions import RegionNotFound, codes_for_filter

    try:
        return codes_for_filter(value)
    except RegionNotFound as exc:
        raise click.BadParameter(str(exc), param_hint="--region")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="junheng")
def cli():
    """junheng (均衡): county education reports in, a cross-county comparison database out."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Worker processes [default: the cores].")
@click.option("--force", is_flag=True, help="Re-extract files already in the database.")
@click.option("--max-bytes", type=click.IntRange(1), default=50 * 1024 * 1024, show_default=True,
              help="Refuse files larger than this.")
def ingest(paths, db_path, workers, force, max_bytes):
    """Read report files and folders (recursive) into the database."""
    from pipeline.bulk import collect_paths, load

    files, skipped = collect_paths(list(paths))
    db = _open(db_path, create=True)
    workers = workers or os.cpu_count() or 1
    with click.progressbar(length=len(files), label="Ingesting", file=sys.stderr,
                           show_pos=True, item_show_func=lambda s: s and os.path.basename(s)) as bar:
        def on_done(source, outcome):
            bar.update(1, source)

        summary = load(db, files, workers=workers, force=force, max_bytes=max_bytes, on_done=on_done)
    for source, reason in summary.failed:
        click.echo(f"failed: {source}: {reason}", err=True)
    skipped_note = f", {skipped} skipped (not a report type)" if skipped else ""
    click.echo(f"{summary.added} added, {summary.present} already present, {len(summary.failed)} failed"
               f"{skipped_note}  →  {_db_path(db_path)}", err=True)
    sys.exit(1 if summary.failed else 0)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@output_options(default=None, formats=["json", "jsonl", "table"])
def extract(files, fmt, output):
    """Print the extracted record of each FILE as JSON (no database)."""
    from pipeline.ingest import IngestError
    from pipeline.process import extract_path

    records, failed = [], False
    for path in files:
        try:
            records.append(extract_path(path).to_record())
        except IngestError as exc:
            click.echo(f"failed: {path}: {exc}", err=True)
            failed = True
    emit(records, fmt or "json", output, array=len(files) > 1)
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("query", required=False)
@DB_OPTION
@click.option("--region", help="Any level, by name or code: 黑龙江, 七台河, 230900, 海西州.")
@click.option("--year", type=int, help="Year of the document's date.")
@click.option("--doc-type", help="research_report, self_assessment, plan, rectification_report, …")
@click.option("--measure", help="Only documents with this measure id (see `junheng measures`).")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@output_options()
def search(query, db_path, region, year, doc_type, measure, limit, fmt, output):
    """Find documents containing QUERY: terms (all must appear), "exact phrases", -excluded, a OR b."""
    from pipeline.search import Filters, search_documents

    if not query and not any([region, year, doc_type, measure]):
        raise click.UsageError("give a QUERY or at least one filter (--region, --year, --doc-type, --measure)")
    db = _open(db_path)
    filters = Filters(region_codes=_region_codes(region), year=year, doc_type=doc_type, measure=measure)
    narrow = resolve_format(fmt, output) == "table"  # a short snippet keeps the hit in view
    results = search_documents(db, query, filters, limit=limit, snippet_radius=10 if narrow else 36)
    for result in results:
        result.pop("_id")
    columns = ["score", "date", "region_province", "region_city", "region_county", "doc_type", "title", "snippet"]
    emit(results, fmt, output, table_columns=columns)


@cli.command()
@click.argument("name")
@output_options()
def regions(name, fmt, output):
    """Look up a place NAME (any level, short form, old name or code): every candidate."""
    from pipeline.regions import lookup

    rows = [{"code": unit.code, "name": unit.name, "level": unit.level, "province": unit.province_name,
             "city": unit.city_name, "parent_code": unit.parent_code} for unit in lookup(name)]
    if not rows:
        click.echo(f"no division matches {name!r}", err=True)
    emit(rows, fmt, output)


@cli.command("set")
@click.argument("document")
@DB_OPTION
@click.option("--region", help="The region code (see `junheng regions NAME`).")
@click.option("--doc-type", type=click.Choice(["research_report", "self_assessment", "plan", "rectification_report",
                                               "work_summary", "notice", "news", "other"]))
@click.option("--balance-stage", type=click.Choice(["basic", "quality", "integration"]))
@click.option("--date", help="YYYY-MM-DD, YYYY-MM or YYYY.")
@click.option("--title")
@click.option("--issuer")
def set_fields(document, db_path, region, doc_type, balance_stage, date, title, issuer):
    """Correct a DOCUMENT (its source path or sha256) by hand; corrections survive re-extraction."""
    import re

    from pipeline.regions import lookup
    from pipeline.store import DocumentNotFound, correct_document

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
        row = correct_document(_open(db_path), document, changes)
    except DocumentNotFound as exc:
        raise click.ClickException(str(exc))
    click.echo(f"corrected {row['source']}: " + ", ".join(f"{k}={v}" for k, v in changes.items()), err=True)


@cli.group()
def evaluate():
    """Score extraction against the corpus gold annotations."""


CORPUS_OPTION = click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False), default="corpus",
                             show_default=True, help="Folder with gold/ and renderings/.")
FORMS_OPTION = click.option("--forms", default="html,pdf,docx,txt", show_default=True,
                            help="Renderings to score, comma-separated.")


def _corpus(corpus_dir: str, forms: str):
    from pathlib import Path

    from pipeline.gold import FORMS, load_gold, rendered_documents

    chosen = [form.strip() for form in forms.split(",") if form.strip()]
    unknown = [form for form in chosen if form not in FORMS]
    if unknown:
        raise click.BadParameter(f"unknown form {unknown[0]!r} (choose from {', '.join(FORMS)})", param_hint="--forms")
    root = Path(corpus_dir)
    gold = load_gold(root / "gold")
    if not gold:
        raise click.UsageError(f"no gold annotations in {root / 'gold'}")
    return gold, {form: rendered_documents(root / "renderings", form, list(gold)) for form in chosen}


@evaluate.command("metadata")
@CORPUS_OPTION
@FORMS_OPTION
def evaluate_metadata_command(corpus_dir, forms):
    """Accuracy of region, date, doc_type, balance_stage, title and issuer."""
    from pipeline.metadata_eval import evaluate_metadata, format_metadata_report

    gold, documents = _corpus(corpus_dir, forms)
    results = {form: evaluate_metadata(gold, docs) for form, docs in documents.items()}
    click.echo(format_metadata_report(results))


if __name__ == "__main__":
    cli()

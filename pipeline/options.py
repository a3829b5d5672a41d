"""Option plumbing shared by the commands of cli.py: the database option, the document
filters (--region/--year/--doc-type/--measure), ids and levels, and the corpus options of
`evaluate`. Library errors become click usage errors here, so commands stay thin."""
from __future__ import annotations

import functools

import click

LEVELS = ["primary", "junior", "compulsory", "senior", "preschool", "special"]
DOC_TYPES = ["research_report", "self_assessment", "plan", "rectification_report", "work_summary", "notice",
             "news", "other"]

db_option = click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
                         help="Database file [default: $JUNHENG_DB, else junheng.db].")
status_option = click.option("--status", type=click.Choice(["actual", "target"]), default="actual",
                             show_default=True, help="Actual (achieved) figures or targets.")
corpus_option = click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False), default="corpus",
                             show_default=True, help="Folder with gold/ and renderings/.")
CORPUS_FORMS = "html,pdf,docx,txt"
forms_option = click.option("--forms", default=None,
                            help=f"Forms to score, comma-separated [default: {CORPUS_FORMS} for the corpus; "
                                 "txt,html,pdf with --gold].")
gold_option = click.option("--gold", "gold_dir", type=click.Path(file_okay=False), default=None, is_flag=False,
                           flag_value="", help="Score the real development set in DIR (docs/<id>.txt + "
                                               "gold/<id>.json) instead of the corpus; --gold alone: "
                                               "../shared/dev beside the project.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")


def database_path(path: str | None) -> str:
    from junheng.store.database import default_path

    return path or default_path()


def open_database(path: str | None, create: bool = False):
    """The database, or a usage error (missing) / a plain error (too new, busy)."""
    from junheng.store.database import DatabaseBusy, DatabaseMissing, SchemaTooNew, open_db

    try:
        return open_db(database_path(path), create=create)
    except DatabaseMissing as exc:
        raise click.UsageError(str(exc))
    except (SchemaTooNew, DatabaseBusy) as exc:
        raise click.ClickException(str(exc))


def region_codes(value: str | None) -> list[str] | None:
    """The codes a --region value stands for (the unit and all under it), or None."""
    if not value:
        return None
    from junheng.regions import RegionNotFound, codes_for_filter

    try:
        return codes_for_filter(value)
    except RegionNotFound as exc:
        raise click.BadParameter(str(exc), param_hint="--region")


def codes_of_all(values: tuple[str, ...]) -> list[str] | None:
    """Codes of every --region given (any level each), or None when none was."""
    return sorted({code for value in values for code in region_codes(value)}) if values else None


def document_filters(measure: bool = True):
    """Add --region, --year, --doc-type (and --measure); the command receives `filters`."""
    options = [
        click.option("--region", help="Only documents about this region or one within it: 黑龙江, 七台河, "
                                      "230900, 海西州."),
        click.option("--year", type=int, help="Year of the document's date."),
        click.option("--doc-type", type=click.Choice(DOC_TYPES), help="Only documents of this type."),
    ]
    if measure:
        options.append(click.option("--measure", help="Only documents with this measure id (see `junheng measures`)."))

    def decorator(command):
        @functools.wraps(command)
        def wrapper(*args, region=None, year=None, doc_type=None, measure=None, **kwargs):
            from junheng.store.search import Filters

            if measure:
                checked_ids([], [measure])
            filters = Filters(region_codes=region_codes(region), year=year, doc_type=doc_type, measure=measure)
            return command(*args, filters=filters, **kwargs)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper
    return decorator


def split_ids(values: tuple[str, ...]) -> list[str]:
    """Repeated and comma-separated ids, in order."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def checked_ids(metrics: list[str], measures: list[str]) -> None:
    """A usage error naming the valid ids when a metric or measure id is unknown."""
    from junheng.analysis.compare import UnknownId, parse_columns

    try:
        parse_columns(metrics, measures)
    except UnknownId as exc:
        raise click.UsageError(str(exc))


def checked_metric(value: str | None) -> str | None:
    from junheng.analysis.compare import metric_vocabulary, unknown_id

    if value and value not in metric_vocabulary():
        raise click.BadParameter(str(unknown_id("metric", value, metric_vocabulary(), "junheng metrics")),
                                 param_hint="--metric")
    return value


def load_corpus(corpus_dir: str, forms: str):
    """(gold, {form: {slug: Document}}) for the `evaluate` commands."""
    from pathlib import Path

    from junheng.evaluation.gold import FORMS, load_gold, rendered_documents

    chosen = _chosen_forms(forms or CORPUS_FORMS, FORMS)
    root = Path(corpus_dir)
    gold = load_gold(root / "gold")
    if not gold:
        raise click.UsageError(f"no gold annotations in {root / 'gold'}")
    return gold, {form: rendered_documents(root / "renderings", form, list(gold)) for form in chosen}


def _chosen_forms(forms: str, known) -> list[str]:
    chosen = [form.strip() for form in forms.split(",") if form.strip()]
    unknown = [form for form in chosen if form not in known]
    if unknown:
        raise click.BadParameter(f"unknown form {unknown[0]!r} (choose from {', '.join(known)})", param_hint="--forms")
    return chosen


def load_dev(dev_dir: str, forms: str | None, renderer):
    """(gold, {form: {id: Document or None}}) of the real development set for `evaluate --gold`;
    `renderer()` gives the module that renders its HTML and PDF forms (asked only when needed)."""
    from pathlib import Path

    from junheng.evaluation.dev import DEV_FORMS, dev_documents, load_dev_gold

    chosen = _chosen_forms(forms or ",".join(DEV_FORMS), DEV_FORMS)
    gold = load_dev_gold(Path(dev_dir))
    if not gold:
        raise click.UsageError(f"no documents with gold in {dev_dir} (it needs docs/<id>.txt and gold/<id>.json)")
    rendering = renderer() if any(form != "txt" for form in chosen) else None
    return gold, dev_documents(Path(dev_dir), list(gold), chosen, rendering)

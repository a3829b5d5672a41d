"""Output plumbing shared by every command: one `output_options` decorator and `emit`.

`--format table|json|jsonl|csv|tsv` means the same everywhere; the default is a table on a
terminal and JSON lines in a pipe; `-o FILE` picks the format from the suffix and refuses a
suffix the command does not write. A table fits the width (`junheng.outputs.table`). Commands
that make tables for analysts (`compare`, `export`) also offer the binary formats xlsx and
parquet (`EXPORT_FORMATS`), written by `junheng.outputs.export` and only to a file.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

FORMATS = ["table", "json", "jsonl", "csv", "tsv"]
BINARY_FORMATS = ["xlsx", "parquet"]
EXPORT_FORMATS = FORMATS + BINARY_FORMATS
_SUFFIX_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv",
                   ".txt": "table", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
_DELIMITERS = {"csv": ",", "tsv": "\t"}


def output_options(formats: list[str] = FORMATS, default: str | None = None):
    """Add --format and -o/--output; the command receives `fmt` and `output` and passes
    the same `formats` and `default` (the format when neither names one) to `emit`."""
    def decorator(command):
        command = click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
                               help="Write to this file instead of stdout, the format from its suffix: "
                                    + ", ".join(_suffixes(formats)) + ".")(command)
        shown = default or "table on a terminal, jsonl in a pipe"
        command = click.option("--format", "fmt", type=click.Choice(formats),
                               help=f"Output format [default: {shown}].")(command)
        return command
    return decorator


def _suffixes(formats: list[str]) -> list[str]:
    return [suffix for suffix, fmt in _SUFFIX_FORMATS.items() if fmt in formats]


def resolve_format(fmt: str | None, output: str | None, formats: list[str] = FORMATS,
                   default: str | None = None) -> str:
    """The format to write; a UsageError for -o FILE whose suffix names none of `formats`."""
    if fmt:
        return fmt
    if output:
        suffix = Path(output).suffix.lower()
        if _SUFFIX_FORMATS.get(suffix) not in formats:
            raise click.UsageError(f"-o {output}: {suffix or 'no suffix'} is not a format this command writes; "
                                   f"use {', '.join(_suffixes(formats))} or --format {'|'.join(formats)}")
        return _SUFFIX_FORMATS[suffix]
    if default:
        return default
    return "table" if sys.stdout.isatty() else "jsonl"


def emit(records: list[dict], fmt: str | None, output: str | None, table_columns: list[str] | None = None,
         array: bool = True, formats: list[str] = FORMATS, default: str | None = None) -> None:
    """Write `records` in the chosen format to `output` or stdout (a table shows `table_columns`)."""
    fmt = resolve_format(fmt, output, formats, default)
    if fmt in BINARY_FORMATS:
        if not output:
            raise click.UsageError(f"{fmt} is a binary format and is not written to the terminal or a pipe: "
                                   f"give -o FILE.{fmt}")
        from junheng.outputs.export import write_binary

        write_binary([flatten(r) for r in records], fmt, output)
        return
    text = render(records, fmt, table_columns, array)
    if output:
        Path(output).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    else:
        click.echo(text, nl=False)


def render(records: list[dict], fmt: str, table_columns: list[str] | None = None, array: bool = True) -> str:
    if fmt == "json":
        payload = records if array or len(records) != 1 else records[0]
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    flat = [flatten(r) for r in records]
    columns = _columns(flat)
    if fmt in _DELIMITERS:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n",
                                delimiter=_DELIMITERS[fmt])
        writer.writeheader()
        writer.writerows({k: _csv_value(v) for k, v in r.items()} for r in flat)
        return buffer.getvalue()
    from junheng.outputs.table import table_text  # rich loads only when a table is asked for

    return table_text(flat, table_columns or columns)


def _csv_value(value):
    return ("true" if value else "false") if isinstance(value, bool) else value  # as JSON writes them


def flatten(record: dict, prefix: str = "") -> dict:
    """Nested dicts become prefixed columns (region.code → region_code); lists become JSON."""
    flat = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list):
            flat[name] = json.dumps(value, ensure_ascii=False)
        else:
            flat[name] = value
    return flat


def _columns(records: list[dict]) -> list[str]:
    columns: list[str] = []
    for record in records:
        columns.extend(key for key in record if key not in columns)
    return columns

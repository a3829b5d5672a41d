import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from junheng.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def require_system_part(missing: str, install: str) -> None:
    """A test that needs a system package (a browser, a CJK font) skips with the reason on a
    machine without it, so the README's test command passes on a bare machine; CI installs the
    packages and sets JUNHENG_REQUIRE_SYSTEM=1, where a missing part fails the test instead."""
    message = f"{missing}: install with `{install}`"
    if os.environ.get("JUNHENG_REQUIRE_SYSTEM") == "1":
        pytest.fail(message)
    pytest.skip(message)


def run(*args: str):
    """Run the CLI in-process and return the click Result."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def source_text(slug: str) -> str:
    return (CORPUS / "source" / f"{slug}.txt").read_text(encoding="utf-8")


def gold(slug: str) -> dict:
    return json.loads((CORPUS / "gold" / f"{slug}.json").read_text(encoding="utf-8"))


def bundled_reports() -> list[Path]:
    return sorted(p for p in (CORPUS / "reports").iterdir() if not p.name.startswith("."))


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """The bundled corpus ingested once into a temporary database."""
    db = tmp_path_factory.mktemp("db") / "corpus.db"
    result = run("ingest", CORPUS / "reports", "--db", db, "--workers", "2")
    assert result.exit_code == 0, result.output
    return db

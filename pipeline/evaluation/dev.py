"""The real development set (../shared/dev) as the `evaluate … --gold DIR` commands read it.

    DIR/docs/<id>.txt    the text as found (UTF-8)
    DIR/gold/<id>.json   region, doc_type, balance_stage, measures, figures (no date, no title)

Its README asks that every document be scored in every form it can take: the TXT as is, an
HTML page and a PDF. The pages and PDFs are rendered by corpus/render_dev.py, which the caller
passes in (`renderer`: a module with RENDERERS {form: (suffix, render(id, text) -> bytes)} and
SOURCES, its code files): the library never imports corpus/, so data flows one way. The
renderings go to a cache outside the repository, in a folder named by a hash of the documents
and the renderer's code, so a second run reuses them and any change renders afresh.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from hashlib import sha256
from pathlib import Path

from junheng.document import Document

DEV_FORMS = ("txt", "html", "pdf")
CACHE_ENV = "JUNHENG_DEV_CACHE"


def default_dev_dir(project_root: str | Path) -> Path:
    """The dev set beside the project: the project is cloned with shared/ next to it."""
    return Path(project_root).resolve().parent / "shared" / "dev"


def load_dev_gold(dev_dir: Path) -> dict[str, dict]:
    """id → gold, for every gold file whose document is there."""
    gold = {}
    for path in sorted((dev_dir / "gold").glob("*.json")):
        if (dev_dir / "docs" / f"{path.stem}.txt").exists():
            gold[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    return gold


def cache_root() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "junheng" / "dev-renderings"


def form_paths(dev_dir: Path, ids: list[str], form: str, renderer=None, cache: Path | None = None) -> dict[str, Path]:
    """id → the file to extract for `form`: the TXT itself, or its cached rendering."""
    docs = {doc_id: dev_dir / "docs" / f"{doc_id}.txt" for doc_id in ids}
    if form == "txt":
        return docs
    suffix, render = renderer.RENDERERS[form]
    cache = cache or cache_root()
    folder = cache / f"{form}-{_inputs_key(form, docs, renderer.SOURCES)}"
    if not folder.is_dir():
        _render_into(folder, docs, suffix, render)
        _prune(cache, form, keep=folder)
    return {doc_id: folder / f"{doc_id}{suffix}" for doc_id in ids}


def _inputs_key(form: str, docs: dict[str, Path], sources: list[Path]) -> str:
    digest = sha256(form.encode())
    for path in [*sources, *docs.values()]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _render_into(folder: Path, docs: dict[str, Path], suffix: str, render) -> None:
    """Render every document into a temporary folder, then rename it into place, so an
    interrupted run never leaves a half-filled folder that a later run would trust."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for doc_id, path in docs.items():
            (staging / f"{doc_id}{suffix}").write_bytes(render(doc_id, path.read_text(encoding="utf-8")))
        staging.rename(folder)
    except FileExistsError:  # another run finished the same renderings first: theirs are as good
        shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _prune(cache: Path, form: str, keep: Path) -> None:
    """Renderings of older inputs or an older renderer are never read again."""
    for stale in cache.glob(f"{form}-*"):
        if stale.is_dir() and stale != keep:
            shutil.rmtree(stale, ignore_errors=True)


def dev_documents(dev_dir: Path, ids: list[str], forms: list[str], renderer=None,
                  workers: int = 2) -> dict[str, dict[str, Document | None]]:
    """form → id → the extracted Document (None when the file yields no document: it is then
    scored as predicting nothing, so a reader failure costs recall instead of stopping the run)."""
    paths = {form: form_paths(dev_dir, ids, form, renderer) for form in forms}
    jobs = [(form, doc_id, path) for form in forms for doc_id, path in paths[form].items()]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        documents = list(pool.map(_extract_or_none, [path for _, _, path in jobs], chunksize=4))
    result: dict[str, dict[str, Document | None]] = {form: {} for form in forms}
    for (form, doc_id, _), doc in zip(jobs, documents):
        result[form][doc_id] = doc
    return result


def _extract_or_none(path: Path) -> Document | None:
    from junheng.ingest import IngestError
    from junheng.process import extract_path

    try:
        return extract_path(path)
    except IngestError:
        return None

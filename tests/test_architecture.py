"""The package's shape: no import circle, between modules or between stage folders; modules
of at most 600 lines and functions of at most 60.

Every import counts, also one inside a function: moving an import into a function hides a
circle from Python's loader, it does not remove it. The source folder pipeline/ is the
package junheng (pyproject's package-dir), so imports are read as junheng.… names.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "pipeline"
PACKAGE = "junheng"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60


def module_files() -> dict[str, Path]:
    """junheng.… module name → its file, for every .py under pipeline/."""
    modules = {}
    for path in sorted(SOURCE.rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join([PACKAGE, *parts])] = path
    return modules


def imported_names(name: str, path: Path) -> set[str]:
    """Every junheng.… name an import of the module asks for (a module, or a module's attribute)."""
    is_package = path.name == "__init__.py"
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return {n for n in names if n == PACKAGE or n.startswith(PACKAGE + ".")}


def import_graph() -> dict[str, set[str]]:
    """module → the modules it imports. `from junheng.x import y` is an edge to junheng.x.y when
    that is a module, else to junheng.x; the parent packages Python runs first are not edges."""
    modules = module_files()
    graph = {}
    for name, path in modules.items():
        targets = set()
        for wanted in imported_names(name, path):
            while wanted not in modules:
                wanted = wanted.rpartition(".")[0]
            if wanted != name:
                targets.add(wanted)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as its nodes in order (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def stage_of(module: str) -> str:
    """The stage folder (junheng.figures) or top-level module (junheng.process) a module is in."""
    return ".".join(module.split(".")[:2])


def test_no_import_circle_between_modules():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " → ".join(cycle)


# The stages bottom up, as the data flows (file → text → what it says → database → answers):
# a stage imports only from the layers below its own.
LAYERS = [
    {"document"},                                   # the records passed between stages
    {"text"},                                       # normalisation and readings, used by all
    {"ingest"},                                     # file → RawDocument
    {"regions", "metadata", "figures", "measures"},  # what the text says
    {"process"},                                    # path → extracted Document
    {"store"},                                      # the database
    {"bulk", "analysis", "evaluation"},             # loading; answers; accuracy
    {"outputs"},                                    # answers written out
    {"options"},                                    # the commands' shared options
    {"cli", "api"},                                 # the command line and the Python API
    {"__main__"},
]


def stage_graph() -> dict[str, set[str]]:
    stages: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        if module == PACKAGE:
            continue  # the package's own __init__ (the public API, lazily) sits above every stage
        stages.setdefault(stage_of(module), set()).update(
            stage_of(t) for t in targets if t != PACKAGE and stage_of(t) != stage_of(module))
    return stages


def test_no_import_circle_between_stages():
    cycle = find_cycle(stage_graph())
    assert cycle is None, "stages import each other: " + " → ".join(cycle)


def test_stages_import_only_from_below():
    rank = {f"{PACKAGE}.{stage}": level for level, stages in enumerate(LAYERS) for stage in stages}
    assert set(stage_graph()) <= set(rank), f"a stage missing from LAYERS: {set(stage_graph()) - set(rank)}"
    upward = [f"{stage} → {target}" for stage, targets in stage_graph().items() for target in targets
              if rank[target] >= rank[stage]]
    assert not upward, f"imports from a stage not below: {upward}"


def test_the_circle_finder_finds_circles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_an_import_inside_a_function_counts(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("def f():\n    from .other import g\n    from junheng.store import schema\n", encoding="utf-8")
    assert imported_names("junheng.text.m", path) == {"junheng.text.other.g", "junheng.store.schema"}


def test_modules_and_functions_are_short():
    long_modules, long_functions = [], []
    for name, path in module_files().items():
        source = path.read_text(encoding="utf-8")
        if len(source.splitlines()) > MAX_MODULE_LINES:
            long_modules.append(name)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    long_functions.append(f"{name}.{node.name}")
    assert not long_modules, f"modules over {MAX_MODULE_LINES} lines: {long_modules}"
    assert not long_functions, f"functions over {MAX_FUNCTION_LINES} lines: {long_functions}"


def test_the_library_never_imports_pipeline_or_the_checkout_shim():
    for name, path in module_files().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            assert not {"pipeline", "cli", "models"} & set(roots), f"{name} imports {roots}"

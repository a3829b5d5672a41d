"""Run the `junheng` command line from a checkout without installing it: `python cli.py …`.

The commands live in pipeline/cli.py (installed as junheng.cli); this shim loads the
pipeline/ folder as the package `junheng` (and models/ as junheng.models), as the installed
distribution maps them, so this checkout runs even when another copy is installed. Not
installed itself.
"""
import importlib.util
import sys
from pathlib import Path


def _load_checkout() -> None:
    root = Path(__file__).resolve().parent
    for name, folder in (("junheng", root / "pipeline"), ("junheng.models", root / "models")):
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


if __name__ == "__main__":
    _load_checkout()
    from junheng.cli import cli

    cli(prog_name="junheng")

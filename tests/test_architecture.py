"""The shape of the code (issue 9): a docstring on every module, modules and functions of a readable
size, and each engine imported only by the stages that own it.

Read from the source with :mod:`ast`, so the rules hold for code paths the other tests never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "leaflet"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

ALLOWED_HOMES = {
    "reportlab": ("layout/", "text/", "render.py", "personalise/"),
    "yaml": ("loaders/",),
    "pypdf": ("pdf/", "orders/", "check/"),
    "pypdfium2": ("preview.py",),
    "fastapi": ("service/",),
    "starlette": ("service/",),
    "uvicorn": ("cli/serve.py",),
    "prometheus_client": ("service/",),
    "celery": ("jobs/celery_engine.py",),
    "kombu": ("jobs/celery_engine.py",),
    "redis": ("jobs/celery_engine.py",),
    "leaflet.cli": ("cli/", "__main__.py"),
}
"""Which parts of leaflet may import each engine (paths relative to ``leaflet/``)."""


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_module_has_docstring_and_readable_size(path: Path) -> None:
    """This test ensures that every module says what it is for and stays under 400 lines."""
    tree = _tree(path)
    if path.name != "__main__.py":
        assert ast.get_docstring(tree), f"{_name(path)} has no module docstring"
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_name(path)} has {lines} lines"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_functions_are_short(path: Path) -> None:
    """This test ensures that no function is over 60 lines (docstring included)."""
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{_name(path)}: {', '.join(long)}"


@pytest.mark.parametrize("engine", sorted(ALLOWED_HOMES))
def test_engines_are_imported_only_by_their_stages(engine: str) -> None:
    """This test ensures that reportlab, yaml, pypdf and the command line stay in their own stages."""
    homes = ALLOWED_HOMES[engine]
    intruders = [
        _name(path)
        for path in MODULES
        if not _name(path).startswith(homes)
        and any(name == engine or name.startswith(engine + ".") for name in _imported(_tree(path)))
    ]
    assert not intruders, f"{engine} imported outside {homes}: {intruders}"

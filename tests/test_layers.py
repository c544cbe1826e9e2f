"""Imports sit at the top of their module, where `lint-imports` and a reader see them."""

from __future__ import annotations

import ast
from pathlib import Path

import clusterdesk

PACKAGE = Path(clusterdesk.__file__).parent
# Deliberately deferred, and said so where they are: not a way around a cycle.
DEFERRED = {
    "cli.py": "a solve loads neither Django nor the project",
    "solvers/meetings/solver.py": "OR-Tools loads for the benchmark's baseline only",
}


def _is_project_import(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return bool(node.level) or (node.module or "").startswith("clusterdesk")
    if isinstance(node, ast.Import):
        return any(a.name.startswith("clusterdesk") for a in node.names)
    return False


def _imports_inside_functions(path: Path) -> list[int]:
    return [
        inner.lineno
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(node)
        if _is_project_import(inner)
    ]


def test_no_project_import_is_hidden_inside_a_function() -> None:
    hidden = {
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and str(path.relative_to(PACKAGE)) not in DEFERRED
        for line in _imports_inside_functions(path)
    }
    assert hidden == set()


def test_the_deferred_imports_are_still_there() -> None:
    # Otherwise the exception list above outlives its reason.
    for name in DEFERRED:
        assert _imports_inside_functions(PACKAGE / name), name

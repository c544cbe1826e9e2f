"""Imports sit at the top of their module, where `lint-imports` and a reader see them."""

from __future__ import annotations

import ast
from pathlib import Path

import clusterdesk

PACKAGE = Path(clusterdesk.__file__).parent
# Deliberately deferred for their cost, and said so where they are: not a way around a cycle.
DEFERRED = {
    # a solve loads neither Django nor the project
    ("cli.py", "clusterdesk.solvers.cli"),
    # OR-Tools (0.3 s to import) loads only when reviewers are proposed
    ("projects/services/reviews.py", "clusterdesk.solvers"),
    ("projects/services/reviews.py", "clusterdesk.solvers.reviewers"),
    # OR-Tools' CP-SAT serves the benchmark's baseline only
    ("solvers/meetings/solver.py", ".cpsat"),
}


def _project_module(node: ast.AST) -> str | None:
    if isinstance(node, ast.ImportFrom):
        name = "." * node.level + (node.module or "")
        return name if node.level or name.startswith("clusterdesk") else None
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names if a.name.startswith("clusterdesk")]
        return names[0] if names else None
    return None


def _registers_at_start_up(path: Path, function: ast.AST, module: str) -> bool:
    """An app's ``AppConfig.ready()`` importing one of its own modules: Django's documented
    way to register hooks once the models are loaded, not a way around a cycle."""
    app = path.relative_to(PACKAGE).parts[0]
    return (
        path.name == "apps.py"
        and getattr(function, "name", "") == "ready"
        and module.startswith(f"clusterdesk.{app}")
    )


def _imports_inside_functions() -> set[tuple[str, str]]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    module = _project_module(inner)
                    if module is not None and not _registers_at_start_up(path, node, module):
                        found.add((path.relative_to(PACKAGE).as_posix(), module))
    return found


def test_no_project_import_is_hidden_inside_a_function() -> None:
    assert _imports_inside_functions() - DEFERRED == set()


def test_the_deferred_imports_are_still_there() -> None:
    # Otherwise the exception list above outlives its reason.
    assert DEFERRED - _imports_inside_functions() == set()

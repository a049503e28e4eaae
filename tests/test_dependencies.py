"""Every third-party module the shipped packages import comes from a declared, direct dependency.

A fresh ``pip install .`` installs only what ``[project].dependencies`` names (and what those pull
in). An import that works only because a package was installed by hand, or only because another
dependency happens to bring it along today, breaks on a user's machine: this test finds it from the
source, so it fails in CI instead.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_GUARDS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _config() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _declared(requirements: list[str]) -> set[str]:
    return {_normal(re.split(r"[\s<>=!~;\[(]", r, maxsplit=1)[0]) for r in requirements}


def _shipped_packages() -> list[str]:
    include = _config()["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted({p.split(".")[0].rstrip("*") for p in include})


def _guarded(handler: ast.ExceptHandler) -> bool:
    """Whether an ``except`` clause catches a failed import (bare, ImportError or a superclass)."""
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id in _GUARDS for n in names)


def _imports(tree: ast.AST) -> list[tuple[str, int]]:
    """Top-level module names imported outside a ``try`` that catches ImportError, with line numbers."""
    optional: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(_guarded(h) for h in node.handlers):
            optional.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    found = []
    for node in ast.walk(tree):
        if id(node) in optional:
            continue
        if isinstance(node, ast.Import):
            found += [(a.name.split(".")[0], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], node.lineno))
    return found


def undeclared_imports(dependencies: list[str]) -> list[str]:
    """``file:line: module …`` for each import no declared dependency provides."""
    declared = _declared(dependencies)
    packages = _shipped_packages()
    dist_of = metadata.packages_distributions()
    problems = []
    for package in packages:
        for path in sorted((REPO / package).rglob("*.py")):
            for module, line in _imports(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
                if module in sys.stdlib_module_names or module in packages or module == "__future__":
                    continue
                where = f"{path.relative_to(REPO)}:{line}"
                dists = {_normal(d) for d in dist_of.get(module, [])}
                if not dists:
                    problems.append(f"{where}: {module} is not installed: no declared dependency provides it")
                elif not dists & declared:
                    problems.append(f"{where}: {module} comes from {sorted(dists)}, not a direct dependency")
    return problems


def test_every_third_party_import_is_a_declared_dependency() -> None:
    assert undeclared_imports(_config()["project"]["dependencies"]) == []


def test_the_check_finds_a_dependency_that_is_missing() -> None:
    deps = _config()["project"]["dependencies"]
    without = [d for d in deps if _normal(re.split(r"[<>=]", d)[0]) != "orjson"]
    assert len(without) == len(deps) - 1
    problems = undeclared_imports(without)
    assert problems and all("orjson" in p for p in problems)
    assert any(p.startswith("webapp/jsonfast.py:") for p in problems)


def test_an_import_guarded_by_except_importerror_is_optional() -> None:
    tree = ast.parse(
        "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
        "try:\n    import toml\nexcept KeyError:\n    pass\n"
        "def f():\n    import lxml.etree\n"
    )
    assert [m for m, _ in _imports(tree)] == ["toml", "lxml"]

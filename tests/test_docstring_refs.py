"""Every Sphinx-style reference in a docstring or comment (``:func:``, ``:mod:``, ``:class:`` and
their kin) names something that exists.

A reference is tried as Sphinx would: a name of the module that writes it (or one it imports), a
method or attribute of one of that module's classes (``:meth:`plan``` inside ``Planner``), or a
full dotted path. An attribute counts when the class has it or its code assigns ``self.<name>``.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("routing", "webapp", "cli")
REF = re.compile(r":(?:func|mod|class|meth|data|attr|exc):`~?([A-Za-z_][A-Za-z0-9_.]*)`")
#: A dotted name of the project in double back-quotes (``webapp.runtime.init_city``) is a reference too.
LITERAL = re.compile(r"``((?:routing|webapp|cli)\.[A-Za-z_][A-Za-z0-9_.]*)``")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _references() -> list[tuple[str, str]]:
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # alembic scripts are loaded by alembic, not imported
            text = path.read_text(encoding="utf-8")
            for name in [*REF.findall(text), *LITERAL.findall(text)]:
                out.append((_module_name(path), name))
    return out


def _resolve_dotted(name: str) -> object:
    """The object ``a.b.c`` names: the longest importable module prefix, then attributes."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise LookupError(name)


def _has(cls: type, attr: str) -> bool:
    """Whether ``cls`` has ``attr`` as a class member or an instance attribute its code assigns."""
    if hasattr(cls, attr) or attr in getattr(cls, "__annotations__", {}):
        return True
    return re.search(rf"\bself\.{re.escape(attr)}\s*[:=]", inspect.getsource(cls)) is not None


def _resolve(writer: str, name: str) -> None:
    module: ModuleType = importlib.import_module(writer)
    first, _, rest = name.partition(".")
    if hasattr(module, first):  # a name of the writing module (or one it imports)
        obj: object = getattr(module, first)
        if rest and isinstance(obj, type) and "." not in rest:
            assert _has(obj, rest), f"{first} has no {rest}"
            return
        for attr in rest.split(".") if rest else ():
            obj = getattr(obj, attr)
        return
    if not rest:  # a member of one of the module's own classes
        classes = [c for c in vars(module).values() if isinstance(c, type) and c.__module__ == writer]
        if any(_has(c, first) for c in classes):
            return
    _resolve_dotted(name)


REFERENCES = _references()


def test_the_scan_finds_references() -> None:
    assert len(REFERENCES) > 50


@pytest.mark.parametrize(("writer", "name"), REFERENCES, ids=[f"{w}:{n}" for w, n in REFERENCES])
def test_reference_resolves(writer: str, name: str) -> None:
    try:
        _resolve(writer, name)
    except (AttributeError, AssertionError, LookupError, ImportError) as exc:
        pytest.fail(f"{writer} refers to {name!r}, which does not exist ({exc})")

"""Compiled kernels call compiled kernels of their own file only.

numba refreshes a cached kernel (``cache=True``) when its own file changes, not when a kernel it
calls from another file does: after an edit of routing/street/nearest.py, the cached snapping kernel
of routing/street/snap_nodes.py still held the old callees and ``greenroute serve`` crashed at its
start (``NRT_adapt_ndarray_to_python: 'descr' is NULL``). A kernel therefore lives beside the
kernels it calls; this reads every module's source to keep it so.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# routing.transit.raptor reads monotonic_s, a clock whose only body is one C library call
# (clock_gettime); it has nothing a stale copy could get wrong.
ALLOWED = {("routing.transit.raptor", "raptor_rounds", "monotonic_s")}


def _is_kernel(fn: ast.FunctionDef) -> bool:
    return any("jit" in ast.unparse(d) for d in fn.decorator_list)


def _modules() -> dict[str, ast.Module]:
    return {
        ".".join(p.relative_to(ROOT).with_suffix("").parts): ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "routing").rglob("*.py"))
    }


def cross_file_kernel_calls(modules: dict[str, ast.Module]) -> set[tuple[str, str, str]]:
    """(module, kernel, callee) for every kernel that names a kernel imported from another module."""
    kernels = {
        name: {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and _is_kernel(n)}
        for name, tree in modules.items()
    }
    found = set()
    for name, tree in modules.items():
        imported = {
            alias.asname or alias.name
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module in kernels
            for alias in node.names
            if alias.name in kernels[node.module]
        }
        for fn in tree.body:
            if isinstance(fn, ast.FunctionDef) and _is_kernel(fn):
                used = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
                found |= {(name, fn.name, callee) for callee in used & imported}
    return found


def test_kernels_call_only_kernels_of_their_own_file() -> None:
    assert cross_file_kernel_calls(_modules()) - ALLOWED == set()


def test_the_check_finds_a_cross_file_call() -> None:
    helper = ast.parse("from numba import njit\n\n@njit(cache=True)\ndef inner(x):\n    return x\n")
    caller = ast.parse(
        "from numba import njit\nfrom pkg.helper import inner\n\n"
        "@njit(cache=True)\ndef outer(x):\n    return inner(x)\n"
    )
    assert cross_file_kernel_calls({"pkg.helper": helper, "pkg.caller": caller}) == {("pkg.caller", "outer", "inner")}

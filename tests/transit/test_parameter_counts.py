"""No function in routing/ (routing/plan/ aside, its own engineer's) takes more than 12 parameters.

Long positional lists are where two arrays of one dtype get swapped without an error (issue 17):
group them in a named structure instead. A function may go past the limit only with a comment
``# many parameters: <why>`` on its ``def`` line.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROUTING = Path(__file__).resolve().parents[2] / "routing"
LIMIT = 12
EXCUSE = "# many parameters:"


def _too_long(routing: Path) -> list[str]:
    found = []
    for path in sorted(routing.rglob("*.py")):
        if routing / "plan" in path.parents:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            a = node.args
            count = (
                len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs) + (a.vararg is not None) + (a.kwarg is not None)
            )
            if count > LIMIT and EXCUSE not in lines[node.lineno - 1]:
                found.append(f"{path.relative_to(routing.parent)}:{node.lineno} {node.name} ({count})")
    return found


def test_no_function_takes_more_than_twelve_parameters():
    assert _too_long(ROUTING) == []


def test_the_count_sees_self_and_keyword_only_parameters(tmp_path):
    module = tmp_path / "routing" / "m.py"
    module.parent.mkdir()
    names = ", ".join(f"a{i}" for i in range(11))
    module.write_text(f"class C:\n    def f(self, {names}, *, b): pass\n", encoding="utf-8")
    (tmp_path / "routing" / "plan").mkdir()
    (tmp_path / "routing" / "plan" / "p.py").write_text(f"def g({names}, b, c): pass\n", encoding="utf-8")
    assert _too_long(tmp_path / "routing") == ["routing/m.py:2 f (13)"]

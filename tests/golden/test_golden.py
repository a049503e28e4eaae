"""The /api/plan JSON of 300 seeded queries is byte-identical to the recorded answers (refactor guard)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.golden.record import GOLDEN, answers, golden_app


def test_answers_are_byte_identical(poa_folder: Path) -> None:
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = answers(golden_app().test_client())
    assert now["build"] == recorded["build"], (
        f"golden answers were recorded on build {recorded['build']}, this is {now['build']}: the inputs or "
        "the build format changed, so answers may legitimately differ; re-record with "
        "`python -m tests.golden.record` and say why in the commit"
    )
    changed = [
        f"{old['query']}: status {old['status']}->{new['status']}"
        for old, new in zip(recorded["plans"], now["plans"], strict=True)
        if old != new
    ]
    assert not changed, f"{len(changed)} of {len(now['plans'])} answers changed:\n" + "\n".join(changed[:20])

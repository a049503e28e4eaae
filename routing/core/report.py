"""The build report: counts, skipped rows by reason, timings and peak memory of one build."""

from __future__ import annotations

import json
import resource
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class BuildReport:
    """Accumulates facts about a build; saved as ``report.json`` next to the compiled city."""

    city: str
    counts: dict[str, Any] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    steps: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def count(self, name: str, value: Any) -> None:
        self.counts[name] = value

    def skip(self, reason: str, n: int = 1) -> None:
        """Record ``n`` input rows skipped for ``reason`` (e.g. ``"eptc: stop_times: unknown stop_id"``)."""
        if n:
            self.skipped[reason] += n

    def note(self, text: str) -> None:
        self.notes.append(text)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.steps[name] = round(time.perf_counter() - t0, 3)

    def as_dict(self) -> dict[str, Any]:
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {
            "city": self.city,
            "counts": self.counts,
            "skipped": dict(sorted(self.skipped.items())),
            "steps_s": self.steps,
            "notes": self.notes,
            "peak_memory_mib": round(peak_kib / 1024, 1),
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), indent=2, sort_keys=True), encoding="utf-8")

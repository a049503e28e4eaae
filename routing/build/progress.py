"""Build progress: one bar per build step with its elapsed time, on top of the build report.

Each top-level step (reading OSM, elevation, each mode's graph, timetable, place index, base map,
finishing) gets its own line on stderr; the steps the parts open inside it (``"places: read osm"``,
``"footpaths"``) show as that line's postfix and are timed in the report like any other step.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO

from routing.core.report import BuildReport

_BAR_FORMAT = "{desc:<44} {elapsed_s:6.1f} s{postfix}"
_TICK_S = 0.5


@dataclass
class ProgressReport(BuildReport):
    """A :class:`BuildReport` that draws a progress line per top-level step and remembers which
    part produced each count (so a reused part can carry its counts into the next report)."""

    show: bool = False
    stream: TextIO | None = None
    part: str | None = None
    counts_by_part: dict[str, dict[str, Any]] = field(default_factory=dict)
    skipped_by_part: dict[str, dict[str, int]] = field(default_factory=dict)
    _depth: int = 0
    _bar: Any = None

    def count(self, name: str, value: Any) -> None:
        super().count(name, value)
        if self.part is not None:
            self.counts_by_part.setdefault(self.part, {})[name] = value

    def skip(self, reason: str, n: int = 1) -> None:
        super().skip(reason, n)
        if n and self.part is not None:
            mine = self.skipped_by_part.setdefault(self.part, {})
            mine[reason] = mine.get(reason, 0) + n

    def add_time(self, name: str, seconds: float) -> None:
        """Add ``seconds`` to step ``name`` (for work done in several pieces, e.g. DEM sampling)."""
        self.steps[name] = round(self.steps.get(name, 0.0) + seconds, 3)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        outer = self._depth == 0
        self._depth += 1
        t0 = time.perf_counter()
        stop = threading.Event()
        ticker: threading.Thread | None = None
        if outer and self.show:
            ticker = self._open_bar(name, stop)
        elif self._bar is not None:
            self._bar.set_postfix_str(name)
        try:
            yield
        finally:
            self._depth -= 1
            self.add_time(name, time.perf_counter() - t0)
            if outer and self._bar is not None:
                stop.set()
                if ticker is not None:
                    ticker.join()
                self._bar.set_postfix_str("done", refresh=False)
                self._bar.update(1)
                self._bar.close()
                self._bar = None

    def mark(self, text: str) -> None:
        """Show ``text`` on the current step's line (e.g. ``"reused"``)."""
        if self._bar is not None:
            self._bar.set_postfix_str(text)

    def _open_bar(self, name: str, stop: threading.Event) -> threading.Thread | None:
        from tqdm import tqdm

        stream = self.stream or sys.stderr
        self._bar = tqdm(total=1, desc=f"{self.city}: {name}", bar_format=_BAR_FORMAT, file=stream, leave=True)
        if not stream.isatty():
            return None  # a log file gets the first and last line of each step, not a redraw every tick
        bar = self._bar

        def tick() -> None:
            # tqdm only redraws on updates; a step is one long update, so refresh its clock here.
            while not stop.wait(_TICK_S):
                bar.refresh()

        thread = threading.Thread(target=tick, name="build-progress", daemon=True)
        thread.start()
        return thread

    def as_dict(self) -> dict[str, Any]:
        out = super().as_dict()
        out["step_order"] = list(self.steps)  # the JSON file sorts keys; this keeps the order they ran in
        out["counts_by_part"] = self.counts_by_part
        out["skipped_by_part"] = {p: dict(sorted(s.items())) for p, s in self.skipped_by_part.items()}
        return out

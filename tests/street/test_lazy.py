"""Street graphs build their hierarchies on first use, once, whichever threads ask."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from routing.street.lazy import lazy
from tests.street.osm_inline import compile_inline
from tests.street.test_components import _fixture


class _Slow:
    def __init__(self) -> None:
        self.calls = 0

    @lazy
    def value(self) -> list[int]:
        self.calls += 1
        time.sleep(0.05)  # long enough for every thread to arrive while the first one builds
        return [self.calls]

    @lazy
    def derived(self) -> int:
        return self.value[0] + 1  # asks for another lazy value under the same (re-entrant) lock


def test_a_lazy_value_is_built_once_when_threads_race() -> None:
    obj = _Slow()
    seen: list[list[int]] = []
    threads = [threading.Thread(target=lambda: seen.append(obj.value)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert obj.calls == 1
    assert all(v is seen[0] for v in seen)
    assert obj.derived == 2


def test_assigning_replaces_a_lazy_value() -> None:
    obj = _Slow()
    obj.value = [7]  # a step-free view sets its own metrics this way
    assert obj.value == [7] and obj.calls == 0


def test_loading_a_graph_builds_no_hierarchy_until_a_search(tmp_path: Path) -> None:
    g = compile_inline(tmp_path, *_fixture({}), min_network_nodes=5)["drive"]
    assert "_cch" not in g.__dict__ and g.turns is not None and "_cch" not in g.turns.__dict__
    g.prepare()
    assert "_cch" in g.__dict__ and "metric" in g.turns.__dict__

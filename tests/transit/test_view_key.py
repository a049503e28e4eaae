"""Dates that share a view key have the same trip view: each date's view made afresh, compared."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from routing.transit import Timetable
from routing.transit.network import day_view, directed, view_key


@pytest.mark.parametrize("reverse", [False, True])
def test_dates_with_one_key_have_one_view(poa_folder: Path, reverse: bool) -> None:
    tt = Timetable.load(poa_folder / "transit")
    net = directed(tt, reverse=reverse)
    n_days, n_feeds = tt.service_days.shape[1], len(tt.feeds)
    first: dict[tuple[bytes, ...], tuple[int, list[np.ndarray]]] = {}
    shared = 0
    # each feed on its own date too (feeds' dates differ when one's calendar ends earlier), and unused
    for feed_day in [(d,) * n_feeds for d in range(n_days)] + [(d, -1)[:n_feeds] for d in range(0, n_days, 7)]:
        view = day_view(net, np.array(feed_day, dtype=np.int64))
        arrays = [np.asarray(getattr(view, name)) for name in view.__dataclass_fields__]
        key = view_key(net, feed_day)
        if key not in first:
            first[key] = (feed_day[0], arrays)
            continue
        shared += 1
        for a, b in zip(first[key][1], arrays, strict=True):
            assert a.dtype == b.dtype and np.array_equal(a, b)
    assert shared > n_days // 2  # most dates share their view with another date
    assert len(first) > 3  # and the key still tells kinds of day apart

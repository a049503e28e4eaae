"""A transit range search past its deadline stops between RAPTOR runs, and the router stays sound."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from routing.core.city import load_city
from routing.core.errors import QueryTimeout
from routing.plan.planner import Planner
from webapp.params import plan_request


def test_range_search_past_its_deadline_times_out_and_the_next_query_is_unchanged(poa_folder: Path) -> None:
    planner = Planner(poa_folder, load_city("porto-alegre"))
    assert planner.transit is not None
    args = {"from": "-30.0277,-51.2287", "to": "-30.0346,-51.2177", "modes": "transit", "at": "2019-05-06T08:00"}
    ranged = plan_request(MultiDict({**args, "window": "120"}), tz=planner.tz)
    at = ranged.at
    assert at is not None
    before = planner.transit.options(ranged, at)
    with pytest.raises(QueryTimeout):
        planner.transit.options(ranged, at, deadline=time.perf_counter() - 1.0)
    assert planner.transit.options(ranged, at) == before
    # A single departure is one run, and the kernel checks the deadline before each of its rounds.
    single = plan_request(MultiDict(args), tz=planner.tz)
    assert single.at is not None
    with pytest.raises(QueryTimeout):
        planner.transit.options(single, single.at, deadline=time.perf_counter() - 1.0)
    assert planner.transit.options(single, single.at, deadline=time.perf_counter() + 60.0)[0]
    assert planner.transit.options(ranged, at, deadline=time.perf_counter() + 60.0) == before

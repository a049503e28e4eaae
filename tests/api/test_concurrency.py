"""Threads planning at once get the same answers as one thread alone (search state is per thread)."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from webapp.limits import limit_of

TRIPS = [
    ("-30.0277,-51.2287", "-29.9975,-51.1985"),
    ("-30.0277,-51.2287", "-30.0,-51.18"),
    ("-30.0346,-51.2177", "-30.0277,-51.2287"),
    ("-30.0400,-51.2200", "-30.0100,-51.1950"),
]


def _plan(app: Flask, trip: tuple[str, str]) -> list[tuple[str, float, str]]:
    with app.test_client() as c:
        body = c.get(f"/api/plan?from={trip[0]}&to={trip[1]}&at=2026-11-23T08:00&modes=walk,transit,drive").get_json()
    return [(o["id"], o["duration_s"], o["arrival"]) for o in body["options"]]


def test_concurrent_plans_equal_sequential_ones(poa_app: Flask) -> None:
    expected = {trip: _plan(poa_app, trip) for trip in TRIPS}
    assert any(any(i.startswith("transit") for i, _, _ in v) for v in expected.values())
    work = TRIPS * 6
    # The overload guard refuses a second plan at once (one slot per process by default): give the
    # six threads a slot each, so that they really plan at the same time.
    limit = limit_of(poa_app)
    saved = (limit.capacity, limit.per_client)
    limit.capacity = limit.per_client = 6
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so shared search state would be caught
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            got = list(pool.map(lambda t: (t, _plan(poa_app, t)), work))
    finally:
        sys.setswitchinterval(interval)
        limit.capacity, limit.per_client = saved
    for trip, answer in got:
        assert answer == expected[trip], trip

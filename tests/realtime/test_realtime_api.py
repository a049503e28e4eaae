"""End to end: ``[[realtime]]`` in city.toml, the app's background poller, ``/api/plan``."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.realtime.city import build_realtime_city
from tests.realtime.conftest import at
from tests.realtime.feeds import FeedServer, message, trip_update
from tests.street.osm_fixture import node_latlon

REPO = Path(__file__).resolve().parents[2]


def test_the_served_plan_uses_the_polled_feed(
    tmp_path: Path, feeds: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    city, _ = build_realtime_city(tmp_path)
    shutil.copytree(REPO / "seeds" / "factors", tmp_path / "seeds" / "factors")
    toml = city.folder / "city.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + f'\n[[realtime]]\nfeed = "bus"\ntrip_updates = "{feeds.url}/tu"\npoll_seconds = 1\n'
        "max_age_seconds = 100000000\n",  # the feed's data stays fresh whatever the test clock
        encoding="utf-8",
    )
    m = message(at(7, 50))
    trip_update(m, "T0800", stops=(("NW", {"departure_delay": 600}),))
    feeds.bodies["/tu"] = m.SerializeToString()
    for key in list(os.environ):
        if key.startswith("GREENROUTE_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("GREENROUTE_HOME", str(tmp_path))
    monkeypatch.setenv("GREENROUTE_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("GREENROUTE_CITY", "rt")
    from webapp import create_app

    app = create_app()
    client = app.test_client()
    (lat, lon), (lat2, lon2) = node_latlon(1), node_latlon(9)
    url = f"/api/plan?from={lat},{lon}&to={lat2},{lon2}&modes=transit&at=2026-12-01T08:00:00-03:00&max_walk_m=150"
    try:
        deadline = time.monotonic() + 10
        while True:  # the first answers may come before the poller's first fetch
            body = client.get(url).get_json()
            if body["data"]["realtime"] or time.monotonic() > deadline:
                break
            assert any(n["code"] == "realtime_stale" for n in body["notices"])
            time.sleep(0.1)
        (block,) = body["data"]["realtime"]
        assert block["feed"] == "bus" and block["entities"] == 1
        leg = next(leg for o in body["options"] for leg in o["legs"] if leg["mode"] == "transit")
        assert leg["departure"] == "2026-12-01T08:10:00-03:00" and leg["realtime"]["delay_s"] == 600
    finally:
        # The loaded city lives as long as the process: stop its poller, or it would poll on.
        planner = app.extensions["greenroute_city"].cached("planner", lambda folder: None)
        planner.transit.realtime.stop()

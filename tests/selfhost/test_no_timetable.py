"""A city built without GTFS feeds plans on foot, by bike and by car, and says why transit is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.selfhost.helpers import cli
from webapp import create_app

# Two points of Beatty's OSM extract (the town of the GTFS sample feed), 1.3 km apart.
TRIP = "from=36.9020,-116.7590&to=36.9130,-116.7560&at=2007-01-01T08:00"


@pytest.fixture
def client(home: Path, inputs: Path, capsys: pytest.CaptureFixture[str]):
    rc, _, err = cli(capsys, "build", "--name", "town", "--osm", str(inputs / "beatty.osm"), "--timezone", "UTC")
    assert rc == 0, err
    app = create_app({"TESTING": True, "CITY": "town"})
    return app.test_client()


def test_transit_alone_is_a_clear_422(client) -> None:
    resp = client.get(f"/api/plan?{TRIP}&modes=transit")
    assert resp.status_code == 422
    body = resp.get_json()
    assert body["error"] == "no_timetable", body
    assert "without GTFS" in body["message"]


def test_the_other_modes_still_answer(client) -> None:
    body = client.get(f"/api/plan?{TRIP}&modes=walk,transit,park+ride").get_json()
    assert [o["mode"] for o in body["options"]] == ["walk"]
    codes = {mode: e["error"] for mode, e in body["errors"].items()}
    assert codes == {"transit": "no_timetable", "park+ride": "no_timetable"}, body["errors"]

"""/api/plan?wheelchair=true and `greenroute plan --wheelchair` on Porto Alegre, checked against a
scan of the raw EPTC trips.txt (EPTC states wheelchair_accessible for every trip: 1 or 2)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from cli.main import main
from tests.conftest import ROOT

ORIGIN = "-30.0277,-51.2287"  # Centro Histórico
FAR = "-30.0,-51.18"  # about 6.5 km north-east
QUERY = f"/api/plan?from={ORIGIN}&to={FAR}&at=2026-11-23T08:00&modes=transit,walk&window=60"


def _raw_trip_access() -> dict[str, str]:
    with zipfile.ZipFile(ROOT / "seeds" / "porto-alegre" / "gtfs-eptc-bus.zip") as z:
        rows = csv.DictReader(io.StringIO(z.read("trips.txt").decode("utf-8-sig")))
        return {r["trip_id"]: r["wheelchair_accessible"] for r in rows}


def _state(raw: dict[str, str], trip_id: str) -> str | None:
    """The raw wheelchair_accessible of an answer's ``feed:trip_id`` (EPTC only; a frequency
    trip's expanded id ends in ``@HH:MM:SS``)."""
    feed, trip = trip_id.split(":", 1)
    if feed != "eptc":
        return None
    return raw.get(trip, raw.get(trip.rsplit("@", 1)[0]))


def _rides(body: dict[str, object]) -> list[dict[str, object]]:
    return [leg for o in body["options"] for leg in o["legs"] if leg["mode"] == "transit"]  # type: ignore[attr-defined,index]


def test_wheelchair_rides_only_trips_eptc_states_accessible(poa_client: FlaskClient) -> None:
    raw = _raw_trip_access()
    plain = poa_client.get(QUERY).get_json()
    inaccessible = [r for r in _rides(plain) if _state(raw, str(r["trip_id"])) == "2"]
    assert inaccessible, "the plain answer should ride some trip EPTC states inaccessible"
    r = poa_client.get(QUERY + "&wheelchair=true")
    assert r.status_code == 200
    body = r.get_json()
    rides = _rides(body)
    assert rides, body["errors"]
    for ride in rides:
        state = _state(raw, str(ride["trip_id"]))
        assert state != "2", ride["trip_id"]
        expect = "accessible" if state == "1" else "not_stated"
        assert ride["wheelchair"]["trip"] == expect  # type: ignore[index]
    assert body["request"]["wheelchair"] is True
    for mode in ("bike+transit", "park+ride"):
        asked = poa_client.get(QUERY.replace("modes=transit,walk", f"modes={mode}") + "&wheelchair=true")
        assert asked.status_code == 422 and asked.get_json()["error"] == "not_stepfree"


def test_wheelchair_walk_is_no_shorter(poa_client: FlaskClient) -> None:
    q = "/api/plan?from=-30.0346,-51.2177&to=-30.0562,-51.2141&modes=walk"
    plain = poa_client.get(q).get_json()["options"][0]
    step_free = poa_client.get(q + "&wheelchair=true").get_json()["options"][0]
    assert step_free["duration_s"] >= plain["duration_s"]


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_bad_wheelchair_value_is_a_400(poa_client: FlaskClient, value: str) -> None:
    r = poa_client.get(f"/api/plan?from={ORIGIN}&to={FAR}&wheelchair={value}")
    assert r.status_code == 400
    assert r.get_json()["argument"] == "wheelchair"


def test_cli_wheelchair_flag(poa_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["plan", "--from", ORIGIN, "--to", FAR, "--modes", "transit", "--at", "2026-11-23T08:00"])
    rc_sf = main(
        ["plan", "--from", ORIGIN, "--to", FAR, "--modes", "transit", "--at", "2026-11-23T08:00"]
        + ["--wheelchair", "--json"]
    )
    out = capsys.readouterr().out
    assert rc == 0 and rc_sf == 0
    assert "accessibility not stated" not in out.split("{", 1)[0]  # the plain table has no such line
    answer = json.loads(out[out.index("{") :])
    assert answer["request"]["wheelchair"] is True
    assert all("wheelchair" in leg for leg in _rides(answer))
    rc_table = main(
        ["plan", "--from", ORIGIN, "--to", FAR, "--modes", "transit", "--at", "2026-11-23T08:00", "--wheelchair"]
    )
    table = capsys.readouterr().out
    assert rc_table == 0 and "note: step-free" in table
    stated = all(leg["wheelchair"]["from_stop"] != "not_stated" for leg in _rides(answer))  # type: ignore[index]
    assert stated or "accessibility not stated by the operator" in table

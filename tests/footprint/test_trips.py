"""Logging an option: what is stored (and what is not), editing, deleting, validation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, text

from tests.footprint.helpers import FACTORS, Person, sample_option, walk_option

# Strings and numbers of the sample option that identify places.
PLACE_MARKERS = (
    "51.2301",
    "30.0277",
    "51.1803",
    "30.0352",
    "30.0301",
    "Parada",
    "Rua da Praia",
    "T1",
    "Centro",
    "eptc",
)


def _raw_rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text("SELECT * FROM footprint_trips"))]


def test_entry_holds_the_summary_of_the_option(alice: Person) -> None:
    trip = alice.log_ok()
    assert trip["started_at"] == "2026-11-18T08:00:00-03:00"
    assert trip["mode"] == "transit"
    assert trip["modes"] == ["walk", "transit", "walk"]
    assert trip["legs"] == [
        {"mode": "walk", "distance_m": 400.0, "duration_s": 300.0, "co2e_g": 0.0},
        {"mode": "transit", "distance_m": 5000.0, "duration_s": 900.0, "co2e_g": 410.0},
        {"mode": "walk", "distance_m": 600.0, "duration_s": 200.0, "co2e_g": 0.0},
    ]
    assert trip["by_mode"] == {
        "walk": {"distance_m": 1000.0, "duration_s": 500.0, "co2e_g": 0.0},
        "transit": {"distance_m": 5000.0, "duration_s": 900.0, "co2e_g": 410.0},
    }
    assert (trip["distance_m"], trip["duration_s"], trip["co2e_g"]) == (6000.0, 1500.0, 410.0)
    assert trip["factors"] == FACTORS
    assert trip["places"] is None and trip["mode_edited_from"] is None
    assert alice.get(f"/api/footprint/trips/{trip['id']}").get_json()["trip"] == trip


def test_no_place_is_stored_unless_asked(alice: Person, engine: Engine) -> None:
    alice.log_ok()
    alice.log_ok(keep_places=False)
    alice.log_ok(walk_option())
    rows = _raw_rows(engine)
    assert len(rows) == 3
    for row in rows:
        assert row["places"] is None
        dump = json.dumps(row, default=str)
        for marker in PLACE_MARKERS:
            assert marker not in dump, marker
    # Nor anywhere else in the database.
    with engine.connect() as conn:
        for table in ("footprint_owners", "footprint_credentials"):
            dump = json.dumps([list(r) for r in conn.execute(text(f"SELECT * FROM {table}"))], default=str)
            assert not any(m in dump for m in PLACE_MARKERS)


def test_places_are_kept_when_asked_for_that_entry(alice: Person, engine: Engine) -> None:
    kept = alice.log_ok(keep_places=True)
    alice.log_ok()
    assert kept["places"]["origin"] == {"lat": -30.0277, "lon": -51.2301}
    assert kept["places"]["destination"] == {"lat": -30.0352, "lon": -51.1803}
    assert kept["places"]["geometry"]["coordinates"][1] == [-51.2202, -30.0301]
    transit = kept["places"]["legs"][1]
    assert transit["route"] == "T1" and transit["from_stop"]["name"] == "Parada Borges"
    rows = {r["uuid"]: r for r in _raw_rows(engine)}
    assert rows[kept["id"]]["places"] is not None
    assert [r["places"] for u, r in rows.items() if u != kept["id"]] == [None]


def test_option_without_legs_or_departure(alice: Person) -> None:
    option = {"mode": "drive", "distance_m": 8000, "duration_s": 720, "co2e_g": None}
    trip = alice.log_ok(option)
    assert trip["legs"] == [{"mode": "drive", "distance_m": 8000.0, "duration_s": 720.0, "co2e_g": None}]
    assert trip["by_mode"] == {"drive": {"distance_m": 8000.0, "duration_s": 720.0, "co2e_g": None}}
    assert trip["started_at"].endswith("+00:00")


BAD_BODIES: list[tuple[Any, str, str]] = [
    ([], "body", "must be a JSON object"),
    ({"factors": FACTORS}, "option", "is required"),
    ({"option": sample_option()}, "factors", "is required"),
    ({"option": sample_option(), "factors": FACTORS, "origin": [1, 2]}, "origin", "unknown field"),
    ({"option": "walk", "factors": FACTORS}, "option", "must be a JSON object"),
    ({"option": sample_option(), "factors": FACTORS, "keep_places": "yes"}, "keep_places", "true or false"),
    ({"option": sample_option(mode="Walk!"), "factors": FACTORS}, "option.mode", "mode name"),
    ({"option": sample_option(mode=None), "factors": FACTORS}, "option.mode", "mode name"),
    ({"option": sample_option(distance_m=-1), "factors": FACTORS}, "option.distance_m", "between 0"),
    ({"option": sample_option(distance_m="5"), "factors": FACTORS}, "option.distance_m", "a number"),
    ({"option": sample_option(distance_m=True), "factors": FACTORS}, "option.distance_m", "a number"),
    ({"option": sample_option(duration_s=1e12), "factors": FACTORS}, "option.duration_s", "between 0"),
    ({"option": sample_option(co2e_g=-5), "factors": FACTORS}, "option.co2e_g", "between 0"),
    ({"option": sample_option(departure="tomorrow"), "factors": FACTORS}, "option.departure", "ISO-8601"),
    ({"option": sample_option(departure="2026-11-18T08:00:00"), "factors": FACTORS}, "option.departure", "UTC offset"),
    ({"option": sample_option(departure="1900-01-01T08:00:00Z"), "factors": FACTORS}, "option.departure", "year"),
    ({"option": sample_option(legs={"mode": "walk"}), "factors": FACTORS}, "option.legs", "JSON array"),
    ({"option": sample_option(legs=[{"mode": "walk"}]), "factors": FACTORS}, "option.legs[0].distance_m", "a number"),
    (
        {"option": sample_option(legs=[{"mode": "walk", "distance_m": 1, "duration_s": 1}] * 201), "factors": FACTORS},
        "option.legs",
        "at most 200",
    ),
    ({"option": sample_option(), "factors": {"pack": "=HYPERLINK(1)"}}, "factors.pack", "label"),
    ({"option": sample_option(), "factors": {"pack": "x" * 65}}, "factors.pack", "label"),
    ({"option": sample_option(), "factors": []}, "factors", "JSON object"),
]


@pytest.mark.parametrize(("body", "field", "words"), BAD_BODIES)
def test_bad_input_gets_a_specific_400(alice: Person, body: Any, field: str, words: str) -> None:
    resp = alice.post("/api/footprint/trips", json=body)
    assert resp.status_code == 400
    answer = resp.get_json()
    assert answer["error"] == "invalid_field"
    assert answer["field"] == field
    assert answer["message"].startswith(field + ":") and words in answer["message"]
    assert alice.trips() == []


def test_bad_places_are_refused_only_when_places_are_kept(alice: Person) -> None:
    option = sample_option(geometry={"type": "LineString", "coordinates": [[500, 1], [2, 3]]})
    resp = alice.log(option, keep_places=True)
    assert resp.status_code == 400 and resp.get_json()["field"] == "option.geometry.coordinates[0][0]"
    assert alice.log(option).status_code == 201  # the geometry is not read at all otherwise
    no_geometry = sample_option()
    del no_geometry["geometry"]
    resp = alice.log(no_geometry, keep_places=True)
    assert resp.status_code == 400 and resp.get_json()["field"] == "option.geometry"


def test_not_json_and_broken_json(alice: Person) -> None:
    resp = alice.client.post("/api/footprint/trips", data="option=1", headers=alice.headers())
    assert resp.status_code == 415 and resp.get_json()["error"] == "json_required"
    resp = alice.client.post(
        "/api/footprint/trips", data="{nope", content_type="application/json", headers=alice.headers()
    )
    assert resp.status_code == 400 and resp.get_json()["error"] == "invalid_json"


def test_edit_date_keeps_the_offset_and_mode_edit_is_reversible(alice: Person) -> None:
    trip = alice.log_ok()
    url = f"/api/footprint/trips/{trip['id']}"
    moved = alice.patch(url, json={"started_at": "2026-11-20T17:30"}).get_json()["trip"]
    assert moved["started_at"] == "2026-11-20T17:30:00-03:00"
    changed = alice.patch(url, json={"mode": "bike"}).get_json()["trip"]
    assert changed["mode"] == "bike" and changed["mode_edited_from"] == "transit"
    assert changed["co2e_g"] is None
    assert changed["by_mode"] == {"bike": {"distance_m": 6000.0, "duration_s": 1500.0, "co2e_g": None}}
    assert changed["legs"] == trip["legs"]  # what was planned stays on record
    back = alice.patch(url, json={"mode": "transit"}).get_json()["trip"]
    assert back["by_mode"] == trip["by_mode"] and back["co2e_g"] == 410.0
    assert back["mode_edited_from"] is None
    assert alice.get(url).get_json()["trip"]["started_at"] == "2026-11-20T17:30:00-03:00"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({}, "nothing_to_change", None),
        ({"distance_m": 1}, "invalid_field", "distance_m"),
        ({"mode": ""}, "invalid_field", "mode"),
        ({"started_at": "2026-13-45T00:00"}, "invalid_field", "started_at"),
        ({"started_at": 20261120}, "invalid_field", "started_at"),
        ([], "invalid_field", "body"),
    ],
)
def test_bad_edits(alice: Person, body: Any, code: str, field: str | None) -> None:
    trip = alice.log_ok()
    resp = alice.patch(f"/api/footprint/trips/{trip['id']}", json=body)
    assert resp.status_code == 400 and resp.get_json()["error"] == code
    assert resp.get_json().get("field") == field
    assert alice.trips() == [trip]


def test_delete_one_entry(alice: Person) -> None:
    first, second = alice.log_ok(), alice.log_ok(walk_option())
    resp = alice.delete(f"/api/footprint/trips/{first['id']}")
    assert resp.status_code == 200 and resp.get_json() == {"deleted": first["id"]}
    assert [t["id"] for t in alice.trips()] == [second["id"]]
    assert alice.delete(f"/api/footprint/trips/{first['id']}").status_code == 404


def test_list_is_newest_first_and_paged(alice: Person) -> None:
    ids = [alice.log_ok(walk_option(departure=f"2026-11-{d:02d}T08:00:00-03:00"))["id"] for d in (3, 1, 2)]
    listed = alice.get("/api/footprint/trips?limit=2&offset=1").get_json()
    assert listed["total"] == 3 and [t["id"] for t in listed["trips"]] == [ids[2], ids[1]]
    for query in ("limit=0", "limit=1001", "limit=x", "offset=-1"):
        resp = alice.get(f"/api/footprint/trips?{query}")
        assert resp.status_code == 400, query

"""Two people: neither can read, change, export or delete the other's entries."""

from __future__ import annotations

import json
import uuid

from tests.footprint.helpers import Person, walk_option


def test_lists_exports_and_summaries_hold_only_own_entries(alice: Person, bob: Person) -> None:
    a1 = alice.log_ok()
    a2 = alice.log_ok(walk_option(900.0))
    b1 = bob.log_ok(walk_option(300.0))
    assert {t["id"] for t in alice.trips()} == {a1["id"], a2["id"]}
    assert {t["id"] for t in bob.trips()} == {b1["id"]}
    assert alice.get("/api/footprint").get_json()["count"] == 2
    assert bob.get("/api/footprint").get_json()["count"] == 1

    bob_json = json.loads(bob.get("/api/footprint/export.json").data)
    assert [e["id"] for e in bob_json["entries"]] == [b1["id"]]
    bob_csv = bob.get("/api/footprint/export.csv").get_data(as_text=True)
    assert b1["id"] in bob_csv and a1["id"] not in bob_csv and a2["id"] not in bob_csv

    weeks = bob.get("/api/footprint/summary").get_json()["weeks"]
    assert sum(w["trips"] for w in weeks) == 1
    assert weeks[0]["distance_m"] == 300.0

    page = bob.get("/log").get_data(as_text=True)
    assert b1["id"] in page and a1["id"] not in page


def test_other_persons_id_is_exactly_like_a_missing_one(alice: Person, bob: Person) -> None:
    theirs = alice.log_ok()["id"]
    made_up = str(uuid.uuid4())
    for target in (theirs, made_up, "1", "not-a-uuid"):
        answers = [
            bob.get(f"/api/footprint/trips/{target}"),
            bob.patch(f"/api/footprint/trips/{target}", json={"mode": "bike"}),
            bob.delete(f"/api/footprint/trips/{target}"),
        ]
        for resp in answers:
            assert resp.status_code == 404
            assert resp.get_json() == {
                "error": "no_such_trip",
                "message": "there is no entry with this id in your log",
            }
    # Nothing of alice's changed.
    (trip,) = alice.trips()
    assert trip["id"] == theirs and trip["mode"] == "transit"


def test_importing_someone_elses_export_copies_never_links(alice: Person, bob: Person) -> None:
    alice.log_ok()
    exported = alice.get("/api/footprint/export.json").data
    resp = bob.post("/api/footprint/import", data=exported, content_type="application/json")
    assert resp.get_json()["added"] == 1
    bob_trip = bob.trips()[0]
    assert bob.delete(f"/api/footprint/trips/{bob_trip['id']}").status_code == 200
    assert len(alice.trips()) == 1  # same uuid, but bob deleted only his own copy
    assert bob.trips() == []


def test_erase_deletes_only_own_rows(alice: Person, bob: Person) -> None:
    alice.log_ok()
    bob.log_ok()
    resp = bob.delete("/api/footprint")
    assert resp.status_code == 200 and resp.get_json()["trips_deleted"] == 1
    assert len(alice.trips()) == 1
    assert bob.get("/api/footprint/trips").status_code == 401


def test_no_key_no_data(app: object, alice: Person) -> None:
    alice.log_ok()
    stranger = Person(app)  # type: ignore[arg-type]
    for path in ("trips", "summary", "export.csv", "export.json"):
        resp = stranger.get(f"/api/footprint/{path}")
        assert resp.status_code == 401
        assert resp.get_json()["error"] == "log_off"
    assert stranger.log().status_code == 401
    assert stranger.delete("/api/footprint").status_code == 401
    assert stranger.get("/api/footprint").get_json()["on"] is False
    # A forged cookie value opens nothing either.
    stranger.client.set_cookie("greenroute_footprint", "AAAA-" * 7 + "AAAA")
    assert stranger.get("/api/footprint/trips").status_code == 401
    assert len(alice.trips()) == 1

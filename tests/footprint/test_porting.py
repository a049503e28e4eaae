"""Export (CSV, JSON), erase, import: round trips, merging without duplicates, size limits."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from flask import Flask

from tests.footprint.helpers import Person, sample_option, walk_option


def _fill(person: Person) -> None:
    person.log_ok()
    person.log_ok(keep_places=True)
    person.log_ok(walk_option(1500.0, "2026-10-30T23:30:00-03:00"))  # local October, UTC November
    person.log_ok(walk_option(700.0, "2026-11-09T07:00:00+01:00"))
    edited = person.log_ok(sample_option(departure="2026-11-01T10:00:00-03:00"))
    assert person.patch(f"/api/footprint/trips/{edited['id']}", json={"mode": "drive"}).status_code == 200


def _import(person: Person, doc: Any) -> Any:
    data = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return person.client.post(
        "/api/footprint/import", data=data, content_type="application/json", headers=person.headers()
    )


def test_export_erase_import_gives_the_same_log(app: Flask, alice: Person) -> None:
    _fill(alice)
    summary = alice.get("/api/footprint/summary").get_json()
    trips = alice.trips()
    exported = alice.get("/api/footprint/export.json")
    assert exported.headers["Content-Disposition"].startswith("attachment;")
    doc = json.loads(exported.data)
    assert doc["format"] == "greenroute-footprint" and doc["version"] == 1 and len(doc["entries"]) == 5

    assert alice.delete("/api/footprint").status_code == 200
    again = Person(app)
    again.turn_on()
    resp = _import(again, exported.data)
    assert resp.status_code == 200 and resp.get_json() == {"added": 5, "skipped": 0, "total": 5}
    assert again.get("/api/footprint/summary").get_json() == summary
    restored = again.trips()
    for before, after in zip(trips, restored, strict=True):
        assert after == before  # every field, ids and edits included
    assert json.loads(again.get("/api/footprint/export.json").data)["entries"] == doc["entries"]


def test_import_merges_without_duplicates(alice: Person) -> None:
    _fill(alice)
    doc = json.loads(alice.get("/api/footprint/export.json").data)
    assert _import(alice, doc).get_json() == {"added": 0, "skipped": 5, "total": 5}
    # A file with two old entries, one new one, and the new one repeated.
    new_entry = dict(doc["entries"][0], id="6f1c1e39-8f7e-4a55-9c31-0c1f2f0d4b11")
    partial = dict(doc, entries=[doc["entries"][1], doc["entries"][3], new_entry, new_entry])
    assert _import(alice, partial).get_json() == {"added": 1, "skipped": 3, "total": 6}
    assert _import(alice, partial).get_json() == {"added": 0, "skipped": 4, "total": 6}
    ids = [t["id"] for t in alice.trips()]
    assert len(ids) == len(set(ids)) == 6


def test_import_keeps_local_edits_of_existing_entries(alice: Person) -> None:
    trip = alice.log_ok()
    doc = json.loads(alice.get("/api/footprint/export.json").data)
    alice.patch(f"/api/footprint/trips/{trip['id']}", json={"mode": "bike"})
    assert _import(alice, doc).get_json()["skipped"] == 1
    assert alice.trips()[0]["mode"] == "bike"


def test_import_over_the_limit_is_413(make_app: Any) -> None:
    app = make_app(FOOTPRINT_IMPORT_MAX_BYTES=2000)
    person = Person(app)
    person.turn_on()
    for _ in range(3):
        person.log_ok()
    big = person.get("/api/footprint/export.json").data
    assert len(big) > 2000
    assert person.delete("/api/footprint").status_code == 200
    person.turn_on()
    resp = _import(person, big)
    assert resp.status_code == 413
    assert resp.get_json()["error"] == "import_too_large" and "2000 bytes" in resp.get_json()["message"]
    # Without a Content-Length (chunked upload) the limit holds too.
    resp = person.client.post(
        "/api/footprint/import",
        input_stream=io.BytesIO(big),
        content_type="application/json",
        headers=person.headers(),
    )
    assert resp.status_code == 413
    assert person.trips() == []


@pytest.mark.parametrize(
    ("doc", "code", "field"),
    [
        (b"{not json", "invalid_json", None),
        (b"[]", "invalid_field", "file"),
        ({"format": "other", "version": 1, "entries": []}, "invalid_field", "format"),
        ({"format": "greenroute-footprint", "version": 2, "entries": []}, "invalid_field", "version"),
        ({"format": "greenroute-footprint", "version": 1, "entries": {}}, "invalid_field", "entries"),
        ({"format": "greenroute-footprint", "version": 1, "entries": [1]}, "invalid_field", "entries[0]"),
        (b"[" * 100000, "invalid_json", None),
    ],
)
def test_bad_import_files(alice: Person, doc: Any, code: str, field: str | None) -> None:
    resp = _import(alice, doc)
    assert resp.status_code == 400
    assert resp.get_json()["error"] == code and resp.get_json().get("field") == field


def test_one_bad_entry_imports_nothing(alice: Person) -> None:
    alice.log_ok()
    alice.log_ok(walk_option())
    doc = json.loads(alice.get("/api/footprint/export.json").data)
    alice.delete("/api/footprint")
    alice.turn_on()
    doc["entries"].append(dict(doc["entries"][0], id="b0e5", distance_m=5))
    resp = _import(alice, doc)
    assert resp.status_code == 400 and resp.get_json()["field"] == "entries[2].id"
    doc["entries"][-1] = dict(doc["entries"][0], id="9a4e7c1e-0e8b-4d8e-9d8e-0d9b7c6a5f41", places={"geometry": 1})
    resp = _import(alice, doc)
    assert resp.status_code == 400 and resp.get_json()["field"] == "entries[2].places.geometry"
    assert alice.trips() == []


def test_csv_export(alice: Person) -> None:
    _fill(alice)
    text = alice.get("/api/footprint/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5
    kept = [r for r in rows if r["origin_lat"]]
    assert len(kept) == 1 and kept[0]["origin_lat"] == "-30.0277"
    first = next(r for r in rows if r["started_at"] == "2026-11-18T08:00:00-03:00" and not r["origin_lat"])
    assert first["mode"] == "transit" and first["modes"] == "walk transit walk"
    assert first["distance_by_mode_m"] == "transit=5000.0;walk=1000.0"
    assert first["co2e_g"] == "410.0" and first["factor_pack"] == "desnz-2025"
    edited = next(r for r in rows if r["mode"] == "drive")
    assert edited["co2e_g"] == "" and edited["mode_edited_from"] == "transit"

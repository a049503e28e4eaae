"""Bounded data: the per-log entry cap, paging, read limits, strict numbers and whole-string validators."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask

from tests.footprint.helpers import FACTORS, Person, sample_option, walk_option
from webapp.footprint.pages import PAGE_ENTRIES


def _export_doc(entries: list[dict[str, Any]]) -> bytes:
    return json.dumps({"format": "greenroute-footprint", "version": 1, "entries": entries}).encode()


def _import(person: Person, doc: bytes) -> Any:
    headers = person.headers(**{"Content-Type": "application/json"})
    return person.client.post("/api/footprint/import", data=doc, headers=headers)


def test_a_log_refuses_entries_beyond_its_cap(make_app: Any) -> None:
    app = make_app(FOOTPRINT_MAX_ENTRIES="3")
    alice = Person(app)
    alice.turn_on()
    for _ in range(3):
        alice.log_ok()
    full = alice.log()
    assert full.status_code == 409, full.get_json()
    body = full.get_json()
    assert body["error"] == "log_full" and body["max_entries"] == 3 and body["entries"] == 3
    assert "at most 3 entries" in body["message"]
    assert len(alice.trips()) == 3


def test_an_import_past_the_cap_adds_nothing(make_app: Any) -> None:
    app = make_app(FOOTPRINT_MAX_ENTRIES="4")
    alice = Person(app)
    alice.turn_on()
    alice.log_ok()
    donor = Person(make_app(FOOTPRINT_MAX_ENTRIES="100"))
    donor.turn_on()
    for _ in range(4):
        donor.log_ok(walk_option())
    export = donor.get("/api/footprint/export.json").data
    refused = _import(alice, export)
    assert refused.status_code == 409 and refused.get_json()["error"] == "log_full"
    assert len(alice.trips()) == 1  # all or nothing
    entries = json.loads(export)["entries"]
    fits = _import(alice, _export_doc(entries[:3]))
    assert fits.status_code == 200 and fits.get_json()["total"] == 4, fits.get_json()


def test_the_trips_api_pages_newest_first(app: Flask) -> None:
    alice = Person(app)
    alice.turn_on()
    for day in range(1, 8):
        alice.log_ok(walk_option(departure=f"2026-11-{day:02d}T08:00:00-03:00"))
    first = alice.get("/api/footprint/trips?limit=3").get_json()
    assert [t["started_at"][:10] for t in first["trips"]] == ["2026-11-07", "2026-11-06", "2026-11-05"]
    assert (first["total"], first["next"]) == (7, 3)
    last = alice.get("/api/footprint/trips?limit=3&offset=6").get_json()
    assert [t["started_at"][:10] for t in last["trips"]] == ["2026-11-01"] and last["next"] is None
    assert alice.get("/api/footprint/trips").get_json()["limit"] == 100


def test_the_log_page_lists_the_newest_entries_and_loads_more(make_app: Any) -> None:
    app = make_app(FOOTPRINT_MAX_ENTRIES="1000")
    alice = Person(app)
    alice.turn_on()
    entries = [
        {**json.loads(json.dumps(e)), "id": f"00000000-0000-4000-8000-{i:012d}"}
        for i, e in enumerate([_exported(alice)] * (PAGE_ENTRIES + 5))
    ]
    assert _import(alice, _export_doc(entries)).status_code == 200
    page = alice.get("/log").get_data(as_text=True)
    assert page.count('class="entry"') == PAGE_ENTRIES
    assert f"{PAGE_ENTRIES + 5} entries" in page
    more = re.search(r'href="([^"]*shown=(\d+)[^"]*)"', page)
    assert more is not None and int(more.group(2)) == 2 * PAGE_ENTRIES
    page2 = alice.get(more.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert page2.count('class="entry"') == PAGE_ENTRIES + 5 and "shown=" not in page2
    assert alice.get("/log?shown=0").status_code == 400
    assert alice.get("/log?shown=5%0A").status_code == 400


def _exported(person: Person) -> dict[str, Any]:
    trip = person.log_ok()
    doc = json.loads(person.get("/api/footprint/export.json").data)
    person.delete(f"/api/footprint/trips/{trip['id']}")
    entry: dict[str, Any] = doc["entries"][0]
    return entry


def test_reads_are_rate_limited_too(make_app: Any) -> None:
    app = make_app(FOOTPRINT_RATE_READS="3/minute")
    alice = Person(app)
    codes = [alice.get("/api/footprint/trips").status_code for _ in range(4)]
    assert codes[:3] == [401] * 3 and codes[3] == 429  # a read without a log still costs a token
    assert alice.get("/log").status_code == 429


def test_numbers_beyond_floats_nan_and_infinity_are_400(app: Flask) -> None:
    alice = Person(app)
    alice.turn_on()
    huge = alice.log(sample_option(distance_m=10**400))
    assert huge.status_code == 400 and huge.get_json()["field"] == "option.distance_m", huge.get_json()
    for literal in ("NaN", "Infinity", "-Infinity"):
        raw = json.dumps({"option": sample_option(), "factors": FACTORS})
        raw = raw.replace('"co2e_g": 410.0', f'"co2e_g": {literal}')
        assert literal in raw
        resp = alice.client.post(
            "/api/footprint/trips", data=raw, headers=alice.headers(**{"Content-Type": "application/json"})
        )
        assert resp.status_code == 400 and resp.get_json()["error"] == "invalid_json", (literal, resp.get_json())
    assert alice.trips() == []


def test_validators_match_the_whole_string(app: Flask) -> None:
    alice = Person(app)
    alice.turn_on()
    assert alice.log(sample_option(mode="walk\n")).status_code == 400
    factors = {**FACTORS, "pack": "desnz-2025\n"}
    resp = alice.post("/api/footprint/trips", json={"option": sample_option(), "factors": factors})
    assert resp.status_code == 400 and resp.get_json()["field"] == "factors.pack"
    trip = alice.log_ok()
    assert alice.patch(f"/api/footprint/trips/{trip['id']}", json={"mode": "bike\n"}).status_code == 400
    # A typed key may carry spaces or a newline: they are not part of it, and it still opens the log.
    assert alice.post("/api/footprint/device", json={"key": (alice.key or "") + "\n"}).status_code == 200


def test_usernames_with_a_trailing_newline_are_refused(make_app: Any) -> None:
    app = make_app(FOOTPRINT_AUTH="accounts")
    person = Person(app)
    body = {"username": "alice\n", "password": "correct horse battery"}
    resp = person.post("/api/footprint/register", json=body)
    assert resp.status_code == 400 and resp.get_json()["error"] == "invalid_username"


def test_accounts_mode_refuses_anonymous_keys(make_app: Any) -> None:
    keyed = make_app()
    alice = Person(keyed)
    alice.turn_on()
    alice.log_ok()
    cookie = alice.client.get_cookie("greenroute_footprint")
    assert cookie is not None
    accounts = make_app(FOOTPRINT_AUTH="accounts")  # the same database, now with accounts required
    later = Person(accounts)
    later.client.set_cookie("greenroute_footprint", cookie.value)
    resp = later.get("/api/footprint/trips")
    assert resp.status_code == 401 and resp.get_json()["error"] == "not_signed_in"
    assert later.get("/api/footprint").get_json()["on"] is False
    assert later.post("/api/footprint/device", json={"key": alice.key}).status_code in (403, 404, 409)


def test_two_instances_share_one_rate_limit_through_the_database(make_app: Any) -> None:
    one, two = make_app(FOOTPRINT_RATE_KEYS="3/hour"), make_app(FOOTPRINT_RATE_KEYS="3/hour")
    codes = [Person(app).post("/api/footprint").status_code for app in (one, two, one, two)]
    assert codes == [201, 201, 201, 429]


def test_memory_buckets_are_per_process(make_app: Any) -> None:
    one = make_app(FOOTPRINT_RATE_KEYS="2/hour", RATE_LIMIT_STORE="memory")
    two = make_app(FOOTPRINT_RATE_KEYS="2/hour", RATE_LIMIT_STORE="memory")
    codes = [Person(app).post("/api/footprint").status_code for app in (one, one, two, two, one)]
    assert codes == [201, 201, 201, 201, 429]


def test_keyset_pages_cover_every_entry_once_even_at_one_time(app: Flask) -> None:
    alice = Person(app)
    alice.turn_on()
    for day in (3, 1, 2):
        alice.log_ok(walk_option(departure=f"2026-11-{day:02d}T08:00:00-03:00"))
    same = _exported(alice)  # entries at the very same minute: the id breaks the tie
    entries = [{**same, "id": f"00000000-0000-4000-8000-{i:012d}"} for i in range(5)]
    assert _import(alice, _export_doc(entries)).status_code == 200
    everything = [t["id"] for t in alice.get("/api/footprint/trips?limit=1000").get_json()["trips"]]
    seen: list[str] = []
    page = alice.get("/api/footprint/trips?limit=2").get_json()
    while True:
        seen += [t["id"] for t in page["trips"]]
        if page["next_after"] is None:
            break
        assert page["next"] is None or page["offset"] == 0
        page = alice.get(f"/api/footprint/trips?limit=2&after={page['next_after']}").get_json()
        assert page["next"] is None  # keyset pages give no offset
    assert seen == everything and len(seen) == len(set(seen)) == 8
    assert alice.get("/api/footprint/trips?after=nope").status_code == 400
    assert alice.get(f"/api/footprint/trips?after={seen[0]}&offset=1").status_code == 400
    bob = Person(app)
    bob.turn_on()  # someone else's entry is no position in your log
    assert bob.get(f"/api/footprint/trips?after={seen[0]}").status_code == 400

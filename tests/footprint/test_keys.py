"""Turning the log on: the personal key, its cookie, the hash in the database, other devices."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import Engine, text

from tests.footprint.helpers import Person
from webapp.footprint.auth import token_hash


def test_off_until_turned_on(app: Flask) -> None:
    person = Person(app)
    status = person.get("/api/footprint").get_json()
    assert status["on"] is False and status["count"] == 0 and status["auth"] == "key"
    assert person.log().status_code == 401


def test_turn_on_shows_the_key_once_and_sets_a_strict_cookie(app: Flask, engine: Engine) -> None:
    person = Person(app)
    resp = person.post("/api/footprint")
    assert resp.status_code == 201
    key = resp.get_json()["key"]
    assert re.fullmatch(r"([A-Z2-7]{4}-){7}[A-Z2-7]{4}", key)  # 32 base32 chars = 160 bits
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("greenroute_footprint="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    assert person.get("/api/footprint").get_json() == {
        "on": True,
        "auth": "key",
        "count": 0,
        "username": None,
        "import_max_bytes": 1024 * 1024,
    }
    # Shown once: nothing else ever answers with it.
    for path in ("/api/footprint", "/api/footprint/trips", "/api/footprint/export.json", "/log"):
        assert key not in person.get(path).get_data(as_text=True)
    # The database holds only its hash.
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT token_hash, kind FROM footprint_credentials")).all()
        dump = " ".join(
            str(v)
            for table in ("footprint_owners", "footprint_credentials")
            for row in conn.execute(text(f"SELECT * FROM {table}"))
            for v in row
        )
    assert rows == [(token_hash(key), "key")]
    assert key not in dump and key.replace("-", "") not in dump


def test_cookie_is_secure_over_https(app: Flask) -> None:
    person = Person(app, origin="https://localhost")
    resp = person.client.post("/api/footprint", base_url="https://localhost", headers=person.headers())
    assert resp.status_code == 201
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("greenroute_footprint="))
    assert "Secure" in cookie


def test_turning_on_twice_in_one_browser_is_refused(alice: Person) -> None:
    resp = alice.post("/api/footprint")
    assert resp.status_code == 409 and resp.get_json()["error"] == "already_on"


def test_key_opens_the_same_log_on_another_device(app: Flask, alice: Person) -> None:
    trip = alice.log_ok()
    phone = Person(app)
    assert alice.key is not None
    typed = alice.key.lower().replace("-", " ")  # case and separators do not matter
    resp = phone.post("/api/footprint/device", json={"key": typed})
    assert resp.status_code == 200 and resp.get_json() == {"on": True, "count": 1}
    assert [t["id"] for t in phone.trips()] == [trip["id"]]
    # Stopping on the phone leaves the log and the key working elsewhere.
    assert phone.post("/api/footprint/logout").status_code == 200
    assert phone.get("/api/footprint").get_json()["on"] is False
    assert len(alice.trips()) == 1


def test_device_key_errors(app: Flask) -> None:
    person = Person(app)
    cases = [
        ({"key": "AAAA-" * 7 + "AAAA"}, 401, "unknown_key"),
        ({"key": "too short"}, 400, "invalid_key"),
        ({"key": 12345}, 400, "invalid_key"),
        ({"key": "A" * 500}, 400, "invalid_key"),
        ({}, 400, "invalid_field"),
        ([], 400, "invalid_field"),
    ]
    for body, status, code in cases:
        resp = person.post("/api/footprint/device", json=body)
        assert resp.status_code == status, body
        assert resp.get_json()["error"] == code, body
    resp = person.client.post("/api/footprint/device", data="key", headers=person.headers())
    assert resp.status_code == 415


def test_erase_removes_the_key(app: Flask, alice: Person, engine: Engine) -> None:
    alice.log_ok()
    key = alice.key
    resp = alice.delete("/api/footprint")
    assert resp.status_code == 200 and resp.get_json() == {"on": False, "erased": True, "trips_deleted": 1}
    assert "greenroute_footprint=;" in " ".join(resp.headers.getlist("Set-Cookie"))
    with engine.connect() as conn:
        for table in ("footprint_owners", "footprint_credentials", "footprint_trips"):
            assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == 0
    other = Person(app)
    assert other.post("/api/footprint/device", json={"key": key}).status_code == 401


def test_key_creation_is_rate_limited(make_app: object) -> None:
    app = make_app(FOOTPRINT_RATE_KEYS="3/hour")  # type: ignore[operator]
    people = [Person(app) for _ in range(4)]
    answers = [p.post("/api/footprint") for p in people]
    assert [r.status_code for r in answers] == [201, 201, 201, 429]
    body = answers[-1].get_json()
    assert body["error"] == "rate_limited" and body["retry_after_s"] > 0


def test_writes_are_rate_limited(make_app: object) -> None:
    app = make_app(FOOTPRINT_RATE_WRITES="5/minute")  # type: ignore[operator]
    person = Person(app)
    person.turn_on()
    codes = [person.log().status_code for _ in range(7)]
    assert codes == [201] * 5 + [429] * 2
    assert len(person.trips()) == 5

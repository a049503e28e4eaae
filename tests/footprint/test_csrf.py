"""Every state-changing request needs this server's Origin (or Referer) and the CSRF token."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import Flask

from tests.footprint.helpers import FACTORS, Person, sample_option

# (method, path, JSON body) of every state-changing endpoint.
CHANGES: list[tuple[str, str, Any]] = [
    ("POST", "/api/footprint", None),
    ("POST", "/api/footprint/device", {"key": "AAAA-" * 7 + "AAAA"}),
    ("POST", "/api/footprint/trips", {"option": sample_option(), "factors": FACTORS}),
    ("PATCH", "/api/footprint/trips/{id}", {"mode": "bike"}),
    ("DELETE", "/api/footprint/trips/{id}", None),
    ("POST", "/api/footprint/import", {"format": "greenroute-footprint", "version": 1, "entries": []}),
    ("POST", "/api/footprint/logout", None),
    ("DELETE", "/api/footprint", None),
]


def _send(person: Person, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    return person.client.open(path, method=method, json=body, headers=headers)


@pytest.fixture()
def trip_id(alice: Person) -> str:
    return str(alice.log_ok()["id"])


def _attempts(person: Person) -> list[tuple[str, dict[str, str], str]]:
    token = person.csrf
    return [
        ("no origin, no referer", {"X-CSRF-Token": token}, "origin_required"),
        ("other origin", {"Origin": "https://evil.example", "X-CSRF-Token": token}, "cross_origin"),
        ("null origin", {"Origin": "null", "X-CSRF-Token": token}, "cross_origin"),
        ("other port", {"Origin": "http://localhost:8080", "X-CSRF-Token": token}, "cross_origin"),
        ("other scheme", {"Origin": "https://localhost", "X-CSRF-Token": token}, "cross_origin"),
        (
            "foreign referer",
            {"Referer": "https://evil.example/log", "X-CSRF-Token": token},
            "cross_origin",
        ),
        ("no token", {"Origin": person.origin}, "csrf_token_missing"),
        ("wrong token", {"Origin": person.origin, "X-CSRF-Token": "x" * 43}, "csrf_token_invalid"),
    ]


@pytest.mark.parametrize(("method", "path", "body"), CHANGES)
def test_changes_without_origin_or_token_are_refused(
    alice: Person, trip_id: str, method: str, path: str, body: Any
) -> None:
    path = path.format(id=trip_id)
    for what, headers, code in _attempts(alice):
        resp = _send(alice, method, path, body, headers)
        assert resp.status_code == 403, what
        assert resp.get_json()["error"] == code, what
    # Nothing was changed by any of them.
    (trip,) = alice.trips()
    assert trip["id"] == trip_id and trip["mode"] == "transit"


def test_token_of_another_browser_is_refused(app: Flask, alice: Person) -> None:
    other = Person(app)
    headers = {"Origin": alice.origin, "X-CSRF-Token": other.csrf}
    resp = _send(alice, "POST", "/api/footprint/trips", {"option": sample_option(), "factors": FACTORS}, headers)
    assert resp.status_code == 403 and resp.get_json()["error"] == "csrf_token_invalid"
    assert alice.trips() == []


def test_same_origin_referer_is_accepted_when_origin_is_absent(alice: Person) -> None:
    headers = {"Referer": "http://localhost/log?period=week", "X-CSRF-Token": alice.csrf}
    resp = _send(alice, "POST", "/api/footprint/trips", {"option": sample_option(), "factors": FACTORS}, headers)
    assert resp.status_code == 201


def test_csrf_token_is_stable_and_in_an_httponly_strict_cookie(app: Flask) -> None:
    person = Person(app)
    again = person.client.get("/api/footprint/csrf")
    assert again.get_json()["csrf_token"] == person.csrf
    fresh = app.test_client().get("/api/footprint/csrf")
    cookie = fresh.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert fresh.get_json()["csrf_token"] != person.csrf


def test_reads_need_no_token(alice: Person) -> None:
    alice.log_ok()
    bare = alice.client.get("/api/footprint/trips")  # no Origin, no token: reads are safe
    assert bare.status_code == 200 and bare.get_json()["total"] == 1
    assert alice.client.get(f"/api/footprint/trips/{uuid.uuid4()}").status_code == 404

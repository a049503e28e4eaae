"""Accounts (FOOTPRINT_AUTH=accounts): argon2 hashes, sessions, no anonymous keys."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from tests.footprint.helpers import Person
from webapp.footprint.db import get_engine

PASSWORD = "correct horse battery"


@pytest.fixture()
def accounts_app(make_app: Any) -> Flask:
    app: Flask = make_app(FOOTPRINT_AUTH="accounts")
    return app


def test_register_login_logout(accounts_app: Flask) -> None:
    laptop = Person(accounts_app)
    assert laptop.get("/api/footprint").get_json()["auth"] == "accounts"
    resp = laptop.post("/api/footprint/register", json={"username": "Ana.Silva", "password": PASSWORD})
    assert resp.status_code == 201 and resp.get_json() == {"on": True, "username": "ana.silva"}
    trip = laptop.log_ok()

    phone = Person(accounts_app)
    assert (
        phone.post("/api/footprint/login", json={"username": "ana.silva", "password": "wrong password"}).status_code
        == 401
    )
    assert phone.post("/api/footprint/login", json={"username": "nobody", "password": PASSWORD}).status_code == 401
    resp = phone.post("/api/footprint/login", json={"username": "ANA.SILVA", "password": PASSWORD})
    assert resp.status_code == 200
    assert [t["id"] for t in phone.trips()] == [trip["id"]]
    status = phone.get("/api/footprint").get_json()
    assert status["on"] is True and status["username"] == "ana.silva" and status["count"] == 1

    assert phone.post("/api/footprint/logout").status_code == 200
    assert phone.get("/api/footprint/trips").get_json()["error"] == "not_signed_in"
    assert len(laptop.trips()) == 1  # the laptop's session is a different one

    with get_engine(accounts_app).connect() as conn:
        (stored,) = conn.execute(text("SELECT password_hash FROM footprint_owners")).scalars()
        sessions = conn.execute(text("SELECT COUNT(*) FROM footprint_credentials")).scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert sessions == 1


def test_erase_deletes_the_account(accounts_app: Flask) -> None:
    person = Person(accounts_app)
    person.post("/api/footprint/register", json={"username": "ana", "password": PASSWORD})
    person.log_ok()
    assert person.delete("/api/footprint").get_json()["trips_deleted"] == 1
    with get_engine(accounts_app).connect() as conn:
        for table in ("footprint_owners", "footprint_credentials", "footprint_trips"):
            assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == 0
    assert person.post("/api/footprint/login", json={"username": "ana", "password": PASSWORD}).status_code == 401


def test_account_errors(accounts_app: Flask) -> None:
    person = Person(accounts_app)
    assert person.post("/api/footprint/register", json={"username": "ana", "password": PASSWORD}).status_code == 201
    other = Person(accounts_app)
    cases = [
        ({"username": "ana", "password": PASSWORD}, 409, "username_taken"),
        ({"username": "a", "password": PASSWORD}, 400, "invalid_username"),
        ({"username": "ana maria", "password": PASSWORD}, 400, "invalid_username"),
        ({"username": "ana2", "password": "short"}, 400, "invalid_password"),
        ({"username": "ana2", "password": 1234567890123}, 400, "invalid_password"),
        ({"username": "ana2"}, 400, "invalid_password"),
    ]
    for body, status, code in cases:
        resp = other.post("/api/footprint/register", json=body)
        assert (resp.status_code, resp.get_json()["error"]) == (status, code), body
    # No anonymous keys on an accounts server.
    assert other.post("/api/footprint").get_json()["error"] == "accounts_required"
    assert other.post("/api/footprint/device", json={"key": "x"}).status_code == 403


def test_account_endpoints_are_off_in_key_mode(app: Flask) -> None:
    person = Person(app)
    resp = person.post("/api/footprint/register", json={"username": "ana", "password": PASSWORD})
    assert resp.status_code == 404 and resp.get_json()["error"] == "accounts_off"
    assert person.post("/api/footprint/login", json={"username": "ana", "password": PASSWORD}).status_code == 404

"""Shared helpers of the footprint tests: a person with their own cookie jar, sample options."""

from __future__ import annotations

import copy
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

ORIGIN = "http://localhost"

_OPTION: dict[str, Any] = {
    "id": "transit-0",
    "mode": "transit",
    "duration_s": 1500.0,
    "distance_m": 6000.0,
    "elevation_gain_m": 4.0,
    "elevation_loss_m": 2.0,
    "departure": "2026-11-18T08:00:00-03:00",
    "arrival": "2026-11-18T08:25:00-03:00",
    "transfers": 0,
    "walk_distance_m": 1000.0,
    "co2e_g": 410.0,
    "factor": {"value": 82, "unit": "g/passenger-km", "pack": "desnz-2025"},
    "geometry": {
        "type": "LineString",
        "coordinates": [[-51.2301, -30.0277], [-51.2202, -30.0301], [-51.1803, -30.0352]],
    },
    "legs": [
        {
            "mode": "walk",
            "duration_s": 300.0,
            "distance_m": 400.0,
            "geometry": {"type": "LineString", "coordinates": [[-51.2301, -30.0277], [-51.2202, -30.0301]]},
            "steps": [
                {
                    "name": "Rua da Praia",
                    "turn": "depart",
                    "distance_m": 400.0,
                    "duration_s": 300.0,
                    "location": [-51.2301, -30.0277],
                }
            ],
            "co2e_g": 0.0,
        },
        {
            "mode": "transit",
            "route": {"id": "eptc:T1", "short_name": "T1", "long_name": "Transversal 1", "type": 3},
            "headsign": "Centro",
            "trip_id": "eptc:1234",
            "from_stop": {"id": "eptc:5", "name": "Parada Borges", "lat": -30.0301, "lon": -51.2202},
            "to_stop": {"id": "eptc:9", "name": "Parada Ipiranga", "lat": -30.0340, "lon": -51.1850},
            "intermediate_stops": [{"id": "eptc:7", "name": "Parada Sete", "lat": -30.032, "lon": -51.2}],
            "distance_m": 5000.0,
            "duration_s": 900.0,
            "co2e_g": 410.0,
        },
        {"mode": "walk", "duration_s": 200.0, "distance_m": 600.0, "co2e_g": 0.0},
    ],
}
FACTORS = {"pack": "desnz-2025", "version": "2025.1"}


def sample_option(**overrides: Any) -> dict[str, Any]:
    """A transit option shaped like one of /api/plan's (docs/api.md), with ``overrides`` applied."""
    option = copy.deepcopy(_OPTION)
    option.update(overrides)
    return option


def walk_option(distance_m: float = 1200.0, departure: str = "2026-11-18T18:00:00-03:00") -> dict[str, Any]:
    """A single-leg walking option."""
    return {
        "id": "walk",
        "mode": "walk",
        "duration_s": distance_m / 1.3,
        "distance_m": distance_m,
        "departure": departure,
        "co2e_g": 0.0,
        "geometry": {"type": "LineString", "coordinates": [[-51.23, -30.02], [-51.22, -30.03]]},
        "legs": [{"mode": "walk", "distance_m": distance_m, "duration_s": distance_m / 1.3, "co2e_g": 0.0}],
    }


class Person:
    """Someone using the log from their own browser (own cookie jar, own CSRF token)."""

    def __init__(self, app: Flask, *, origin: str = ORIGIN) -> None:
        self.client: FlaskClient = app.test_client()
        self.origin = origin
        self.csrf = self.client.get("/api/footprint/csrf").get_json()["csrf_token"]
        self.key: str | None = None

    def headers(self, **extra: str) -> dict[str, str]:
        out = {"Origin": self.origin, "X-CSRF-Token": self.csrf}
        out.update(extra)
        return out

    def get(self, path: str, **kw: Any) -> TestResponse:
        return self.client.get(path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any) -> TestResponse:
        return self.client.post(path, json=json, headers=self.headers(), **kw)

    def patch(self, path: str, json: Any = None) -> TestResponse:
        return self.client.patch(path, json=json, headers=self.headers())

    def delete(self, path: str) -> TestResponse:
        return self.client.delete(path, headers=self.headers())

    def turn_on(self) -> str:
        resp = self.post("/api/footprint")
        assert resp.status_code == 201, resp.get_json()
        self.key = resp.get_json()["key"]
        return self.key

    def log(self, option: dict[str, Any] | None = None, *, keep_places: bool | None = None) -> TestResponse:
        body: dict[str, Any] = {"option": option or sample_option(), "factors": FACTORS}
        if keep_places is not None:
            body["keep_places"] = keep_places
        return self.post("/api/footprint/trips", json=body)

    def log_ok(self, option: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        resp = self.log(option, **kw)
        assert resp.status_code == 201, resp.get_json()
        trip: dict[str, Any] = resp.get_json()["trip"]
        return trip

    def trips(self) -> list[dict[str, Any]]:
        resp = self.get("/api/footprint/trips")
        assert resp.status_code == 200, resp.get_json()
        trips: list[dict[str, Any]] = resp.get_json()["trips"]
        return trips

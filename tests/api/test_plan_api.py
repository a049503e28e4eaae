"""The /api/plan contract for street modes, /api/health, and the one JSON error shape."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

A = "-30.0277,-51.2287"
B = "-30.0346,-51.2177"


def test_plan_answers_every_street_mode_with_the_documented_shape(poa_client: FlaskClient) -> None:
    r = poa_client.get(f"/api/plan?from={A}&to={B}&modes=walk,bike,drive")
    assert r.status_code == 200
    body = r.get_json()
    assert [o["mode"] for o in body["options"]] == ["walk", "bike", "drive"]
    for o in body["options"]:
        for key in (
            "duration_s",
            "distance_m",
            "elevation_gain_m",
            "geometry",
            "legs",
            "departure",
            "arrival",
            "co2e_g",
            "factor",
        ):
            assert key in o, key
        assert o["duration_s"] > 0 and o["distance_m"] > 500
        assert o["geometry"]["type"] == "LineString" and len(o["geometry"]["coordinates"]) >= 2
        leg = o["legs"][0]
        assert leg["steps"][0]["turn"] == "depart" and leg["steps"][-1]["turn"] == "arrive"
        assert len(leg["elevation"]) == len(leg["geometry"]["coordinates"])
        lon, lat = o["geometry"]["coordinates"][0]
        assert abs(lat - -30.0277) < 0.005 and abs(lon - -51.2287) < 0.005
    walk, bike, drive = body["options"]
    assert walk["duration_s"] > bike["duration_s"]
    assert drive["co2e_g"] > 0 and walk["co2e_g"] == 0
    assert body["data"]["city"] == "porto-alegre"
    assert len(body["data"]["osm"]["sha256"]) == 64
    assert body["data"]["factors"]["pack"] == "desnz-2025"
    assert body["request"]["from"] == [-30.0277, -51.2287]


def test_health_names_the_city_and_data_versions(poa_client: FlaskClient) -> None:
    body = poa_client.get("/api/health").get_json()
    assert body["city"] == "porto-alegre" and body["timezone"] == "America/Sao_Paulo"
    assert body["data"]["osm"]["file"] == "porto-alegre.osm.pbf"
    s, w, n, e = body["bbox"]
    assert s < -30.0277 < n and w < -51.2287 < e


@pytest.mark.parametrize(
    ("query", "status", "code", "argument"),
    [
        ("from=abc&to=" + B, 400, "invalid_coordinates", "from"),
        ("to=" + B, 400, "invalid_coordinates", "from"),
        ("from=" + A + "&to=nan,nan", 400, "invalid_coordinates", "to"),
        ("from=" + A + "&to=1e308,1", 400, "invalid_coordinates", "to"),
        ("from=-29.0,-51.2&to=" + B, 422, "outside_area", "from"),
        ("from=" + A + "&to=" + A, 422, "same_origin_destination", "to"),
        ("from=" + A + "&to=" + B + "&modes=teleport", 400, "invalid_parameter", "modes"),
        ("from=" + A + "&to=" + B + "&occupancy=12", 400, "invalid_parameter", "occupancy"),
        ("from=" + A + "&to=" + B + "&at=yesterday", 400, "invalid_parameter", "at"),
        ("from=" + A + "&to=" + B + "&at=0001-01-01T00:00", 400, "invalid_parameter", "at"),
        ("from=" + A + "&to=" + B + "&from=" + A, 400, "invalid_parameter", "from"),
        ("from=" + A + "&to=" + B + "&colour=green", 400, "invalid_parameter", "colour"),
    ],
)
def test_bad_input_gets_a_specific_4xx(
    poa_client: FlaskClient, query: str, status: int, code: str, argument: str
) -> None:
    r = poa_client.get("/api/plan?" + query)
    assert r.status_code == status
    body = r.get_json()
    assert body["error"] == code and body["argument"] == argument
    assert len(body["message"]) > 10


def test_unknown_api_path_has_the_json_error_shape(poa_client: FlaskClient) -> None:
    r = poa_client.get("/api/nothing-here")
    assert r.status_code == 404
    assert set(r.get_json()) >= {"error", "message"}

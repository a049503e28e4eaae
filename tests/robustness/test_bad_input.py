"""Hand-written bad input: each gets its 4xx, its error code and a message, never a 5xx."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

A = "-30.0277,-51.2287"  # Porto Alegre, Centro Histórico
B = "-30.0346,-51.2177"
GUAIBA = "-30.03,-51.26"  # in the Guaíba lake, west of the city
TEN_MB = 10 * 1024 * 1024


def _error(resp: TestResponse, status: int, code: str, argument: str | None = None) -> dict[str, str]:
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["error"] == code, body
    assert isinstance(body["message"], str) and len(body["message"]) > 10
    if argument is not None:
        assert body.get("argument") == argument, body
    return body


@pytest.mark.parametrize(
    ("point", "why"),
    [
        ("nan,nan", "finite"),
        ("-30.03,nan", "finite"),
        ("inf,-51.22", "finite"),
        ("-inf,-51.22", "finite"),
        ("-30.03,1e400", "finite"),  # overflows to inf
        ("1e308,1e308", "latitude"),
        ("-91,-51.22", "latitude"),
        ("-30.03,181", "latitude"),
        ("99999999999999999999999999,0", "latitude"),
    ],
)
def test_nan_inf_and_huge_coordinates(client: FlaskClient, point: str, why: str) -> None:
    body = _error(client.get(f"/api/plan?from={point}&to={B}"), 400, "invalid_coordinates", "from")
    assert why in body["message"]
    _error(client.get(f"/api/plan?from={A}&to={point}"), 400, "invalid_coordinates", "to")


@pytest.mark.parametrize("text", ["", "-30.03", "-30.03,-51.22,4", "a,b", "-30.03;-51.22", "0x1p-2,3"])
def test_malformed_coordinates(client: FlaskClient, text: str) -> None:
    _error(client.get(f"/api/plan?from={text}&to={B}"), 400, "invalid_coordinates", "from")


def test_reverse_rejects_nan_and_out_of_range(client: FlaskClient) -> None:
    _error(client.get("/api/reverse?lat=nan&lon=-51.2"), 400, "invalid_coordinates", "lat")
    _error(client.get("/api/reverse?lat=-30&lon=inf"), 400, "invalid_coordinates", "lon")
    _error(client.get("/api/reverse?lat=1e999&lon=0"), 400, "invalid_coordinates", "lat")


def test_point_at_sea(client: FlaskClient) -> None:
    body = _error(client.get(f"/api/plan?from={GUAIBA}&to={B}"), 422, "outside_area", "from")
    assert "street" in body["message"]
    _error(client.get(f"/api/plan?from={A}&to={GUAIBA}"), 422, "outside_area", "to")
    _error(client.get("/api/plan?from=0,0&to=" + B), 422, "outside_area", "from")  # Gulf of Guinea


def test_same_point_twice(client: FlaskClient) -> None:
    _error(client.get(f"/api/plan?from={A}&to={A}"), 422, "same_origin_destination")


@pytest.mark.parametrize("at", ["0001-01-01T08:00", "9999-12-31T23:59", "1899-12-31T12:00", "2201-01-01T00:00"])
def test_dates_out_of_range(client: FlaskClient, at: str) -> None:
    body = _error(client.get(f"/api/plan?from={A}&to={B}&at={at}"), 400, "invalid_parameter", "at")
    assert "year" in body["message"]


@pytest.mark.parametrize(
    "at", ["2026-13-45T25:61", "tomorrow", "2026-11-23T08:00%2B99:00", "2026-02-30T08:00", "08:00", "%00"]
)
def test_malformed_iso_times(client: FlaskClient, at: str) -> None:
    body = _error(client.get(f"/api/plan?from={A}&to={B}&at={at}"), 400, "invalid_parameter", "at")
    assert "ISO-8601" in body["message"]


@pytest.mark.parametrize("modes", ["teleport", "walk,teleport", "WALK,hovercraft", "walk;bike"])
def test_unknown_modes(client: FlaskClient, modes: str) -> None:
    body = _error(client.get(f"/api/plan?from={A}&to={B}&modes={modes}"), 400, "invalid_parameter", "modes")
    assert "choose among" in body["message"]


def test_unknown_isochrone_mode(client: FlaskClient) -> None:
    resp = client.get(f"/api/isochrone?from={A}&mode=teleport&minutes=10")
    _error(resp, 400, "invalid_parameter", "mode")


def test_thousands_of_repeated_parameters(client: FlaskClient) -> None:
    query = "&".join([f"from={A}"] * 5000) + f"&to={B}"
    body = _error(client.get("/api/plan?" + query), 400, "invalid_parameter", "from")
    assert "5000 times" in body["message"]


def test_thousands_of_unknown_parameters(client: FlaskClient) -> None:
    query = f"from={A}&to={B}&" + "&".join(f"p{i}=1" for i in range(3000))
    body = _error(client.get("/api/plan?" + query), 400, "invalid_parameter")
    assert "unknown parameter" in body["message"]


def test_very_long_parameter(client: FlaskClient) -> None:
    _error(client.get(f"/api/plan?from={A}&to={B}&car=" + "x" * 100_000), 400, "invalid_parameter", "car")
    _error(client.get("/api/geocode?q=" + "x" * 100_000), 400, "invalid_parameter", "q")


@pytest.mark.parametrize(
    "path", ["/api/footprint/trips", "/api/footprint/import", "/api/footprint/device", "/api/footprint/trips/x"]
)
def test_ten_megabyte_bodies(log_client: tuple[FlaskClient, dict[str, str]], path: str) -> None:
    client, headers = log_client
    body = b'{"option": "' + b"x" * TEN_MB + b'"}'
    method = client.patch if path.endswith("/x") else client.post
    resp = method(path, data=body, headers={**headers, "Content-Type": "application/json"})
    _error(resp, 413, "import_too_large" if path.endswith("import") else "request_entity_too_large")


def test_ten_megabyte_body_to_a_get_endpoint(client: FlaskClient) -> None:
    _error(client.post(f"/api/plan?from={A}&to={B}", data=b"x" * TEN_MB), 405, "method_not_allowed")


def test_non_utf8_bytes_in_the_query_string(client: FlaskClient) -> None:
    # Raw bytes (WSGI carries them as latin-1 characters): refused before any view reads them.
    for path, raw in [
        ("/api/plan", f"from=\xff\xfe,\x80&to={B}"),
        ("/api/plan", f"from={A}&to={B}&at=2026-11-23T08:00\xc3\x28"),
        ("/api/plan", f"from={A}&to={B}&modes=w\xe9lk"),
        ("/api/reverse", "lat=\xff&lon=1"),
        ("/api/geocode", "q=\xe9glise"),
        ("/api/footprint/trips", "limit=\xff"),
    ]:
        body = _error(client.get(path, environ_overrides={"QUERY_STRING": raw}), 400, "invalid_encoding")
        assert "UTF-8" in body["message"]
    # Percent-encoded, they decode (to U+FFFD) and the parameter is refused by name.
    _error(client.get(f"/api/plan?from=%ff%fe,%80&to={B}"), 400, "invalid_coordinates", "from")
    _error(client.get(f"/api/plan?from={A}&to={B}&modes=w%e9lk"), 400, "invalid_parameter", "modes")


def test_non_utf8_bytes_in_the_path(client: FlaskClient) -> None:
    _error(client.get("/api/basemap/%ff%fe.geojson"), 404, "unknown_layer", "name")


@pytest.mark.parametrize("path", ["/api/footprint/trips", "/api/footprint/device", "/api/footprint/import"])
def test_non_utf8_bytes_in_bodies(log_client: tuple[FlaskClient, dict[str, str]], path: str) -> None:
    client, headers = log_client
    for raw in (b'{"option": "\xff\xfe\x80"}', b"\xff\xfe\x00{", b"\xc3\x28"):
        resp = client.post(path, data=raw, headers={**headers, "Content-Type": "application/json"})
        _error(resp, 400, "invalid_json")


def test_json_body_that_is_not_an_object(log_client: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = log_client
    for raw in ("[]", "null", "1e999", '"text"', json.dumps({"option": []})):
        resp = client.post("/api/footprint/trips", data=raw, headers={**headers, "Content-Type": "application/json"})
        assert resp.status_code == 400, (raw, resp.get_json())
        assert resp.get_json()["error"] in ("invalid_json", "invalid_field")


def test_deeply_nested_json(log_client: tuple[FlaskClient, dict[str, str]]) -> None:
    client, headers = log_client
    raw = "[" * 100_000 + "]" * 100_000
    for path in ("/api/footprint/trips", "/api/footprint/import"):
        resp = client.post(path, data=raw, headers={**headers, "Content-Type": "application/json"})
        _error(resp, 400, "invalid_json")

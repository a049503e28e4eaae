"""``/api/geocode``, ``/api/reverse`` and ``/api/basemap`` over HTTP (Flask test client)."""

from __future__ import annotations

import gzip
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient


@pytest.fixture()
def client(places_app: Flask) -> FlaskClient:
    return places_app.test_client()


def test_geocode(client: FlaskClient) -> None:
    resp = client.get("/api/geocode?q=av%20ipirnga&near=-30.03,-51.22&limit=5")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["results"][0]["name"] == "Avenida Ipiranga"
    assert len(body["results"]) <= 5


def test_geocode_empty_query_is_an_empty_list(client: FlaskClient) -> None:
    resp = client.get("/api/geocode?q=")
    assert resp.status_code == 200
    assert resp.get_json()["results"] == []


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("", "q"),
        ("?q=" + "a" * 201, "q"),
        ("?q=rua&limit=abc", "limit"),
        ("?q=rua&limit=0", "limit"),
        ("?q=rua&limit=999", "limit"),
        ("?q=rua&near=abc", "near"),
        ("?q=rua&near=1,2,3", "near"),
        ("?q=rua&near=95,0", "near"),
        ("?q=rua&near=nan,0", "near"),
    ],
)
def test_geocode_bad_input(client: FlaskClient, query: str, argument: str) -> None:
    resp = client.get("/api/geocode" + query)
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["argument"] == argument
    assert body["error"] and body["message"]


def test_reverse(client: FlaskClient) -> None:
    resp = client.get("/api/reverse?lat=-30.03279&lon=-51.23799")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["name"] == "Rua dos Andradas"
    assert body["distance_m"] < 15


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("", "lat"),
        ("?lat=-30", "lon"),
        ("?lat=abc&lon=-51", "lat"),
        ("?lat=-30&lon=", "lon"),
        ("?lat=100&lon=-51", "lat"),
        ("?lat=-30&lon=200", "lon"),
        ("?lat=nan&lon=-51", "lat"),
        ("?lat=-30&lon=inf", "lon"),
    ],
)
def test_reverse_bad_input(client: FlaskClient, query: str, argument: str) -> None:
    resp = client.get("/api/reverse" + query)
    assert resp.status_code == 400
    assert resp.get_json()["argument"] == argument


def test_reverse_far_away_is_404(client: FlaskClient) -> None:
    resp = client.get("/api/reverse?lat=48.85&lon=2.35")
    assert resp.status_code == 404
    assert resp.get_json()["error"] == "nothing_near"


def test_basemap_index_and_layers(client: FlaskClient) -> None:
    index = client.get("/api/basemap").get_json()
    assert index["attribution"] == "© OpenStreetMap contributors"
    assert len(index["bbox"]) == 4
    for layer in index["layers"]:
        plain = client.get(layer["url"])
        assert plain.status_code == 200
        assert plain.mimetype == "application/geo+json"
        assert "Content-Encoding" not in plain.headers
        data = json.loads(plain.get_data())
        assert data["features"][0]["properties"]["layer"] == layer["name"]
        zipped = client.get(layer["url"], headers={"Accept-Encoding": "gzip, br"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.get_data()) == plain.get_data()


def test_basemap_labels(client: FlaskClient) -> None:
    index = client.get("/api/basemap").get_json()
    plain = client.get(index["labels"]["url"])
    assert plain.status_code == 200
    assert plain.mimetype == "application/json"
    data = json.loads(plain.get_data())
    assert data["fields"] == ["name", "kind", "lon", "lat", "minzoom", "angle"]
    assert len(data["labels"]) == index["labels"]["count"] > 100
    assert any(row[0] == "Rua dos Andradas" and row[1] == "street" for row in data["labels"])


def test_basemap_unknown_layer(client: FlaskClient) -> None:
    for name in ["nope", "..%2Findex", "index"]:
        resp = client.get(f"/api/basemap/{name}.geojson")
        assert resp.status_code == 404
        assert resp.get_json()["error"] in {"unknown_layer", "not_found"}

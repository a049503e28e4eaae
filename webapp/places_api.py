"""Geocoding and base-map endpoints: ``/api/geocode``, ``/api/reverse``, ``/api/basemap``.

All answers come from files compiled with the city (``places/``, ``basemap/``); nothing here calls
a third-party service.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, request, send_file, url_for

from routing.places import PlaceIndex
from routing.places.normalize import MAX_QUERY_CHARS
from webapp.basemap_tiles import MAX_TILE_ZOOM, TileArchive
from webapp.errors import ApiError
from webapp.runtime import current_city

bp = Blueprint("places_api", __name__, url_prefix="/api")

MAX_LIMIT = 20
_LAYER_CACHE_S = 3600


def _places() -> PlaceIndex:
    return current_city().cached("places", lambda folder: PlaceIndex.load(folder / "places"))


def _basemap_index() -> dict[str, Any]:
    def load(folder: Path) -> dict[str, Any]:
        path = folder / "basemap" / "index.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ApiError(503, "no_basemap", "this city was built without a base map: rebuild it") from exc
        return data

    return current_city().cached("basemap", load)


def _float_arg(name: str, *, low: float, high: float) -> float:
    text = request.args.get(name)
    if text is None or not text.strip():
        raise ApiError(400, "missing_parameter", f"{name} is required", argument=name)
    try:
        value = float(text)
    except ValueError:
        raise ApiError(
            400, "invalid_coordinates", f"{name} must be a number, not {text[:40]!r}", argument=name
        ) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ApiError(
            400,
            "invalid_coordinates",
            f"{name} must be a number between {low:g} and {high:g}",
            argument=name,
        )
    return value


def _near_arg() -> tuple[float, float] | None:
    text = request.args.get("near")
    if not text:
        return None
    parts = text.split(",")
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        raise ApiError(
            400, "invalid_coordinates", "near must be LAT,LON, e.g. -30.03,-51.22", argument="near"
        ) from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ApiError(400, "invalid_coordinates", "near must be a valid LAT,LON", argument="near")
    return lat, lon


def _limit_arg() -> int:
    text = request.args.get("limit", "8")
    try:
        limit = int(text)
    except ValueError:
        raise ApiError(
            400,
            "invalid_parameter",
            f"limit must be a whole number, not {text[:20]!r}",
            argument="limit",
        ) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "invalid_parameter", f"limit must be between 1 and {MAX_LIMIT}", argument="limit")
    return limit


@bp.get("/geocode")
def geocode() -> Response:
    """Search streets, places, addresses and stops: ``?q=TEXT[&near=LAT,LON&limit=N]``."""
    q = request.args.get("q")
    if q is None:
        raise ApiError(400, "missing_parameter", "q (the text to search for) is required", argument="q")
    if len(q) > MAX_QUERY_CHARS:
        raise ApiError(
            400,
            "invalid_parameter",
            f"q is too long: at most {MAX_QUERY_CHARS} characters",
            argument="q",
        )
    results = _places().search(q, limit=_limit_arg(), near=_near_arg())
    return jsonify({"query": q, "results": results})


@bp.get("/reverse")
def reverse() -> Response:
    """The street or place nearest a point: ``?lat=..&lon=..``."""
    lat = _float_arg("lat", low=-90, high=90)
    lon = _float_arg("lon", low=-180, high=180)
    return jsonify(_places().reverse(lat, lon))


@bp.get("/basemap")
def basemap() -> Response:
    """The base-map layers of the city, in drawing order, with their URLs and sizes."""
    index = _basemap_index()
    layers = [
        {**layer, "url": url_for("places_api.basemap_layer", name=layer["name"])} for layer in index.get("layers", [])
    ]
    answer = {**index, "layers": layers}
    if "tiles" in index:
        template = url_for("places_api.basemap_tile", z=0, x=0, y=0).replace("/0/0/0.", "/{z}/{x}/{y}.")
        answer["tiles"] = {**index["tiles"], "url": template}
    if "labels" in index:
        answer["labels"] = {**index["labels"], "url": url_for("places_api.basemap_labels")}
    return jsonify(answer)


def _send_compiled(path: Path, *, mimetype: str) -> Response:
    """A compiled base-map file, its gzip twin sent instead when the client accepts gzip."""
    gz = path.with_name(path.name + ".gz")
    if "gzip" in request.headers.get("Accept-Encoding", "") and gz.is_file():
        resp = send_file(gz, mimetype=mimetype, conditional=True, max_age=_LAYER_CACHE_S)
        resp.headers["Content-Encoding"] = "gzip"
    else:
        resp = send_file(path, mimetype=mimetype, conditional=True, max_age=_LAYER_CACHE_S)
    resp.headers["Vary"] = "Accept-Encoding"
    return resp


@bp.get("/basemap/labels.json")
def basemap_labels() -> Response:
    """The map's names (places, stations, water, parks, streets) as compact rows; see ``fields``."""
    if "labels" not in _basemap_index():
        raise ApiError(503, "no_basemap", "this city's base map has no labels: rebuild it")
    # Sent as it is (not the precompressed twin): a JSON client that does not undo gzip still reads it.
    path = current_city().folder / "basemap" / "labels.json"
    return send_file(path, mimetype="application/json", conditional=True, max_age=_LAYER_CACHE_S)


def _tile_archive() -> TileArchive:
    tiles = _basemap_index().get("tiles")
    if not tiles:
        raise ApiError(503, "no_basemap", "this city's base map has no vector tiles: rebuild it")
    return current_city().cached("basemap_tiles", lambda folder: TileArchive(folder / "basemap" / tiles["file"]))


@bp.get("/basemap/tiles/<int:z>/<int:x>/<int:y>.mvt")
def basemap_tile(z: int, x: int, y: int) -> Response:
    """One vector tile (MVT) of the base map; 204 where the map has nothing to draw."""
    if z > MAX_TILE_ZOOM:
        raise ApiError(404, "unknown_tile", f"no tile at zoom {z}; see /api/basemap", argument="z")
    gzip_ok = "gzip" in request.headers.get("Accept-Encoding", "")
    archive = _tile_archive()
    data = archive.tile(z, x, y, gzip_ok=gzip_ok)
    resp = Response(data or b"", status=200 if data else 204, mimetype="application/vnd.mapbox-vector-tile")
    if data and gzip_ok and archive.gzipped:
        resp.headers["Content-Encoding"] = "gzip"
    resp.headers["Vary"] = "Accept-Encoding"
    resp.cache_control.public = True
    resp.cache_control.max_age = _LAYER_CACHE_S
    return resp


@bp.get("/basemap/<name>.geojson")
def basemap_layer(name: str) -> Response:
    """One base-map layer as GeoJSON (gzip-encoded when the client accepts it)."""
    known = {layer["name"] for layer in _basemap_index().get("layers", [])}
    if name not in known:
        raise ApiError(
            404,
            "unknown_layer",
            f"no base-map layer {name[:40]!r}; see /api/basemap",
            argument="name",
        )
    return _send_compiled(current_city().folder / "basemap" / f"{name}.geojson", mimetype="application/geo+json")

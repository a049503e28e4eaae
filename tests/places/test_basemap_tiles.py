"""The base map's vector tiles: the MVT encoding against the specification's own examples, the
PMTiles archive of Porto Alegre decoded back to its GeoJSON layers, and ``/api/basemap/tiles``."""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest
import shapely
from flask import Flask
from flask.testing import FlaskClient
from pmtiles.reader import MmapSource, Reader, all_tiles

from routing.build.mvt import EXTENT, encode_layer
from routing.core.report import BuildReport
from tests.places import mvt_reading as mvt

Built = Callable[[str], tuple[Path, BuildReport]]


def _geometry_of(tile: bytes) -> list[int]:
    return mvt.decode(tile)["x"]["features"][0][1]


def test_the_specification_examples() -> None:
    """The geometry integers of the MVT 2.1 specification's examples (section 4.3.5)."""
    assert _geometry_of(encode_layer("x", lines=[[(2, 2), (2, 10), (10, 10)]])) == [9, 4, 4, 18, 0, 16, 16, 0]
    assert _geometry_of(encode_layer("x", lines=[[(2, 2), (2, 10), (10, 10)], [(1, 1), (3, 5)]])) == [
        9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8,
    ]  # fmt: skip
    assert _geometry_of(encode_layer("x", rings=[[(3, 6), (8, 12), (20, 34), (3, 6)]])) == [
        9, 6, 12, 18, 10, 12, 24, 44, 15,
    ]  # fmt: skip
    layer = mvt.decode(encode_layer("water-areas", rings=[[(0, 0), (0, 5), (5, 5), (0, 0)]]))["water-areas"]
    assert (layer["extent"], layer["version"], layer["features"][0][0]) == (EXTENT, 2, 3)


def test_nothing_to_draw_is_no_layer() -> None:
    assert encode_layer("x", lines=[[(1, 1), (1, 1)]]) == b""
    assert encode_layer("x", rings=[[(1, 1), (2, 2), (1, 1)]]) == b""
    with pytest.raises(ValueError):
        encode_layer("x", lines=[[(0, 0), (1, 1)]], rings=[[(0, 0), (0, 1), (1, 1)]])


def test_porto_alegre_tiles_hold_the_geojson_layers(built: Built) -> None:
    out, report = built("porto-alegre")
    folder = out / "basemap"
    index = json.loads((folder / "index.json").read_text())
    summary = index["tiles"]
    with (folder / summary["file"]).open("rb") as f:
        header = Reader(MmapSource(f)).header()
        tiles = list(all_tiles(MmapSource(f)))
    assert (header["min_zoom"], header["max_zoom"]) == (summary["minzoom"], summary["maxzoom"]) == (9, 15)
    assert len(tiles) == summary["count"] == report.counts["basemap_tiles"]
    south, west, north, east = index["bbox"]
    assert header["min_lon_e7"] == round(west * 1e7) and header["max_lat_e7"] == round(north * 1e7)
    zooms = {z for (z, _, _), _ in tiles}
    assert zooms == set(range(9, 16))
    minzoom = {layer["name"]: layer["minzoom"] for layer in index["layers"]}
    sources = {
        name: shapely.geometry.shape(json.loads((folder / f"{name}.geojson").read_text())["features"][0]["geometry"])
        for name in minzoom
    }
    seen: set[str] = set()
    worst_m = 0.0
    for (z, x, y), data in tiles:
        for name, layer in mvt.decode(gzip.decompress(data)).items():
            # Paths only close up, as the GeoJSON layers (tile zoom z is drawn at 256 px zoom z + 1).
            assert z >= minzoom[name] - 1, (name, z)
            seen.add(name)
            kind, geometry = layer["features"][0]
            paths = mvt.paths(geometry)
            if kind == 3:
                exterior = paths[0]
                area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(exterior, exterior[1:], strict=False))
                assert area > 0, "an exterior ring winds the MVT way (positive area, y down)"
            if z == 15:
                # Every vertex inside the tile lies on its layer's GeoJSON geometry (within a metre).
                points = [
                    mvt.lonlat(z, x, y, px, py)
                    for path in paths
                    for px, py in path
                    if 0 <= px <= EXTENT and 0 <= py <= EXTENT
                ]
                if points:
                    far = shapely.distance(sources[name], shapely.points(points)).max()
                    worst_m = max(worst_m, float(far) * 111_320)
    assert seen == set(minzoom)
    assert worst_m < 1.0, worst_m


def test_tiles_are_deterministic(built: Built, tmp_path: Path) -> None:
    from routing.build.basemap import build_basemap
    from routing.core.city import load_city

    out, _ = built("porto-alegre")
    build_basemap(load_city("porto-alegre"), tmp_path, report=BuildReport("porto-alegre"))
    assert (tmp_path / "basemap" / "tiles.pmtiles").read_bytes() == (out / "basemap" / "tiles.pmtiles").read_bytes()


@pytest.fixture()
def client(places_app: Flask) -> FlaskClient:
    return places_app.test_client()


def test_tile_endpoint(client: FlaskClient) -> None:
    index = client.get("/api/basemap").get_json()
    template = index["tiles"]["url"]
    assert template == "/api/basemap/tiles/{z}/{x}/{y}.mvt"
    # The tile of the city centre (Praça da Matriz, -30.0335, -51.2300) at zoom 14.
    n = 2**14
    x = int((-51.2300 + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(-30.0335))) / math.pi) / 2 * n)
    url = template.format(z=14, x=x, y=y)
    plain = client.get(url)
    assert plain.status_code == 200 and plain.mimetype == "application/vnd.mapbox-vector-tile"
    assert "Content-Encoding" not in plain.headers
    assert {"streets-major", "streets-minor"} <= set(mvt.decode(plain.get_data()))
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    for empty in ("/api/basemap/tiles/14/0/0.mvt", "/api/basemap/tiles/8/0/0.mvt", "/api/basemap/tiles/3/99/1.mvt"):
        resp = client.get(empty)
        assert resp.status_code == 204 and resp.get_data() == b""


BAD_TILES = ["31/0/0", "a/0/0", "-1/0/0", "99999999999999999999/0/0"]


@pytest.mark.parametrize("path", [f"/api/basemap/tiles/{t}.mvt" for t in BAD_TILES])
def test_bad_tile_paths_are_json_404s(client: FlaskClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 404
    assert resp.is_json and resp.get_json()["error"] in {"unknown_tile", "not_found"}

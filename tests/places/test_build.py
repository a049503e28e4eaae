"""Build outputs: determinism, counts in the report, base-map layers and sizes."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from routing.build.basemap import build_basemap
from routing.core.city import city_from_toml, load_city
from routing.core.errors import BuildError
from routing.core.report import BuildReport
from routing.places.build import build_places

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

Built = Callable[[str], tuple[Path, BuildReport]]


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_deterministic(built: Built, tmp_path: Path) -> None:
    out, _ = built("beatty")
    city = load_city("beatty", seeds=SEEDS)
    build_places(city, tmp_path, report=BuildReport("beatty"))
    build_basemap(city, tmp_path, report=BuildReport("beatty"))
    assert _digests(tmp_path / "places") == _digests(out / "places")
    assert _digests(tmp_path / "basemap") == _digests(out / "basemap")


def test_report_counts(built: Built) -> None:
    _, report = built("porto-alegre")
    assert report.counts["places_streets"] > 1000
    assert report.counts["places_stops"] > 1000
    assert report.counts["places_places"] > 50
    assert report.counts["basemap_bytes"] > 0
    assert report.counts["basemap_labels"] > 1000  # street names: the extract has no place nodes
    # Small enough to serve quickly: the whole map of the extract under 0.5 MB gzipped.
    assert report.counts["basemap_gzip_bytes"] < 500_000


def test_basemap_layers(built: Built) -> None:
    out, _ = built("porto-alegre")
    index = json.loads((out / "basemap" / "index.json").read_text())
    names = [layer["name"] for layer in index["layers"]]
    assert {"streets-major", "streets-minor", "paths", "rail"} <= set(names)
    south, west, north, east = index["bbox"]
    assert south < -30.03 < north and west < -51.22 < east
    for layer in index["layers"]:
        raw = (out / "basemap" / f"{layer['name']}.geojson").read_bytes()
        assert gzip.decompress((out / "basemap" / f"{layer['name']}.geojson.gz").read_bytes()) == raw
        data = json.loads(raw)
        geometry = data["features"][0]["geometry"]
        for part in geometry["coordinates"]:
            points = part if layer["kind"] == "line" else part[0]
            for lon, lat in points:
                assert west - 0.05 <= lon <= east + 0.05 and south - 0.05 <= lat <= north + 0.05
                assert round(lon, 5) == lon and round(lat, 5) == lat


def test_not_osm(tmp_path: Path) -> None:
    (tmp_path / "bad.osm").write_text("this is not xml")
    (tmp_path / "city.toml").write_text('name = "bad"\ntimezone = "UTC"\n[files]\nosm = "bad.osm"\n', encoding="utf-8")
    city = city_from_toml(tmp_path / "city.toml")
    with pytest.raises(BuildError):
        build_places(city, tmp_path / "out", report=BuildReport("bad"))
    with pytest.raises(BuildError):
        build_basemap(city, tmp_path / "out", report=BuildReport("bad"))

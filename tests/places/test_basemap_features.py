"""The base map from a tiny inline OSM file: water (a multipolygon relation), a river, parks, rail and
names, in the GeoJSON layers and in the vector tiles the page draws."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path
from typing import Any

import pytest
import shapely
from pmtiles.reader import MmapSource, all_tiles

from routing.build.basemap import build_basemap
from routing.build.basemap_tiles import TILES_FILE, TileLayer, write_tiles
from routing.core.city import city_from_toml
from routing.core.report import BuildReport
from tests.places import mvt_reading as mvt

# A lake made of two open ways joined only by its multipolygon relation (what a large water body
# such as the Guaíba is in OSM), a closed-way park, a railway, a river, a 3.9 km east-west avenue, a
# short unnamed street, another north of the lake (the tiles cover the extent of the map's lines,
# so that the lake and the park lie inside it), a suburb node and a station node.
OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="inline">
 <node id="1" version="1" lat="-30.000" lon="-51.300"/>
 <node id="2" version="1" lat="-30.000" lon="-51.280"/>
 <node id="3" version="1" lat="-30.020" lon="-51.280"/>
 <node id="4" version="1" lat="-30.020" lon="-51.300"/>
 <node id="11" version="1" lat="-30.030" lon="-51.260"/>
 <node id="12" version="1" lat="-30.030" lon="-51.255"/>
 <node id="13" version="1" lat="-30.035" lon="-51.255"/>
 <node id="14" version="1" lat="-30.035" lon="-51.260"/>
 <node id="21" version="1" lat="-30.040" lon="-51.300"/>
 <node id="22" version="1" lat="-30.040" lon="-51.260"/>
 <node id="31" version="1" lat="-30.050" lon="-51.300"/>
 <node id="32" version="1" lat="-30.045" lon="-51.270"/>
 <node id="41" version="1" lat="-30.041" lon="-51.290"/>
 <node id="42" version="1" lat="-30.042" lon="-51.290"/>
 <node id="61" version="1" lat="-30.060" lon="-51.300"/>
 <node id="62" version="1" lat="-30.056" lon="-51.280"/>
 <node id="63" version="1" lat="-30.058" lon="-51.262"/>
 <node id="71" version="1" lat="-29.998" lon="-51.300"/>
 <node id="72" version="1" lat="-29.998" lon="-51.260"/>
 <node id="51" version="1" lat="-30.025" lon="-51.270">
  <tag k="place" v="suburb"/><tag k="name" v="Bairro Teste"/></node>
 <node id="52" version="1" lat="-30.046" lon="-51.275">
  <tag k="railway" v="station"/><tag k="name" v="Estação Teste"/></node>
 <way id="101" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/></way>
 <way id="102" version="1"><nd ref="3"/><nd ref="4"/><nd ref="1"/></way>
 <relation id="201" version="1">
  <member type="way" ref="101" role="outer"/><member type="way" ref="102" role="outer"/>
  <tag k="type" v="multipolygon"/><tag k="natural" v="water"/><tag k="water" v="lake"/><tag k="name" v="Lago Teste"/>
 </relation>
 <way id="103" version="1"><nd ref="11"/><nd ref="12"/><nd ref="13"/><nd ref="14"/><nd ref="11"/>
  <tag k="leisure" v="park"/><tag k="name" v="Parque Teste"/></way>
 <way id="104" version="1"><nd ref="21"/><nd ref="22"/>
  <tag k="highway" v="primary"/><tag k="name" v="Avenida Teste"/></way>
 <way id="105" version="1"><nd ref="31"/><nd ref="32"/><tag k="railway" v="rail"/></way>
 <way id="106" version="1"><nd ref="41"/><nd ref="42"/><tag k="highway" v="residential"/></way>
 <way id="107" version="1"><nd ref="61"/><nd ref="62"/><nd ref="63"/>
  <tag k="waterway" v="river"/><tag k="name" v="Rio Teste"/></way>
 <way id="108" version="1"><nd ref="71"/><nd ref="72"/><tag k="highway" v="residential"/></way>
</osm>
"""


CITY_TOML = 'name = "tiny"\ntimezone = "UTC"\n[files]\nosm = "tiny.osm"\n'


def _build(folder: Path, report: BuildReport) -> Path:
    (folder / "tiny.osm").write_text(OSM, encoding="utf-8")
    (folder / "city.toml").write_text(CITY_TOML, encoding="utf-8")
    build_basemap(city_from_toml(folder / "city.toml"), folder / "out", report=report)
    return folder / "out" / "basemap"


@pytest.fixture(scope="module")
def basemap(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    report = BuildReport("tiny")
    return _build(tmp_path_factory.mktemp("tiny-map"), report), report


def _geometry(folder: Path, layer: str) -> Any:
    data = json.loads((folder / f"{layer}.geojson").read_text())
    return shapely.geometry.shape(data["features"][0]["geometry"])


def _labels(folder: Path) -> list[dict[str, Any]]:
    data = json.loads((folder / "labels.json").read_text())
    return [dict(zip(data["fields"], row, strict=True)) for row in data["labels"]]


def test_layers_and_zooms(basemap: tuple[Path, BuildReport]) -> None:
    folder, report = basemap
    index = json.loads((folder / "index.json").read_text())
    layers = {layer["name"]: layer for layer in index["layers"]}
    assert set(layers) == {"water-areas", "waterways", "parks", "rail", "streets-major", "streets-minor"}
    assert layers["streets-minor"]["minzoom"] > layers["streets-major"]["minzoom"]
    assert index["labels"]["count"] == report.counts["basemap_labels"] == len(_labels(folder))


def test_water_from_a_multipolygon_relation(basemap: tuple[Path, BuildReport]) -> None:
    folder, _ = basemap
    water = _geometry(folder, "water-areas")
    assert water.contains(shapely.Point(-51.29, -30.01))
    assert not water.contains(shapely.Point(-51.29, -30.03))
    # The whole 0.02° square, not a sliver of it: compared with the square itself.
    assert water.area == pytest.approx(0.02 * 0.02, rel=1e-6)


def test_park_and_rail(basemap: tuple[Path, BuildReport]) -> None:
    folder, _ = basemap
    park = _geometry(folder, "parks")
    assert park.contains(shapely.Point(-51.2575, -30.0325))
    assert not park.intersects(_geometry(folder, "water-areas"))
    rail = _geometry(folder, "rail")
    assert rail.distance(shapely.Point(-51.285, -30.0475)) < 1e-4
    river = _geometry(folder, "waterways")
    assert river.distance(shapely.Point(-51.280, -30.056)) < 1e-6 and river.length == pytest.approx(
        math.dist((-51.300, -30.060), (-51.280, -30.056)) + math.dist((-51.280, -30.056), (-51.262, -30.058))
    )


def test_names(basemap: tuple[Path, BuildReport]) -> None:
    folder, _ = basemap
    labels = _labels(folder)
    by_kind = {(lab["kind"], lab["name"]) for lab in labels}
    assert {("place", "Bairro Teste"), ("station", "Estação Teste"), ("water", "Lago Teste"),
            ("park", "Parque Teste"), ("street", "Avenida Teste")} <= by_kind  # fmt: skip
    water = _geometry(folder, "water-areas")
    lake = next(lab for lab in labels if lab["name"] == "Lago Teste")
    assert water.contains(shapely.Point(lake["lon"], lake["lat"]))
    # A suburb is named from zoom 12, and so is a lake of 4 km² (a pond only close up).
    assert next(lab for lab in labels if lab["kind"] == "place")["minzoom"] == 12
    assert lake["minzoom"] == 12


def test_street_names_along_the_street(basemap: tuple[Path, BuildReport]) -> None:
    folder, _ = basemap
    avenue = [lab for lab in _labels(folder) if lab["name"] == "Avenida Teste"]
    # 0.04° of longitude at 30° S is 3.86 km: one name per 900 m, so 4, all on the line and level.
    assert len(avenue) == 4
    assert all(lab["lat"] == -30.04 and -51.30 < lab["lon"] < -51.26 and lab["angle"] == 0 for lab in avenue)
    # Long enough to be an avenue: its middle name is shown from city zoom, the others close up.
    assert sorted(lab["minzoom"] for lab in avenue) == [13, 15, 15, 15]
    # The unnamed street gets no label.
    assert {lab["kind"] for lab in _labels(folder) if lab["lat"] < -30.0405 and lab["lat"] > -30.0425} <= {"station"}


def test_deterministic(basemap: tuple[Path, BuildReport], tmp_path: Path) -> None:
    folder, _ = basemap
    again = _build(tmp_path, BuildReport("tiny"))
    for path in folder.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def _tiles(folder: Path) -> dict[tuple[int, int, int], dict[str, Any]]:
    """Every tile of the archive, decoded: (z, x, y) -> layer name -> layer."""
    index = json.loads((folder / "index.json").read_text())
    with (folder / index["tiles"]["file"]).open("rb") as f:
        return {zxy: mvt.decode(gzip.decompress(data)) for zxy, data in all_tiles(MmapSource(f))}


def _tile_shapes(zxy: tuple[int, int, int], layer: dict[str, Any]) -> Any:
    """A tile layer's features back in lon/lat: polygons for areas (type 3), lines (type 2)."""
    shapes = []
    for kind, geometry in layer["features"]:
        for path in mvt.paths(geometry):
            coords = [mvt.lonlat(*zxy, px, py) for px, py in path]
            shapes.append(shapely.Polygon(coords) if kind == 3 else shapely.LineString(coords))
    return shapely.union_all(shapes)


# What the tiles must hold, and where: a point inside each area, a point on each line (lon, lat).
IN_TILES = {
    "water-areas": ("area", (-51.29, -30.01)),  # the natural=water multipolygon
    "waterways": ("line", (-51.280, -30.056)),  # the waterway=river way, at its middle node
    "parks": ("area", (-51.2575, -30.0325)),  # the leisure=park way
    "rail": ("line", (-51.285, -30.0475)),  # the railway=rail way
}


def test_water_river_park_and_rail_in_the_tiles(basemap: tuple[Path, BuildReport]) -> None:
    """At every tile zoom, the tile over each feature has the feature in its layer, where it is."""
    folder, _ = basemap
    tiles = _tiles(folder)
    zooms = sorted({z for z, _, _ in tiles})
    assert zooms == list(range(9, 16))
    for name, (kind, (lon, lat)) in IN_TILES.items():
        for z in zooms:
            n = 2**z
            x = int((lon + 180) / 360 * n)
            y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
            layer = tiles.get((z, x, y), {}).get(name)
            assert layer is not None, (name, z, sorted(tiles.get((z, x, y), {})))
            assert {k for k, _ in layer["features"]} == {3 if kind == "area" else 2}, (name, z)
            shape = _tile_shapes((z, x, y), layer)
            # Within 1.5 tile units of the source: simplified to half a unit, then rounded to whole ones.
            tolerance = 1.5 * 360 / (n * mvt.EXTENT)
            point = shapely.Point(lon, lat)
            if kind == "area":
                assert shape.buffer(tolerance).contains(point), (name, z)
            else:
                assert shape.distance(point) < tolerance, (name, z, shape.distance(point))


# Found on Liechtenstein's real data (routing/build/basemap_tiles.py _polygons is the fix).
def test_areas_survive_a_part_that_rounds_to_a_line(tmp_path: Path) -> None:
    """Two parks in one tile, one with a hairline spike (as real forests have): at tile precision the
    spike rounds to a line, and the repaired geometry is a collection of a MultiPolygon and a
    LineString. Both parks must still be in the tile at every zoom (Liechtenstein's build lost every
    park and the Rhine in the tile north of Schaan this way)."""
    square = shapely.box(9.50, 47.10, 9.51, 47.11)
    spiked = shapely.Polygon(
        [
            (9.52, 47.10),
            (9.53, 47.10),
            (9.53, 47.105),
            (9.56, 47.1050001),
            (9.53, 47.1050002),
            (9.53, 47.11),
            (9.52, 47.11),
        ]
    )
    parks = shapely.MultiPolygon([square, spiked])
    assert parks.is_valid
    write_tiles([TileLayer("parks", "area", 10, parks)], [47.09, 9.49, 47.12, 9.57], tmp_path, attribution="test")
    with (tmp_path / TILES_FILE).open("rb") as f:
        tiles = {zxy: mvt.decode(gzip.decompress(data)) for zxy, data in all_tiles(MmapSource(f))}
    for z in range(9, 16):
        n = 2**z
        for lon in (9.505, 9.525):
            x = int((lon + 180) / 360 * n)
            y = int((1 - math.asinh(math.tan(math.radians(47.105))) / math.pi) / 2 * n)
            layer = tiles.get((z, x, y), {}).get("parks")
            assert layer is not None, (z, lon)
            assert _tile_shapes((z, x, y), layer).contains(shapely.Point(lon, 47.105)), (z, lon)

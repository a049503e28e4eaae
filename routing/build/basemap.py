"""The offline base map: GeoJSON layers drawn from the city's own OpenStreetMap file.

A self-hosted instance may have no internet, so the page draws its map from these layers instead of
a tile server: streets by class, railway lines, water and parks (closed ways and multipolygon
relations, assembled by osmium's area handler), and the names of places, stations, water, parks and
streets. Lines are merged, simplified and rounded so that the whole map of a city centre is a few
hundred kilobytes gzipped; each layer names the zoom from which the page loads and draws it.

Output (deterministic) in ``<out>/basemap/``: ``index.json`` (layers, sizes, bounding box), per
layer ``<layer>.geojson`` and its gzip ``<layer>.geojson.gz``, ``labels.json``, and the same layers
as vector tiles in ``tiles.pmtiles`` (routing/build/basemap_tiles.py).
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import osmium
import shapely
from shapely.geometry.base import BaseGeometry

from routing.build.basemap_labels import (
    DIGITS,
    M_PER_DEG,
    PLACE_MINZOOM,
    STATION_MINZOOM,
    Label,
    area_label,
    ordered,
    street_labels,
)
from routing.build.basemap_tiles import TileLayer, write_tiles
from routing.core.city import CityConfig
from routing.core.errors import BuildError
from routing.core.report import BuildReport

FORMAT_VERSION = 3
ATTRIBUTION = "© OpenStreetMap contributors"
_LABEL_FIELDS = ["name", "kind", "lon", "lat", "minzoom", "angle"]

_HIGHWAY_LAYER = {
    **dict.fromkeys(
        ("motorway", "trunk", "primary", "secondary", "tertiary", "motorway_link", "trunk_link",
         "primary_link", "secondary_link", "tertiary_link"),
        "streets-major",
    ),
    **dict.fromkeys(
        ("residential", "living_street", "unclassified", "service", "road", "pedestrian"),
        "streets-minor",
    ),
    **dict.fromkeys(("footway", "cycleway", "path", "steps", "track", "bridleway"), "paths"),
}  # fmt: skip
_RAILWAYS = frozenset({"rail", "subway", "light_rail", "tram", "monorail", "narrow_gauge", "funicular"})
_WATERWAYS = frozenset({"river", "stream", "canal", "drain", "ditch", "tidal_channel"})
_PARK_LEISURE = frozenset({"park", "garden", "nature_reserve", "recreation_ground", "common", "golf_course"})
_PARK_LANDUSE = frozenset({"grass", "forest", "village_green", "recreation_ground", "cemetery", "meadow"})
_PARK_NATURAL = frozenset({"wood", "scrub", "grassland", "wetland"})
_STATIONS = frozenset({"station", "halt"})


@dataclass(frozen=True)
class _Layer:
    name: str
    kind: str  # "line" or "area"
    tolerance: float  # simplification, degrees
    minzoom: int  # the page loads and draws the layer from this zoom on


# Drawn in this order: areas under lines, small streets under big ones. Paths only close up, where
# they can be told apart; everything else from the widest zoom the page allows.
LAYERS = (
    _Layer("parks", "area", 4e-5, 10),
    _Layer("water-areas", "area", 4e-5, 10),
    _Layer("waterways", "line", 3e-5, 10),
    _Layer("paths", "line", 2e-5, 15),
    _Layer("streets-minor", "line", 2e-5, 12),
    _Layer("streets-major", "line", 2e-5, 10),
    _Layer("rail", "line", 2e-5, 10),
)


@dataclass
class _Collected:
    lines: dict[str, list[list[tuple[float, float]]]] = field(default_factory=dict)
    areas: dict[str, list[BaseGeometry]] = field(default_factory=dict)
    named_streets: dict[tuple[str, str], list[list[tuple[float, float]]]] = field(default_factory=dict)
    labels: list[Label] = field(default_factory=list)
    bad_areas: int = 0


class _Handler(osmium.SimpleHandler):
    def __init__(self) -> None:
        super().__init__()
        self.out = _Collected()
        self._wkb = osmium.geom.WKBFactory()

    def way(self, w: osmium.osm.Way) -> None:
        tags = w.tags
        layer = _HIGHWAY_LAYER.get(tags.get("highway") or "")
        if layer is None and tags.get("railway") in _RAILWAYS:
            layer = "rail"
        if layer is None and (tags.get("waterway") in _WATERWAYS or tags.get("natural") == "coastline"):
            layer = "waterways"
        if layer is None:
            return
        coords = [(nd.lon, nd.lat) for nd in w.nodes if nd.location.valid()]
        if len(coords) < 2:
            return
        self.out.lines.setdefault(layer, []).append(coords)
        name = tags.get("name")
        if name and layer.startswith("streets-"):
            self.out.named_streets.setdefault((layer, name), []).append(coords)

    def node(self, n: osmium.osm.Node) -> None:
        tags = n.tags
        name = tags.get("name")
        if not name or not n.location.valid():
            return
        place = tags.get("place") or ""
        if place in PLACE_MINZOOM:
            self.out.labels.append(Label(name, "place", n.location.lon, n.location.lat, PLACE_MINZOOM[place]))
        elif tags.get("railway") in _STATIONS or tags.get("public_transport") == "station":
            self.out.labels.append(Label(name, "station", n.location.lon, n.location.lat, STATION_MINZOOM))

    def area(self, a: osmium.osm.Area) -> None:
        tags = a.tags
        if (
            tags.get("natural") == "water"
            or tags.get("waterway") == "riverbank"
            or tags.get("landuse") in ("reservoir", "basin")
        ):
            kind = "water"
        elif (
            tags.get("leisure") in _PARK_LEISURE
            or tags.get("landuse") in _PARK_LANDUSE
            or tags.get("natural") in _PARK_NATURAL
        ):
            kind = "park"
        else:
            return
        try:
            geometry = shapely.from_wkb(self._wkb.create_multipolygon(a))
        except (RuntimeError, shapely.errors.GEOSException):
            # Broken rings at the edge of an extract: the rest of the map is still useful.
            self.out.bad_areas += 1
            return
        self.out.areas.setdefault("water-areas" if kind == "water" else "parks", []).append(geometry)
        name = tags.get("name")
        if name and not geometry.is_empty:
            self.out.labels.append(area_label(name, kind, shapely.make_valid(geometry)))


def _km2(geometry: BaseGeometry) -> float:
    """The area of a lon/lat geometry in km², degrees scaled at its own latitude (city-sized shapes)."""
    lat = shapely.centroid(geometry).y
    return float(shapely.area(geometry)) * (M_PER_DEG / 1000.0) ** 2 * math.cos(math.radians(lat))


def _round(coords: Any) -> list[list[float]]:
    return [[round(float(x), DIGITS), round(float(y), DIGITS)] for x, y in coords]


def _line_geometry(lines: list[list[tuple[float, float]]], tolerance: float) -> dict[str, Any]:
    merged = shapely.line_merge(shapely.MultiLineString(lines))
    simple = shapely.simplify(merged, tolerance, preserve_topology=False)
    parts = [simple] if simple.geom_type == "LineString" else list(simple.geoms)
    rounded = [_round(p.coords) for p in parts if not p.is_empty]
    # Sorted, so that the output does not depend on the order GEOS happened to merge in.
    rounded = sorted(r for r in rounded if len({(x, y) for x, y in r}) >= 2)
    return {"type": "MultiLineString", "coordinates": rounded}


def _area_geometry(areas: list[BaseGeometry], tolerance: float) -> dict[str, Any]:
    valid = [shapely.make_valid(a) for a in areas]
    union = shapely.simplify(shapely.union_all(valid), tolerance, preserve_topology=True)
    polygons = [g for g in shapely.get_parts(union) if g.geom_type == "Polygon" and not g.is_empty]
    out = [[_round(p.exterior.coords), *[_round(r.coords) for r in p.interiors]] for p in polygons]
    return {"type": "MultiPolygon", "coordinates": sorted(out)}


def _count_coords(geometry: dict[str, Any]) -> int:
    if geometry["type"] == "MultiLineString":
        return sum(len(line) for line in geometry["coordinates"])
    return sum(len(ring) for poly in geometry["coordinates"] for ring in poly)


def _bbox(collected: _Collected) -> list[float]:
    xs = [x for lines in collected.lines.values() for line in lines for x, _ in line]
    ys = [y for lines in collected.lines.values() for line in lines for _, y in line]
    if not xs:
        raise BuildError("the OSM file holds no streets to draw a map from", argument="osm")
    return [round(min(ys), DIGITS), round(min(xs), DIGITS), round(max(ys), DIGITS),
            round(max(xs), DIGITS)]  # fmt: skip


def build_basemap(city: CityConfig, out: Path, *, report: BuildReport) -> None:
    """Write the base-map layers of ``city`` to ``out / "basemap"``.

    Parameters
    ----------
    city
        The city whose OSM file is drawn.
    out
        The compiled city folder; ``basemap/`` is created (or overwritten) inside it.
    report
        Receives the feature and coordinate counts and the size of every layer.
    """
    folder = out / "basemap"
    folder.mkdir(parents=True, exist_ok=True)
    handler = _Handler()
    with report.step("basemap: read osm"):
        try:
            handler.apply_file(str(city.osm), locations=True)
        except RuntimeError as exc:
            raise BuildError(f"{city.osm.name}: not readable as OpenStreetMap data ({exc})", argument="osm") from exc
    collected = handler.out
    report.skip("basemap: water or park area with broken rings", collected.bad_areas)
    water = collected.areas.get("water-areas", [])
    water_km2 = sum(_km2(a) for a in water)
    report.count("basemap_water_areas", len(water))
    report.count("basemap_waterways", len(collected.lines.get("waterways", [])))
    # Said in every build: an extract filtered to streets (as the seeds are) has no lake, river or
    # coastline, and the map then shows none; this is where that can be read.
    report.note(f"base map: {len(water)} water areas, {water_km2:.3f} km² in all, from {city.osm.name}")
    layers: list[dict[str, Any]] = []
    tile_layers: list[TileLayer] = []
    with report.step("basemap: simplify and write"):
        for layer in LAYERS:
            if layer.kind == "area":
                areas = collected.areas.get(layer.name)
                if not areas:
                    continue
                geometry = _area_geometry(areas, layer.tolerance)
            else:
                lines = collected.lines.get(layer.name)
                if not lines:
                    continue
                geometry = _line_geometry(lines, layer.tolerance)
            if not geometry["coordinates"]:
                continue
            tile_layers.append(TileLayer(layer.name, layer.kind, layer.minzoom, shapely.geometry.shape(geometry)))
            feature = {"type": "Feature", "properties": {"layer": layer.name}, "geometry": geometry}
            collection = {"type": "FeatureCollection", "features": [feature]}
            raw = json.dumps(collection, separators=(",", ":")).encode("utf-8")
            (folder / f"{layer.name}.geojson").write_bytes(raw)
            packed = gzip.compress(raw, compresslevel=9, mtime=0)
            (folder / f"{layer.name}.geojson.gz").write_bytes(packed)
            layers.append(
                {
                    "name": layer.name,
                    "kind": layer.kind,
                    "minzoom": layer.minzoom,
                    "coordinates": _count_coords(geometry),
                    "bytes": len(raw),
                    "gzip_bytes": len(packed),
                }
            )
            report.count(f"basemap_{layer.name}_bytes", len(raw))
    with report.step("basemap: place labels"):
        labels = ordered([*collected.labels, *street_labels(collected.named_streets)])
        raw = json.dumps({"fields": _LABEL_FIELDS, "labels": [lab.as_json() for lab in labels]},
                         ensure_ascii=False, separators=(",", ":")).encode("utf-8")  # fmt: skip
        (folder / "labels.json").write_bytes(raw)
        packed = gzip.compress(raw, compresslevel=9, mtime=0)
    report.count("basemap_labels", len(labels))
    report.count("basemap_labels_bytes", len(raw))
    bbox = _bbox(collected)
    with report.step("basemap: vector tiles"):
        tiles = write_tiles(tile_layers, bbox, folder, attribution=ATTRIBUTION)
    report.count("basemap_tiles", tiles.tiles)
    report.count("basemap_tiles_bytes", tiles.bytes)
    index = {
        "version": FORMAT_VERSION,
        "bbox": bbox,
        "tiles": tiles.as_json(),
        "attribution": ATTRIBUTION,
        "layers": layers,
        "labels": {"count": len(labels), "bytes": len(raw), "gzip_bytes": len(packed)},
    }
    (folder / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True), "utf-8")
    total = sum(int(item["bytes"]) for item in layers) + len(raw)
    total_gz = sum(int(item["gzip_bytes"]) for item in layers) + len(packed)
    report.count("basemap_bytes", total)
    report.count("basemap_gzip_bytes", total_gz)
    report.note(
        f"base map: {len(layers)} layers, {len(labels)} labels, {total / 1e6:.2f} MB ({total_gz / 1e6:.2f} MB gzip)"
    )


__all__ = ["ATTRIBUTION", "LAYERS", "build_basemap"]

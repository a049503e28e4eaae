"""The base map as vector tiles: one PMTiles archive of MVT tiles, written at build time.

The page draws these with MapLibre GL when the browser has WebGL (the GeoJSON layers stay for the
others). Each base-map layer is projected to Web Mercator pixels once per zoom, simplified to half a
pixel there, and cut into tiles with a buffer so that line joins and area edges do not show at tile
seams. Tiles above ``MAX_ZOOM`` are drawn by MapLibre from the ``MAX_ZOOM`` tiles (over-zoom).

Tiles are drawn 512 px wide (MapLibre's default), so tile zoom z shows what a 256 px map (Leaflet's
zoom, in which the layers' ``minzoom`` and the page's widest zoom 10 are counted) shows at z + 1.
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer
from shapely.geometry.base import BaseGeometry

from routing.build.mvt import EXTENT, encode_layer, signed_area

_TILE_ZOOM_OFFSET = 1  # 512 px tiles: one zoom level below the 256 px level they stand for
MIN_ZOOM = 10 - _TILE_ZOOM_OFFSET  # the page's widest zoom
MAX_ZOOM = 15
TILES_FILE = "tiles.pmtiles"
_BUFFER = 64  # tile pixels beyond each edge (MVT extent units)
_SIMPLIFY = 0.5  # tile pixels


@dataclass(frozen=True)
class TileLayer:
    """One base-map layer as the tiler needs it: name, kind ("line"/"area"), first zoom, geometry."""

    name: str
    kind: str
    minzoom: int
    geometry: BaseGeometry


@dataclass(frozen=True)
class TilesSummary:
    """What was written: tile count, bytes, zoom range (for index.json and the build report)."""

    tiles: int
    bytes: int
    minzoom: int
    maxzoom: int

    def as_json(self) -> dict[str, Any]:
        return {"file": TILES_FILE, "count": self.tiles, "bytes": self.bytes, "minzoom": self.minzoom,
                "maxzoom": self.maxzoom}  # fmt: skip


def _world(zoom: int) -> Any:
    """A coordinate transform from lon/lat to Web Mercator pixels (tile extent units) at ``zoom``."""
    size = EXTENT * 2**zoom

    def project(coords: np.ndarray) -> np.ndarray:
        lon, lat = coords[:, 0], np.clip(coords[:, 1], -85.0511, 85.0511)
        x = (lon + 180.0) / 360.0 * size
        y = (1.0 - np.log(np.tan(np.radians(lat)) + 1.0 / np.cos(np.radians(lat))) / math.pi) / 2.0 * size
        return np.column_stack([x, y])

    return project


def _tile_range(bbox: list[float], zoom: int) -> tuple[range, range]:
    south, west, north, east = bbox
    project = _world(zoom)
    (x0, y0), (x1, y1) = project(np.array([[west, north], [east, south]]))
    return range(int(x0 // EXTENT), int(x1 // EXTENT) + 1), range(int(y0 // EXTENT), int(y1 // EXTENT) + 1)


def _local(geometry: BaseGeometry, ox: float, oy: float) -> BaseGeometry:
    return shapely.transform(geometry, lambda c: np.rint(c - [ox, oy]))


def _line_paths(geometry: BaseGeometry) -> list[list[tuple[int, int]]]:
    paths = []
    for part in shapely.get_parts(geometry):
        if part.geom_type == "LineString":
            paths.append([(int(x), int(y)) for x, y in part.coords])
    return paths


def _polygons(geometry: BaseGeometry) -> list[BaseGeometry]:
    """The polygons inside ``geometry`` at any depth: ``make_valid`` may nest a MultiPolygon in
    a GeometryCollection, which one ``get_parts`` leaves whole."""
    out: list[BaseGeometry] = []
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon":
            out.append(part)
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            out.extend(_polygons(part))
    return out


def _polygon_rings(geometry: BaseGeometry) -> list[list[tuple[int, int]]]:
    rings: list[list[tuple[int, int]]] = []
    for part in _polygons(geometry):
        if part.is_empty:
            continue
        exterior = [(int(x), int(y)) for x, y in part.exterior.coords]
        area = signed_area(exterior)
        if area == 0:
            continue  # rounded away to nothing at this zoom
        rings.append(exterior if area > 0 else exterior[::-1])
        for interior in part.interiors:
            hole = [(int(x), int(y)) for x, y in interior.coords]
            hole_area = signed_area(hole)
            if hole_area != 0:
                rings.append(hole if hole_area < 0 else hole[::-1])
    return rings


def _tile_bytes(parts: dict[str, tuple[str, shapely.STRtree, np.ndarray]], tx: int, ty: int) -> bytes:
    ox, oy = tx * EXTENT, ty * EXTENT
    box = shapely.box(ox - _BUFFER, oy - _BUFFER, ox + EXTENT + _BUFFER, oy + EXTENT + _BUFFER)
    out = b""
    for name, (kind, tree, geoms) in parts.items():
        hits = tree.query(box, predicate="intersects")
        if not len(hits):
            continue
        clipped = shapely.intersection(geoms[np.sort(hits)], box)
        local = _local(shapely.union_all(clipped) if kind == "area" else shapely.multilinestrings(
            [g for c in clipped for g in shapely.get_parts(c) if g.geom_type == "LineString"]), ox, oy)  # fmt: skip
        if kind == "area":
            out += encode_layer(name, rings=_polygon_rings(shapely.make_valid(local)))
        else:
            out += encode_layer(name, lines=_line_paths(local))
    return out


def write_tiles(layers: list[TileLayer], bbox: list[float], folder: Path, *, attribution: str) -> TilesSummary:
    """Write ``folder / TILES_FILE`` with the tiles of ``bbox`` from ``MIN_ZOOM`` to ``MAX_ZOOM``.

    Parameters
    ----------
    layers
        The base-map layers in drawing order, geometries in lon/lat.
    bbox
        South, west, north, east of the map.
    folder
        The build's ``basemap/`` folder.
    attribution
        The data's attribution, kept in the archive's metadata.
    """
    tiles: dict[int, bytes] = {}
    for zoom in range(MIN_ZOOM, MAX_ZOOM + 1):
        project = _world(zoom)
        parts: dict[str, tuple[str, shapely.STRtree, np.ndarray]] = {}
        for layer in layers:
            if zoom < layer.minzoom - _TILE_ZOOM_OFFSET:
                continue
            world = shapely.transform(layer.geometry, project)
            simple = shapely.simplify(world, _SIMPLIFY, preserve_topology=layer.kind == "area")
            geoms = shapely.get_parts(simple)
            geoms = geoms[~shapely.is_empty(geoms)]
            if len(geoms):
                parts[layer.name] = (layer.kind, shapely.STRtree(geoms), geoms)
        xs, ys = _tile_range(bbox, zoom)
        for tx in xs:
            for ty in ys:
                data = _tile_bytes(parts, tx, ty)
                if data:
                    tiles[zxy_to_tileid(zoom, tx, ty)] = gzip.compress(data, compresslevel=9, mtime=0)
    south, west, north, east = bbox
    path = folder / TILES_FILE
    with path.open("wb") as f:
        writer = Writer(f)
        for tile_id in sorted(tiles):
            writer.write_tile(tile_id, tiles[tile_id])
        writer.finalize(
            {
                "tile_type": TileType.MVT,
                "tile_compression": Compression.GZIP,
                "min_lon_e7": round(west * 1e7),
                "min_lat_e7": round(south * 1e7),
                "max_lon_e7": round(east * 1e7),
                "max_lat_e7": round(north * 1e7),
                "center_zoom": 13,
            },
            {
                "vector_layers": [
                    {
                        "id": layer.name,
                        "fields": {},
                        "minzoom": max(layer.minzoom - _TILE_ZOOM_OFFSET, MIN_ZOOM),
                        "maxzoom": MAX_ZOOM,
                    }
                    for layer in layers
                ],
                "attribution": attribution,
            },
        )
    return TilesSummary(tiles=len(tiles), bytes=path.stat().st_size, minzoom=MIN_ZOOM, maxzoom=MAX_ZOOM)


__all__ = ["MAX_ZOOM", "MIN_ZOOM", "TILES_FILE", "TileLayer", "TilesSummary", "write_tiles"]

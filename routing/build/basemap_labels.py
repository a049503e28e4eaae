"""Names for the offline base map: place names as points, street names along their lines.

The page draws these as text (no glyph files, no font server), so each label is a point with the
zoom from which it is shown and, for streets, the angle of the street under it. Placement is
decided here, at build time, so the page only filters by view and zoom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

#: Decimal digits of every base-map coordinate, labels and layers: ~1 m, finer than a line width on
#: screen at street zoom.
DIGITS = 5
M_PER_DEG = 111_320.0  # metres per degree of latitude (and of longitude at the equator)

# From which zoom a place kind is named: a city is named at the widest view, a hamlet close up.
PLACE_MINZOOM = {
    "city": 10, "town": 11, "borough": 12, "suburb": 12, "village": 12, "quarter": 13,
    "neighbourhood": 14, "hamlet": 14, "locality": 15, "square": 16, "isolated_dwelling": 16,
}  # fmt: skip
STATION_MINZOOM = 14
STREET_MINZOOM = {"streets-major": 15, "streets-minor": 16}
# The middle label of a major street at least this long (m) is shown from city zoom: a city's
# extract may hold no place nodes at all, and its avenues are then what the reader finds a way by.
_AVENUE_M = 2500.0
_AVENUE_MINZOOM = 13
# A named area this large (m²) is named from city zoom, a smaller one only close up.
_BIG_AREA_M2 = 500_000.0
_BIG_AREA_MINZOOM, _SMALL_AREA_MINZOOM = 12, 15
# One street label per this much length (m) of a merged street, and none on a stub shorter than
# _MIN_STREET_M: the name would be longer than the street on screen.
_STREET_SPACING_M = 900.0
_MIN_STREET_M = 120.0


@dataclass(frozen=True)
class Label:
    """One name on the map: ``kind`` is place, station, water, park or street."""

    name: str
    kind: str
    lon: float
    lat: float
    minzoom: int
    angle: int = 0  # degrees clockwise from east on screen, kept within -90..90 so text is upright

    def as_json(self) -> list[object]:
        """Compact row: ``[name, kind, lon, lat, minzoom, angle]``."""
        return [self.name, self.kind, round(self.lon, DIGITS), round(self.lat, DIGITS), self.minzoom, self.angle]


def _metres(line: BaseGeometry) -> float:
    """Length of a lon/lat line in metres (equirectangular: fine at city scale)."""
    coords = shapely.get_coordinates(line)
    if len(coords) < 2:
        return 0.0
    lat0 = math.radians(float(coords[:, 1].mean()))
    dx = (coords[1:, 0] - coords[:-1, 0]) * math.cos(lat0)
    dy = coords[1:, 1] - coords[:-1, 1]
    return float(np.hypot(dx, dy).sum() * M_PER_DEG)


def _screen_angle(line: BaseGeometry, at: float) -> int:
    """Direction of ``line`` around fraction ``at`` of its length, as an upright screen angle."""
    length = line.length
    a = shapely.line_interpolate_point(line, max(0.0, at * length - length * 0.02))
    b = shapely.line_interpolate_point(line, min(length, at * length + length * 0.02))
    dx = (b.x - a.x) * math.cos(math.radians(a.y))
    dy = b.y - a.y
    angle = math.degrees(math.atan2(-dy, dx))  # screen y grows downwards
    if angle > 90:
        angle -= 180
    elif angle < -90:
        angle += 180
    return round(angle)


def street_labels(named: dict[tuple[str, str], list[list[tuple[float, float]]]]) -> list[Label]:
    """Labels along named streets: ``named`` maps (layer, name) to that name's way lines."""
    out: list[Label] = []
    for (layer, name), lines in sorted(named.items()):
        merged = shapely.line_merge(shapely.MultiLineString(lines))
        parts = [merged] if merged.geom_type == "LineString" else list(merged.geoms)
        for part in parts:
            metres = _metres(part)
            if metres < _MIN_STREET_M:
                continue
            count = max(1, int(metres // _STREET_SPACING_M))
            avenue = layer == "streets-major" and metres >= _AVENUE_M
            for i in range(count):
                at = (i + 0.5) / count
                point = shapely.line_interpolate_point(part, at, normalized=True)
                minzoom = _AVENUE_MINZOOM if avenue and i == count // 2 else STREET_MINZOOM[layer]
                out.append(Label(name, "street", point.x, point.y, minzoom, _screen_angle(part, at)))
    return out


def area_label(name: str, kind: str, area: BaseGeometry) -> Label:
    """A label for a named water body or park at a point inside it."""
    point = shapely.point_on_surface(area)
    lat0 = math.radians(point.y)
    m2 = area.area * M_PER_DEG * M_PER_DEG * math.cos(lat0)
    minzoom = _BIG_AREA_MINZOOM if m2 >= _BIG_AREA_M2 else _SMALL_AREA_MINZOOM
    return Label(name, kind, point.x, point.y, minzoom)


def ordered(labels: list[Label]) -> list[Label]:
    """Deterministic order, widest-zoom names first so that the page places them before others."""
    unique = {(lab.kind, lab.name, round(lab.lon, DIGITS), round(lab.lat, DIGITS)): lab for lab in labels}
    return sorted(unique.values(), key=lambda lab: (lab.minzoom, lab.kind, lab.name, lab.lon, lab.lat))


__all__ = ["PLACE_MINZOOM", "STATION_MINZOOM", "STREET_MINZOOM", "Label", "area_label", "ordered", "street_labels"]

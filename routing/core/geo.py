"""Small geodesy helpers on WGS84 coordinates (metres, degrees)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from routing.core.errors import InvalidCoordinates

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def haversine_m_arr(
    lat1: NDArray[np.float64], lon1: NDArray[np.float64], lat2: NDArray[np.float64], lon2: NDArray[np.float64]
) -> NDArray[np.float64]:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing from point 1 to point 2, degrees clockwise from north."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


class LocalProjection:
    """Equirectangular projection to metres around a reference latitude: exact enough in one city."""

    def __init__(self, lat0: float, lon0: float) -> None:
        self.lat0, self.lon0 = lat0, lon0
        self.kx = math.cos(math.radians(lat0)) * math.pi * EARTH_RADIUS_M / 180.0
        self.ky = math.pi * EARTH_RADIUS_M / 180.0

    def to_xy(self, lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.column_stack(((lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky))

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        return float((lon - self.lon0) * self.kx), float((lat - self.lat0) * self.ky)

    def to_latlon(self, x: float, y: float) -> tuple[float, float]:
        return float(self.lat0 + y / self.ky), float(self.lon0 + x / self.kx)


def check_latlon(lat: float, lon: float, *, argument: str) -> tuple[float, float]:
    """Validate one coordinate pair, raising :class:`InvalidCoordinates` naming ``argument``."""
    if not (isinstance(lat, int | float) and isinstance(lon, int | float)):
        raise InvalidCoordinates(f"{argument}: latitude and longitude must be numbers", argument=argument)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise InvalidCoordinates(f"{argument}: coordinates must be finite numbers", argument=argument)
    if not (-90.0 <= lat <= 90.0) or not (-180.0 <= lon <= 180.0):
        raise InvalidCoordinates(
            f"{argument}: latitude must be within -90..90 and longitude within -180..180 "
            f"(got {lat}, {lon}); write it as LAT,LON",
            argument=argument,
        )
    return float(lat), float(lon)


def parse_latlon(text: str | None, *, argument: str) -> tuple[float, float]:
    """Parse ``"LAT,LON"`` into floats, raising :class:`InvalidCoordinates` naming ``argument``."""
    if text is None or not str(text).strip():
        raise InvalidCoordinates(f"{argument} is missing: give it as LAT,LON", argument=argument)
    parts = str(text).split(",")
    if len(parts) != 2:
        raise InvalidCoordinates(
            f"{argument} must be LAT,LON (two numbers separated by a comma), got {text[:60]!r}",
            argument=argument,
        )
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError as exc:
        raise InvalidCoordinates(
            f"{argument} must be LAT,LON with decimal numbers, got {text[:60]!r}", argument=argument
        ) from exc
    return check_latlon(lat, lon, argument=argument)

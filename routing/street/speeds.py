"""Travel speed per mode on one street segment.

- Walking: Tobler's hiking function, ``v = 6 exp(-3.5 |s + 0.05|)`` km/h, rescaled so that the flat
  speed is 4.8 km/h (Tobler gives 5.04 on the flat); steps are walked at half that speed.
- Cycling: 16 km/h on the flat. Uphill the speed falls as ``16 / (1 + 12 s)`` (about 10 km/h at 5 %,
  a power-limited rider), never below 4 km/h (pushing); downhill it rises as ``16 (1 + 4 |s|)`` and is
  capped at 28 km/h, because riders brake in town.
- Driving: ``maxspeed`` when tagged, else an urban default per highway class. Cars rarely hold the
  limit in town, so the free speed is 85 % of it, and every edge that ends at a junction (a node where
  three or more streets meet) costs 4 s more, a traffic signal 10 s, for slowing and turning.
"""

from __future__ import annotations

import math
import re

WALK_FLAT_KMH = 4.8
_TOBLER_FLAT = 6.0 * math.exp(-3.5 * 0.05)
BIKE_FLAT_KMH = 16.0
BIKE_MIN_KMH = 4.0
BIKE_MAX_KMH = 28.0
DRIVE_SPEED_FACTOR = 0.85
JUNCTION_DELAY_S = 4.0
SIGNAL_DELAY_S = 10.0

# Urban defaults (km/h) where maxspeed is not tagged.
DRIVE_DEFAULT_KMH = {
    "motorway": 90.0,
    "motorway_link": 50.0,
    "trunk": 70.0,
    "trunk_link": 40.0,
    "primary": 50.0,
    "primary_link": 40.0,
    "secondary": 50.0,
    "secondary_link": 40.0,
    "tertiary": 40.0,
    "tertiary_link": 30.0,
    "unclassified": 30.0,
    "residential": 30.0,
    "road": 30.0,
    "living_street": 10.0,
    "service": 15.0,
}
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$")
_ZONE = {"urban": 50.0, "rural": 80.0, "living_street": 10.0, "walk": 6.0, "motorway": 110.0}


def walk_kmh(slope: float, *, steps: bool = False) -> float:
    """Walking speed on a slope (rise over run, signed); Tobler's function scaled to 4.8 km/h flat."""
    v = WALK_FLAT_KMH * 6.0 * math.exp(-3.5 * abs(slope + 0.05)) / _TOBLER_FLAT
    return v * 0.5 if steps else v


def bike_kmh(slope: float) -> float:
    """Cycling speed on a slope (rise over run, signed)."""
    if slope > 0:
        return max(BIKE_MIN_KMH, BIKE_FLAT_KMH / (1.0 + 12.0 * slope))
    return min(BIKE_MAX_KMH, BIKE_FLAT_KMH * (1.0 + 4.0 * -slope))


def parse_maxspeed(value: str | None) -> float | None:
    """Parse an OSM ``maxspeed`` value into km/h, or None when it cannot be read."""
    if not value:
        return None
    value = value.split(";")[0].strip().lower()
    m = _NUMBER.match(value)
    if m:
        kmh = float(m.group(1)) * (1.609344 if m.group(2) == "mph" else 1.0)
        return kmh if 0 < kmh <= 200 else None
    if ":" in value:  # e.g. "BR:urban", "DE:living_street"
        return _ZONE.get(value.split(":", 1)[1])
    return _ZONE.get(value)


def drive_kmh(highway: str, maxspeed: str | None) -> float:
    """Free driving speed on a way: 85 % of its limit (tagged, else the class default)."""
    limit = parse_maxspeed(maxspeed) or DRIVE_DEFAULT_KMH.get(highway, 30.0)
    return limit * DRIVE_SPEED_FACTOR

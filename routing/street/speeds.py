"""Travel speed per mode on one street segment.

- Walking: Tobler's hiking function, ``v = 6 exp(-3.5 |s + 0.05|)`` km/h, rescaled so that the flat
  speed is ``WALK_FLAT_KMH``, 4.8 km/h (:mod:`routing.core.walking`; Tobler gives 5.04 on the flat);
  steps are walked at half that speed.
- Cycling: 16 km/h on the flat. Uphill the speed falls as ``16 / (1 + 12 s)`` (about 10 km/h at 5 %,
  a power-limited rider), never below 4 km/h (pushing); downhill it rises as ``16 (1 + 4 |s|)`` and is
  capped at 28 km/h, because riders brake in town.
- Driving: see "Driving times" in the README. An edge takes its length at the free-flow speed
  (``maxspeed`` when tagged, else a default per road class, times one urban factor) plus a delay at
  a traffic signal; turns cost by angle and by whether they cross oncoming traffic
  (:func:`drive_turn_ms`), U-turns more. Routes minimise that time plus
  :data:`DRIVE_DISTANCE_S_PER_KM` (:func:`drive_cost_ms`).
"""

from __future__ import annotations

import math
import re

import numpy as np
from numpy.typing import NDArray

from routing.core.walking import WALK_FLAT_KMH

_TOBLER_FLAT = 6.0 * math.exp(-3.5 * 0.05)
BIKE_FLAT_KMH = 16.0
BIKE_MIN_KMH = 4.0
BIKE_MAX_KMH = 28.0
# Pushing a bicycle on the flat (OSRM bicycle.lua ``walking_speed``): slower than walking alone.
BIKE_PUSH_KMH = 4.0

# --- Driving -------------------------------------------------------------------------------------
# Traffic does not hold the limit (junctions, merging, parked cars, pedestrians): the speed driven
# is 80 % of the posted limit on every road class. OSRM's car.lua applies this factor to every
# tagged maxspeed, motorways included (``speed_reduction = 0.8`` in profiles/car.lua, applied in
# lib/way_handlers.lua ``WayHandlers.maxspeed``); Valhalla's speed assigner does not tell classes
# apart either (src/mjolnir/speed_assigner.h keeps a tagged speed as it is on every class). An
# earlier 0.9 for motorways and trunk roads had no source and made a motorway detour of 25 % look
# faster than the direct arterial (Columbus, bench/peers.py --worst: 25.6 km where OSRM drives
# 20.3), so there is one factor.
URBAN_SPEED_FACTOR = 0.8

# Typical urban limits (km/h) where maxspeed is not tagged, per highway class: the urban limits of
# the OSM wiki's "Default speed limits" table (50 on main roads, 30 on residential streets, as in
# most of Europe and in Brazil's CTB art. 61: 60 arterial, 40 collector, 30 local), 10 km/h on a
# living street (walking pace zones), 20 on service ways (OSRM car.lua: 15 km/h free speed).
DRIVE_DEFAULT_KMH = {
    "motorway": 90.0,
    "motorway_link": 60.0,
    "trunk": 80.0,
    "trunk_link": 50.0,
    "primary": 60.0,
    "primary_link": 50.0,
    "secondary": 60.0,
    "secondary_link": 40.0,
    "tertiary": 50.0,
    "tertiary_link": 40.0,
    "unclassified": 40.0,
    "residential": 30.0,
    "road": 30.0,
    "living_street": 10.0,
    "service": 20.0,
}

# Expected wait at a traffic signal (s). Webster's uniform delay for a random arrival is
# C (1 - g/C)^2 / (2 (1 - x g/C)): on an 80 s cycle at half saturation, 11 s for a main road with 55 %
# of the green and 20 s for the minor road with 35 %. Green waves on arterials and the many signals
# tagged at pedestrian crossings, mostly green for cars, bring both down; we keep Webster's ratio
# between them at a scale near the peers'. We do not take the peers' 2 s per signal node (OSRM's
# lib/obstacles.lua ``traffic_signal_penalty or 2``, ported to Valhalla as ``kTrafficLightPenalty``
# in src/sif/osrm_car_duration.h): it is a routing weight, a fifth of the Highway Capacity Manual's
# upper bound of its best level of service (LOS A, up to 10 s of control delay per signalised
# approach) and a tenth of Webster's delay for a random arrival.
SIGNAL_MAIN_S = 4.0  # arriving on the highest-ranked road at the junction
SIGNAL_MINOR_S = 8.0  # arriving on a lower-ranked road
# Signal nodes closer than this along a street belong to one junction (one per carriageway).
SIGNAL_JUNCTION_M = 40.0

# Turn costs at a junction (a node where three or more streets meet), in seconds, reached at a
# right angle: turning away from oncoming traffic (right where traffic keeps right) slows to about
# 15-20 km/h; turning across it also waits for a gap. OSRM's car.lua caps its turn cost at 7.5 s
# (``turn_penalty``) plus 2 s across traffic; GraphHopper charges 30 s/45 s only as weighting,
# R5 10 s/30 s. We keep to OSRM's measured scale.
TURN_AWAY_S = 4.0
TURN_ACROSS_S = 7.0
TURN_STRAIGHT_DEG = 20.0  # up to here a turn is a bend in the road: free
TURN_FULL_DEG = 100.0  # from here on the full cost applies
# A U-turn (at a junction or a dead end; cars may not turn round elsewhere): OSRM's
# ``u_turn_penalty`` of 20 s, on top of the cost of the sharpest turn across traffic.
U_TURN_S = 20.0
# Arriving on the minor road at a junction without signals, a car slows or stops to give way to the
# main road's traffic, whether it crosses it or turns onto it. The Highway Capacity Manual's best
# level of service for a two-way stop-controlled approach is up to 10 s of control delay; in light
# traffic a give-way costs a few seconds. Valhalla ranks the roads at a junction the same way (its
# "stop impact", from the difference in road class), OSRM does not.
GIVE_WAY_S = 3.0
# A driving route minimises travel time plus this many seconds per km driven (a generalised cost,
# as transport models choose routes): a detour is taken only if it saves more than 16 s per extra
# km. Drivers pay for distance, and a detour that saves 1 % of the time for 20 % more distance is
# within the error of any free-flow model. The number is the fuel a km costs in the time it buys:
# at US$3.50 a gallon and 25 mpg, US$0.087 per km; at US$19 an hour, the value of personal local
# travel time in the US DOT's guidance (50 % of hourly household income: the 2023 median, US$80,610
# a year over 2,080 hours, is US$38.75), that is 16.5 s. GraphHopper's custom models weigh distance
# the same way (``distance_influence``, 70 s/km by default in its CustomModel.java from "25 EUR an
# hour and 0.5 EUR per km", the whole cost of a car, not the fuel). OSRM and Valhalla minimise time
# alone. Only the choice of route changes; the time reported is the travel time.
# Measured on Columbus (bench/peers.py, 500 pairs): drive distance p90 1.067 x OSRM without it.
DRIVE_DISTANCE_S_PER_KM = 16.0
_RANK = {
    "motorway": 6,
    "trunk": 5,
    "primary": 4,
    "secondary": 3,
    "tertiary": 2,
    "unclassified": 1,
    "residential": 1,
    "road": 1,
}  # living streets, service ways and everything else: 0

_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$")
_ZONE = {"urban": 50.0, "rural": 80.0, "living_street": 10.0, "walk": 6.0, "motorway": 110.0}


def walk_kmh(slope: float, *, steps: bool = False) -> float:
    """Walking speed on a slope (rise over run, signed); Tobler's function scaled to 4.8 km/h flat."""
    v = WALK_FLAT_KMH * 6.0 * math.exp(-3.5 * abs(slope + 0.05)) / _TOBLER_FLAT
    return v * 0.5 if steps else v


def push_kmh(slope: float, *, steps: bool = False) -> float:
    """Speed pushing a bicycle: walking's slope and steps rule, scaled to :data:`BIKE_PUSH_KMH` flat."""
    return walk_kmh(slope, steps=steps) * BIKE_PUSH_KMH / WALK_FLAT_KMH


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
    """Free-flow driving speed on a way: its limit (tagged, else the class default) times the urban factor."""
    limit = parse_maxspeed(maxspeed) or DRIVE_DEFAULT_KMH.get(highway, DRIVE_DEFAULT_KMH["residential"])
    return limit * URBAN_SPEED_FACTOR


def road_rank(highway: str) -> int:
    """Priority of a road class at a junction without signals (higher has the right of way)."""
    return _RANK.get(highway.removesuffix("_link"), 0)


def drive_turn_ms(
    angle: NDArray[np.float64],
    junction: NDArray[np.bool_],
    u_turn: NDArray[np.bool_],
    minor: NDArray[np.bool_] | None = None,
    *,
    driving_side: str,
) -> NDArray[np.float64]:
    """Cost (ms) of turning by ``angle`` degrees (positive = right) onto the next edge.

    Bends where only two streets meet are free; at a junction the cost grows linearly from
    :data:`TURN_STRAIGHT_DEG` to :data:`TURN_FULL_DEG` up to :data:`TURN_ACROSS_S` for a turn across
    oncoming traffic (left on the right-hand side) or :data:`TURN_AWAY_S` for one away from it.
    A U-turn adds :data:`U_TURN_S` to the cost of the sharpest turn across traffic. Arriving on a
    ``minor`` road (a junction without signals where a higher-ranked road meets) adds
    :data:`GIVE_WAY_S`, whichever way the car goes on.
    """
    sharp = np.clip((np.abs(angle) - TURN_STRAIGHT_DEG) / (TURN_FULL_DEG - TURN_STRAIGHT_DEG), 0.0, 1.0)
    across = angle < 0 if driving_side == "right" else angle > 0
    seconds = np.where(junction, np.where(across, TURN_ACROSS_S, TURN_AWAY_S) * sharp, 0.0)
    seconds = np.where(u_turn, TURN_ACROSS_S + U_TURN_S, seconds)
    if minor is not None:
        seconds = seconds + np.where(minor, GIVE_WAY_S, 0.0)
    return seconds * 1000.0


def drive_cost_ms(travel_ms: NDArray[np.int64], length_m: NDArray[np.float64]) -> NDArray[np.int64]:
    """Routing cost (ms) of driving edges: travel time plus :data:`DRIVE_DISTANCE_S_PER_KM` per km."""
    # s per km is ms per m
    return travel_ms + np.rint(length_m * DRIVE_DISTANCE_S_PER_KM).astype(np.int64)

"""CO2e of one leg: which factor applies (street mode, car, GTFS route type or a city's per-route
figure), and distance x factor.

Car factors are per vehicle-km and divided by the people in the car; every other factor is per
passenger-km and never divided again. A leg without a usable factor or distance gets ``None`` and
says why, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from routing.core.city import RouteEmissionOverride
from routing.core.errors import FactorPackError
from routing.emissions.modes import (
    LEG_MODE_FACTOR,
    TRANSIT_FALLBACKS,
    UNMAPPED_FALLBACK,
    car_mode,
    route_type_mode,
)
from routing.emissions.pack import FactorPack
from routing.emissions.vehicle import Vehicle

#: A leg's grams (None: unknown) and the factor that gave them, JSON as served (value, unit,
#: scope, source, year and what applied: the car and occupancy, the route type, a fallback).
LegResult = tuple[float | None, dict[str, Any]]


@dataclass(frozen=True)
class RouteFigure:
    """A city's own figure for one GTFS route: g per passenger-km and the factor served with it."""

    value: float
    factor: dict[str, Any]  # JSON as served


#: Route id → its city figure (:func:`index_overrides`).
RouteFigures = Mapping[str, RouteFigure]


def index_overrides(overrides: Sequence[RouteEmissionOverride], pack: FactorPack) -> dict[str, RouteFigure]:
    """Validate a city's per-route figures and index them by route id (g/passenger-km, factor).

    Raises
    ------
    FactorPackError
        If a figure is negative, not finite, or has no passengers (argument "route_emissions").
    """
    index: dict[str, RouteFigure] = {}
    for ov in overrides:
        g, pax = ov.g_per_vehicle_km, ov.avg_passengers
        ok = isinstance(ov.route_id, str) and ov.route_id != "" and _finite(g) and _finite(pax) and g >= 0 and pax > 0
        if not ok:
            raise FactorPackError(
                f"city.toml [[emissions.routes]] route_id={ov.route_id!r}: g_per_vehicle_km "
                f"({g!r}) must be >= 0 and avg_passengers ({pax!r}) > 0",
                argument="route_emissions",
            )
        value = g / pax
        index[ov.route_id] = RouteFigure(
            value=value,
            factor={
                "value": value,
                "unit": "g/passenger-km",
                "scope": pack.scope,
                "source": f"city configuration: city.toml [[emissions.routes]] route_id={ov.route_id}",
                "year": pack.year,
                "region": pack.region,
                "pack": pack.name,
                "mode": "route-override",
                "note": f"per-route figure of the city: {g:g} g per vehicle-km / {pax:g} average "
                f"passengers; its scope is taken as the pack's ({pack.scope})",
            },
        )
    return index


def _finite(x: object) -> TypeGuard[float]:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _missing(pack: FactorPack, why: str) -> LegResult:
    return None, {"missing": why, "pack": pack.name}


def _label(pack: FactorPack, mode: str) -> str:
    factor = pack.factors[mode]
    return factor.label or mode


def _transit(
    route: Mapping[str, Any] | None,
    pack: FactorPack,
    overrides: RouteFigures,
) -> tuple[float, dict[str, Any]] | str:
    if not isinstance(route, Mapping):
        return "the transit leg has no route"
    route_id = route.get("id")
    if overrides and isinstance(route_id, str):
        # Feed-prefixed ids ("eptc:T1") also match the city's raw GTFS route_id ("T1").
        hit = overrides.get(route_id) or overrides.get(route_id.partition(":")[2])
        if hit is not None:
            return hit.value, dict(hit.factor)
    rtype = route.get("type")
    if isinstance(rtype, str) and rtype.strip().isdigit():
        rtype = int(rtype)
    if not isinstance(rtype, int) or isinstance(rtype, bool):
        return f"the transit leg's route_type {rtype!r} is not a GTFS route type"
    mode = route_type_mode(rtype)
    if mode is not None and mode in pack.factors:
        factor = dict(pack.factor_dicts[mode])
        factor["route_type"] = rtype
        return pack.factors[mode].value, factor
    if mode is None:
        tried: tuple[str, ...] = (UNMAPPED_FALLBACK,)
        what = f"route_type {rtype}"
    else:
        tried = TRANSIT_FALLBACKS.get(mode, ())
        what = f"route_type {rtype} ({mode})"
    for alt in tried:
        if alt in pack.factors:
            factor = dict(pack.factor_dicts[alt])
            factor["route_type"] = rtype
            factor["fallback"] = f"{what} has no factor in {pack.name}; {_label(pack, alt)} used"
            return pack.factors[alt].value, factor
    return f"{what} has no factor in {pack.name}"


def _street(mode: str, pack: FactorPack, vehicle: Vehicle) -> tuple[float, dict[str, Any]] | str:
    if mode == "drive":
        chosen = car_mode(vehicle.car) if vehicle.car else pack.default_car
        if chosen not in pack.factors:
            return f"{pack.name} has no factor for the car {chosen.removeprefix('car-')!r}"
        factor = dict(pack.factor_dicts[chosen])
        factor["occupancy"] = vehicle.occupancy
        factor["car"] = chosen.removeprefix("car-")
        if vehicle.car is None:
            factor["default_car"] = pack.default_car_note or chosen
        value = pack.factors[chosen].value / vehicle.occupancy
        return value, factor
    fmode = LEG_MODE_FACTOR.get(mode)
    if fmode is None:
        return f"no factor applies to leg mode {mode!r}"
    if fmode in pack.factors:
        return pack.factors[fmode].value, dict(pack.factor_dicts[fmode])
    if fmode == "walk":
        # Walking burns no fuel: absent a pack figure it counts 0, and says so.
        return 0.0, {
            "value": 0.0,
            "unit": "g/passenger-km",
            "scope": pack.scope,
            "source": "greenroute: walking has no direct emissions",
            "year": pack.year,
            "region": pack.region,
            "pack": pack.name,
            "mode": "walk",
            "fallback": f"{pack.name} has no walking factor; walking counted as 0",
        }
    return f"{pack.name} has no factor for {fmode}"


def leg_co2e(
    *,
    mode: str,
    distance_m: float,
    route: Mapping[str, Any] | None,
    pack: FactorPack,
    vehicle: Vehicle,
    overrides: RouteFigures,
) -> LegResult:
    """Return ``(co2e_g, factor)`` of one leg (``co2e_g`` None when it cannot be known).

    ``route`` is a transit leg's route (its ``id`` and GTFS ``type``). For a car, the returned
    factor object keeps the per-vehicle value and names the occupancy it was divided by.
    """
    dist = distance_m
    if not _finite(dist) or dist < 0:
        return _missing(pack, f"the leg's distance_m {dist!r} is not a distance")
    found = _transit(route, pack, overrides) if mode == "transit" else _street(mode, pack, vehicle)
    if isinstance(found, str):
        return _missing(pack, found)
    per_km, factor = found
    return per_km * float(dist) / 1000.0, factor


__all__ = ["LegResult", "RouteFigure", "RouteFigures", "index_overrides", "leg_co2e"]

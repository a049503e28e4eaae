"""Add CO2e, cited factors and calorie estimates to the options of a plan answer (docs/api.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from routing.core.city import RouteEmissionOverride
from routing.core.errors import InvalidParameter
from routing.emissions.calories import ACTIVE_LEG_MODES, check_body_mass, leg_calories
from routing.emissions.leg_co2e import index_overrides, leg_co2e
from routing.emissions.pack import FactorPack
from routing.emissions.vehicle import Vehicle


def _describe(i: int, leg: Mapping[str, Any]) -> str:
    mode = leg.get("mode")
    route = leg.get("route")
    if mode == "transit" and isinstance(route, Mapping) and route.get("id"):
        return f"leg {i + 1} (transit, route {route.get('id')})"
    return f"leg {i + 1} ({mode})"


def _annotate_legs(
    legs: list[dict[str, Any]],
    *,
    pack: FactorPack,
    vehicle: Vehicle,
    overrides: Mapping[str, tuple[float, dict[str, Any]]],
    mass: float,
) -> tuple[list[dict[str, Any]], list[float | None], list[float | None], str | None]:
    """New legs with their CO2e, factor and calories; the figures; the first missing figure's reason."""
    out: list[dict[str, Any]] = []
    co2: list[float | None] = []
    kcal: list[float | None] = []
    missing: str | None = None
    for i, leg in enumerate(legs):
        grams, factor = leg_co2e(leg, pack=pack, vehicle=vehicle, overrides=overrides)
        new = {**leg, "co2e_g": grams, "factor": factor}
        co2.append(grams)
        if grams is None and missing is None:
            missing = f"{_describe(i, new)}: {factor['missing']}"
        mode = leg.get("mode")
        if mode in ACTIVE_LEG_MODES:
            est = leg_calories(str(mode), leg.get("distance_m"), leg.get("duration_s"), body_mass_kg=mass)
            new["calories_kcal"] = est[0] if est else None
            if est:
                new["calories"] = est[1]
            kcal.append(est[0] if est else None)
        out.append(new)
    return out, co2, kcal, missing


def annotate_options(
    options: list[dict[str, Any]],
    *,
    pack: FactorPack,
    vehicle: Vehicle = Vehicle(),  # noqa: B008 - frozen, so one shared default is safe
    route_overrides: Sequence[RouteEmissionOverride] = (),
    body_mass_kg: float = 70.0,
) -> list[dict[str, Any]]:
    """The plan options with ``co2e_g``, ``factor`` and (walk/bike legs) ``calories_kcal`` added.

    Each option and each leg is a new dict (keys added last, in the order below); ``options`` and
    their legs are left as they were.

    Each leg gets its own CO2e and factor; the option's ``co2e_g`` is the exact sum
    (``math.fsum``) of its legs', or ``None`` with ``factor["missing"]`` naming the first leg
    whose figure is unknown. A single-leg option repeats its leg's factor; a multi-leg option's
    factor is ``{"pack", "scope", "legs": "see each leg"}``. An option without legs is treated as
    one leg. ``calories_kcal`` on an option is the sum over its walking and cycling legs (gross
    kcal, an estimate; see :mod:`routing.emissions.calories`).

    Parameters
    ----------
    options
        The ``options`` list of the plan answer (shape in docs/api.md); not changed.
    pack
        The factor pack of this comparison (one pack, so one scope, for every option).
    vehicle
        The user's car and its occupancy, for driving legs.
    route_overrides
        The city's per-GTFS-route figures (``CityConfig.route_emissions``).
    body_mass_kg
        For calorie estimates; 20 to 300, default 70.

    Raises
    ------
    InvalidParameter
        For a bad body mass ("body_mass_kg"), vehicle ("car") or option list ("options").
    FactorPackError
        For an unusable per-route figure ("route_emissions").
    """
    mass = check_body_mass(body_mass_kg)
    if not isinstance(vehicle, Vehicle):
        raise InvalidParameter(f"vehicle {vehicle!r} is not a Vehicle", argument="car")
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        raise InvalidParameter("options must be a list of option objects", argument="options")
    overrides = index_overrides(route_overrides, pack)
    out: list[dict[str, Any]] = []
    for option in options:
        legs = option.get("legs")
        alone = not isinstance(legs, list) or not legs  # an option without legs is its own one leg
        if not isinstance(legs, list) or not legs:
            legs_of_option: list[dict[str, Any]] = [option]
        elif all(isinstance(leg, dict) for leg in legs):
            legs_of_option = legs
        else:
            raise InvalidParameter(f"option {option.get('id')!r}: every leg must be an object", argument="options")
        new_legs, co2, kcal, missing = _annotate_legs(
            legs_of_option, pack=pack, vehicle=vehicle, overrides=overrides, mass=mass
        )
        new = dict(new_legs[0]) if alone else {**option, "legs": new_legs}
        if missing is not None:
            new["co2e_g"] = None
            new["factor"] = {"missing": missing, "pack": pack.name}
        else:
            new["co2e_g"] = math.fsum(g for g in co2 if g is not None)
            if len(new_legs) == 1:
                new["factor"] = dict(new_legs[0]["factor"])
            else:
                new["factor"] = {"pack": pack.name, "scope": pack.scope, "legs": "see each leg"}
        if kcal:
            new["calories_kcal"] = None if any(k is None for k in kcal) else math.fsum(k for k in kcal if k is not None)
            new["calories_estimate"] = True
        out.append(new)
    return out


__all__ = ["annotate_options"]

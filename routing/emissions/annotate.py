"""Add CO2e, cited factors and calorie estimates to the options of a plan answer (docs/api.md)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from routing.core.answer import AnyLeg, Calories, LegEmissions, Option, OptionEmissions, TransitLeg, evolve
from routing.core.city import RouteEmissionOverride
from routing.core.errors import InvalidParameter
from routing.emissions.calories import ACTIVE_LEG_MODES, check_body_mass, leg_calories
from routing.emissions.leg_co2e import RouteFigures, index_overrides, leg_co2e
from routing.emissions.pack import FactorPack
from routing.emissions.vehicle import Vehicle


def _describe(i: int, leg: AnyLeg) -> str:
    route = leg.route()
    if isinstance(leg, TransitLeg) and route is not None and route.get("id"):
        return f"leg {i + 1} (transit, route {route.get('id')})"
    return f"leg {i + 1} ({leg.mode})"


def _annotate_legs(
    legs: Sequence[AnyLeg],
    *,
    pack: FactorPack,
    vehicle: Vehicle,
    overrides: RouteFigures,
    mass: float,
) -> tuple[list[AnyLeg], list[float | None], list[float | None], str | None]:
    """New legs with their CO2e, factor and calories; the figures; the first missing figure's reason."""
    out: list[AnyLeg] = []
    co2: list[float | None] = []
    kcal: list[float | None] = []
    missing: str | None = None
    for i, leg in enumerate(legs):
        route = leg.route()
        grams, factor = leg_co2e(
            mode=leg.mode, distance_m=leg.distance_m, route=route, pack=pack, vehicle=vehicle, overrides=overrides
        )
        co2.append(grams)
        if grams is None and missing is None:
            missing = f"{_describe(i, leg)}: {factor['missing']}"
        calories: Calories | None = None
        if leg.mode in ACTIVE_LEG_MODES:
            est = leg_calories(leg.mode, leg.distance_m, leg.duration_s, body_mass_kg=mass)
            calories = Calories(kcal=est[0], method=est[1]) if est else Calories(kcal=None)
            kcal.append(calories.kcal)
        out.append(evolve(leg, emissions=LegEmissions(co2e_g=grams, factor=factor, calories=calories)))
    return out, co2, kcal, missing


def annotate_options(
    options: Sequence[Option],
    *,
    pack: FactorPack,
    vehicle: Vehicle = Vehicle(),  # noqa: B008 - frozen, so one shared default is safe
    route_overrides: Sequence[RouteEmissionOverride] = (),
    body_mass_kg: float = 70.0,
) -> list[Option]:
    """The plan options with their CO2e, factor and (walk/bike legs) calories: new values.

    Each leg gets its own CO2e and factor; the option's ``co2e_g`` is the exact sum
    (``math.fsum``) of its legs', or ``None`` with ``factor["missing"]`` naming the first leg
    whose figure is unknown. A single-leg option repeats its leg's factor; a multi-leg option's
    factor is ``{"pack", "scope", "legs": "see each leg"}``. ``calories_kcal`` on an option is the
    sum over its walking and cycling legs (gross kcal, an estimate; see
    :mod:`routing.emissions.calories`).

    Parameters
    ----------
    options
        The options of the plan answer; not changed.
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
        For a bad body mass ("body_mass_kg"), vehicle ("car") or an option without legs ("options").
    FactorPackError
        For an unusable per-route figure ("route_emissions").
    """
    mass = check_body_mass(body_mass_kg)
    if not isinstance(vehicle, Vehicle):
        raise InvalidParameter(f"vehicle {vehicle!r} is not a Vehicle", argument="car")
    overrides = index_overrides(route_overrides, pack)
    out: list[Option] = []
    for option in options:
        if not option.legs:
            raise InvalidParameter(f"option {option.id!r} has no legs", argument="options")
        new_legs, co2, kcal, missing = _annotate_legs(
            option.legs, pack=pack, vehicle=vehicle, overrides=overrides, mass=mass
        )
        factor: dict[str, Any]
        if missing is not None:
            total: float | None = None
            factor = {"missing": missing, "pack": pack.name}
        else:
            total = math.fsum(g for g in co2 if g is not None)
            first = new_legs[0].emissions
            if len(new_legs) == 1 and first is not None:
                factor = dict(first.factor)
            else:
                factor = {"pack": pack.name, "scope": pack.scope, "legs": "see each leg"}
        kcal_sum = None if any(k is None for k in kcal) else math.fsum(k for k in kcal if k is not None)
        emissions = OptionEmissions(co2e_g=total, factor=factor, active=bool(kcal), calories_kcal=kcal_sum)
        out.append(evolve(option, legs=tuple(new_legs), emissions=emissions))
    return out


__all__ = ["annotate_options"]

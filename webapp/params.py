"""Parse ``/api/plan`` query parameters into a :class:`PlanRequest`, naming each bad argument.

The query string's names are checked here (one value each, none unknown); the values are parsed
by :mod:`webapp.plan_text`, which the command line shares.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict

from routing.core.errors import InvalidParameter
from routing.plan.request import PlanRequest
from webapp.plan_text import MAX_PARAM_LEN, plan_request_from_text

PLAN_PARAMS = frozenset(
    {
        "from",
        "to",
        "modes",
        "mode",
        "at",
        "arrive_by",
        "window",
        "max_walk_m",
        "exclude_route_types",
        "car",
        "occupancy",
        "pack",
        "body_mass_kg",
        "strict_dates",
        "frontier",
        "wheelchair",  # step-free journeys (routing.street.stepfree, routing.transit.wheelchair)
    }
)


def single_values(args: MultiDict[str, str], allowed: frozenset[str]) -> dict[str, str]:
    """One value per known parameter; repeated or unknown parameters are errors."""
    out: dict[str, str] = {}
    for key in args:
        values = args.getlist(key)
        if key not in allowed:
            raise InvalidParameter(
                f"unknown parameter {key[:40]!r}; known parameters: {', '.join(sorted(allowed))}", argument=key[:40]
            )
        if len(values) > 1:
            raise InvalidParameter(f"parameter {key!r} is given {len(values)} times; give it once", argument=key)
        if len(values[0]) > MAX_PARAM_LEN:
            raise InvalidParameter(f"parameter {key!r} is too long", argument=key)
        out[key] = values[0]
    return out


def plan_request(args: MultiDict[str, str], *, tz: ZoneInfo) -> PlanRequest:
    p = single_values(args, PLAN_PARAMS)
    if "mode" in p and "modes" in p:
        raise InvalidParameter("give either mode or modes, not both", argument="modes")
    return plan_request_from_text(
        origin=p.get("from"),
        destination=p.get("to"),
        tz=tz,
        modes=p.get("modes", p.get("mode")),
        at=p.get("at"),
        arrive_by=p.get("arrive_by"),
        window=p.get("window"),
        max_walk_m=p.get("max_walk_m"),
        exclude_route_types=p.get("exclude_route_types"),
        strict_dates=p.get("strict_dates"),
        car=p.get("car"),
        occupancy=p.get("occupancy"),
        pack=p.get("pack"),
        body_mass_kg=p.get("body_mass_kg"),
        frontier=p.get("frontier"),
        wheelchair=p.get("wheelchair"),
    )

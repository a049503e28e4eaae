"""Parse ``/api/plan`` query parameters into a :class:`PlanRequest`, naming each bad argument."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from werkzeug.datastructures import MultiDict

from routing.core.errors import InvalidParameter
from routing.core.geo import parse_latlon
from routing.plan.request import DEFAULT_MODES, MODE_ORDER, PlanRequest

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
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
MAX_PARAM_LEN = 200


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


def parse_bool(value: str | None, *, argument: str) -> bool:
    if value is None:
        return False
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise InvalidParameter(f"{argument} must be true or false, got {value[:40]!r}", argument=argument)


def parse_number(value: str | None, *, argument: str, default: float, lo: float, hi: float) -> float:
    if value is None or value == "":
        return default
    try:
        x = float(value)
    except ValueError:
        raise InvalidParameter(f"{argument} must be a number, got {value[:40]!r}", argument=argument) from None
    if not math.isfinite(x) or not lo <= x <= hi:
        raise InvalidParameter(f"{argument} must be between {lo:g} and {hi:g}, got {value[:40]!r}", argument=argument)
    return x


def parse_int(value: str | None, *, argument: str, default: int, lo: int, hi: int) -> int:
    x = parse_number(value, argument=argument, default=default, lo=lo, hi=hi)
    if x != int(x):
        raise InvalidParameter(f"{argument} must be a whole number, got {value!r}", argument=argument)
    return int(x)


def parse_at(value: str | None, tz: ZoneInfo) -> datetime | None:
    """An ISO-8601 date-time; without an offset it is local time in the city's time zone."""
    if value is None or value.strip() in ("", "now"):
        return None
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidParameter(
            f"at must be an ISO-8601 date and time such as 2026-11-23T08:00, got {value[:40]!r}", argument="at"
        ) from None
    if not 1900 <= at.year <= 2200:
        raise InvalidParameter(f"at: the year {at.year} is out of range (1900-2200)", argument="at")
    return at.replace(tzinfo=tz) if at.tzinfo is None else at.astimezone(tz)


def parse_modes(value: str | None) -> tuple[str, ...]:
    """Comma-separated modes; empty means the default set, ``all`` every mode."""
    if value is None or not value.strip():
        return DEFAULT_MODES
    if value.strip().lower() == "all":
        return MODE_ORDER
    # A "+" in a query string arrives as a space when the client did not escape it.
    modes = tuple(dict.fromkeys(m.strip().lower().replace(" ", "+") for m in value.split(",") if m.strip()))
    for m in modes:
        if m not in MODE_ORDER:
            raise InvalidParameter(f"unknown mode {m[:30]!r}: choose among {', '.join(MODE_ORDER)}", argument="modes")
    return modes


def parse_route_types(value: str | None) -> frozenset[int]:
    if not value:
        return frozenset()
    out = set()
    for part in value.split(","):
        out.add(parse_int(part.strip(), argument="exclude_route_types", default=0, lo=0, hi=1800))
    return frozenset(out)


def plan_request(args: MultiDict[str, str], *, tz: ZoneInfo) -> PlanRequest:
    p = single_values(args, PLAN_PARAMS)
    if "mode" in p and "modes" in p:
        raise InvalidParameter("give either mode or modes, not both", argument="modes")
    return PlanRequest(
        origin=parse_latlon(p.get("from"), argument="from"),
        destination=parse_latlon(p.get("to"), argument="to"),
        modes=parse_modes(p.get("modes", p.get("mode"))),
        at=parse_at(p.get("at"), tz),
        arrive_by=parse_bool(p.get("arrive_by"), argument="arrive_by"),
        window_min=parse_int(p.get("window"), argument="window", default=0, lo=0, hi=1440),
        max_walk_m=parse_number(p.get("max_walk_m"), argument="max_walk_m", default=1200.0, lo=0, hi=5000),
        exclude_route_types=parse_route_types(p.get("exclude_route_types")),
        strict_dates=parse_bool(p.get("strict_dates"), argument="strict_dates"),
        car=p.get("car") or None,
        occupancy=parse_int(p.get("occupancy"), argument="occupancy", default=1, lo=1, hi=9),
        pack=p.get("pack") or None,
        body_mass_kg=parse_number(p.get("body_mass_kg"), argument="body_mass_kg", default=70.0, lo=20, hi=300),
        frontier=parse_bool(p.get("frontier", "true"), argument="frontier"),
        wheelchair=parse_bool(p.get("wheelchair"), argument="wheelchair"),
    )

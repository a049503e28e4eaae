"""Plan parameters as text (a query string's values, the command line's options) → a :class:`PlanRequest`.

One parser for ``/api/plan`` (:func:`webapp.params.plan_request`, which first checks the query
string's names) and ``greenroute plan`` (:func:`cli.main.main`), so both refuse bad input with the
same words. Nothing here reads a request object.
"""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from routing.core.errors import InvalidParameter
from routing.core.geo import parse_latlon
from routing.emissions.calories import DEFAULT_BODY_MASS_KG, MAX_BODY_MASS_KG, MIN_BODY_MASS_KG
from routing.emissions.vehicle import MAX_OCCUPANCY, MIN_OCCUPANCY
from routing.plan.request import DEFAULT_MAX_WALK_M, DEFAULT_MODES, MAX_WINDOW_MIN, MODE_ORDER, PlanRequest

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
#: The longest value of one parameter: longer ones are refused before they are parsed.
MAX_PARAM_LEN = 200
#: The longest walk to, from or between stops a request may allow.
MAX_WALK_LIMIT_M = 5000


def check_length(value: str | None, *, argument: str) -> None:
    """Refuse a value longer than :data:`MAX_PARAM_LEN` characters."""
    if value is not None and len(value) > MAX_PARAM_LEN:
        raise InvalidParameter(f"parameter {argument!r} is too long", argument=argument)


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


def plan_request_from_text(
    *,
    origin: str | None,
    destination: str | None,
    tz: ZoneInfo,
    modes: str | None = None,
    at: str | None = None,
    arrive_by: bool | str | None = None,
    window: str | None = None,
    max_walk_m: str | None = None,
    exclude_route_types: str | None = None,
    strict_dates: bool | str | None = None,
    car: str | None = None,
    occupancy: str | None = None,
    pack: str | None = None,
    body_mass_kg: str | None = None,
    frontier: bool | str | None = None,
    wheelchair: bool | str | None = None,
) -> PlanRequest:
    """The :class:`PlanRequest` these texts describe (``None``: not given, the default).

    Each text is named in errors as its ``/api/plan`` parameter (``origin`` is ``from``,
    ``destination`` is ``to``); a flag may be given as a bool or as text (``true``, ``0``, ...).

    Raises
    ------
    InvalidParameter
        For the first value that is too long, malformed or out of range, naming it.
    """
    texts = {
        "from": origin,
        "to": destination,
        "modes": modes,
        "at": at,
        "window": window,
        "max_walk_m": max_walk_m,
        "exclude_route_types": exclude_route_types,
        "car": car,
        "occupancy": occupancy,
        "pack": pack,
        "body_mass_kg": body_mass_kg,
    }
    flags = {"arrive_by": arrive_by, "strict_dates": strict_dates, "frontier": frontier, "wheelchair": wheelchair}
    for name, text in (*texts.items(), *flags.items()):
        check_length(text if isinstance(text, str) else None, argument=name)

    def flag(name: str, *, default: bool) -> bool:
        value = flags[name]
        if value is None:
            return default
        return value if isinstance(value, bool) else parse_bool(value, argument=name)

    return PlanRequest(
        origin=parse_latlon(origin, argument="from"),
        destination=parse_latlon(destination, argument="to"),
        modes=parse_modes(modes),
        at=parse_at(at, tz),
        arrive_by=flag("arrive_by", default=False),
        window_min=parse_int(window, argument="window", default=0, lo=0, hi=MAX_WINDOW_MIN),
        max_walk_m=parse_number(
            max_walk_m, argument="max_walk_m", default=DEFAULT_MAX_WALK_M, lo=0, hi=MAX_WALK_LIMIT_M
        ),
        exclude_route_types=parse_route_types(exclude_route_types),
        strict_dates=flag("strict_dates", default=False),
        car=car or None,
        occupancy=parse_int(occupancy, argument="occupancy", default=MIN_OCCUPANCY, lo=MIN_OCCUPANCY, hi=MAX_OCCUPANCY),
        pack=pack or None,
        body_mass_kg=parse_number(
            body_mass_kg,
            argument="body_mass_kg",
            default=DEFAULT_BODY_MASS_KG,
            lo=MIN_BODY_MASS_KG,
            hi=MAX_BODY_MASS_KG,
        ),
        frontier=flag("frontier", default=True),
        wheelchair=flag("wheelchair", default=False),
    )

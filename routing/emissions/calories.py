"""Estimated energy spent walking and cycling, from MET values of the Compendium of Physical
Activities.

kcal = MET x body mass (kg) x hours. This is *gross* energy expenditure: it includes the resting
metabolism (1 MET) the body spends anyway; the net extra is (MET - 1) x kg x hours. The MET is
chosen by the leg's average speed (distance / duration); slopes, load and fitness are ignored, so
every figure is labelled an estimate.

Sources
-------
- Ainsworth B.E. et al., 2011 Compendium of Physical Activities: a second update of codes and MET
  values. Med. Sci. Sports Exerc. 43(8):1575-1581. Walking 17151-17231, bicycling 01018-01060.
- Herrmann S.D. et al., 2024 Adult Compendium of Physical Activities. J. Sport Health Sci.
  13(1):6-12. E-bike 01084 (the 2011 edition has no e-bike row).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple, TypeGuard

from routing.core.errors import InvalidParameter

DEFAULT_BODY_MASS_KG = 70.0
MIN_BODY_MASS_KG = 20.0
MAX_BODY_MASS_KG = 300.0
_MPH_PER_MS = 3600.0 / 1609.344

_SOURCE_2011 = "Ainsworth et al., 2011 Compendium of Physical Activities, Med Sci Sports Exerc 43(8):1575-81"
_SOURCE_2024 = "Herrmann et al., 2024 Adult Compendium of Physical Activities, J Sport Health Sci 13(1):6-12"


class _Activity(NamedTuple):
    min_mph: float  # the row applies from this average speed up to the next row's
    code: str
    met: float
    description: str
    source: str


_WALKING: tuple[_Activity, ...] = (
    _Activity(0.0, "17151", 2.0, "walking, less than 2.0 mph, level, strolling, very slow", _SOURCE_2011),
    _Activity(2.0, "17152", 2.8, "walking, 2.0 mph, level, slow pace, firm surface", _SOURCE_2011),
    _Activity(2.5, "17170", 3.0, "walking, 2.5 mph, level, firm surface", _SOURCE_2011),
    _Activity(2.8, "17190", 3.5, "walking, 2.8 to 3.2 mph, level, moderate pace, firm surface", _SOURCE_2011),
    _Activity(3.35, "17200", 4.3, "walking, 3.5 mph, level, brisk, firm surface", _SOURCE_2011),
    _Activity(3.75, "17220", 5.0, "walking, 4.0 mph, level, firm surface, very brisk pace", _SOURCE_2011),
    _Activity(4.25, "17230", 7.0, "walking, 4.5 mph, level, firm surface, very, very brisk", _SOURCE_2011),
    _Activity(4.75, "17231", 8.3, "walking, 5.0 mph, level, firm surface", _SOURCE_2011),
)
_BICYCLING: tuple[_Activity, ...] = (
    _Activity(0.0, "01018", 3.5, "bicycling, leisure, 5.5 mph", _SOURCE_2011),
    _Activity(7.5, "01019", 5.8, "bicycling, leisure, 9.4 mph", _SOURCE_2011),
    _Activity(10.0, "01020", 6.8, "bicycling, 10-11.9 mph, leisure, slow, light effort", _SOURCE_2011),
    _Activity(12.0, "01030", 8.0, "bicycling, 12-13.9 mph, leisure, moderate effort", _SOURCE_2011),
    _Activity(14.0, "01040", 10.0, "bicycling, 14-15.9 mph, racing or leisure, fast, vigorous", _SOURCE_2011),
    _Activity(16.0, "01050", 12.0, "bicycling, 16-19 mph, racing, very fast", _SOURCE_2011),
    _Activity(20.0, "01060", 15.8, "bicycling, more than 20 mph, racing, not drafting", _SOURCE_2011),
)
_EBIKE: tuple[_Activity, ...] = (
    _Activity(0.0, "01084", 6.0, "e-bike (electrically assisted), light electronic support", _SOURCE_2024),
)
_TABLES: dict[str, tuple[_Activity, ...]] = {
    "walk": _WALKING,
    "bike": _BICYCLING,
    "ebike": _EBIKE,
}
ACTIVE_LEG_MODES: frozenset[str] = frozenset(_TABLES)


def check_body_mass(body_mass_kg: object) -> float:
    """Return ``body_mass_kg`` as a float, or raise InvalidParameter ("body_mass_kg")."""
    ok = (
        isinstance(body_mass_kg, int | float)
        and not isinstance(body_mass_kg, bool)
        and math.isfinite(body_mass_kg)
        and MIN_BODY_MASS_KG <= body_mass_kg <= MAX_BODY_MASS_KG
    )
    if not ok:
        raise InvalidParameter(
            f"body_mass_kg={body_mass_kg!r} is not valid: use a number of kilograms from "
            f"{MIN_BODY_MASS_KG:g} to {MAX_BODY_MASS_KG:g} (default {DEFAULT_BODY_MASS_KG:g})",
            argument="body_mass_kg",
        )
    return float(body_mass_kg)  # type: ignore[arg-type]


def _activity(mode: str, speed_ms: float) -> _Activity:
    mph = speed_ms * _MPH_PER_MS
    chosen = _TABLES[mode][0]
    for row in _TABLES[mode]:
        if mph >= row.min_mph:
            chosen = row
    return chosen


def leg_calories(
    mode: str, distance_m: object, duration_s: object, *, body_mass_kg: float
) -> tuple[float, dict[str, Any]] | None:
    """Estimate the kcal of one walking or cycling leg.

    Parameters
    ----------
    mode
        ``"walk"``, ``"bike"`` or ``"ebike"``; other modes give ``None``.
    distance_m, duration_s
        The leg's distance and moving time; unusable values (missing, negative, zero time)
        give ``None`` rather than a guess.
    body_mass_kg
        Already checked with :func:`check_body_mass`.

    Returns
    -------
    (kcal, method) or None
        ``method`` names the MET, Compendium code and activity, body mass, basis and source.
    """
    if mode not in _TABLES:
        return None
    if not (_finite(distance_m) and _finite(duration_s)):
        return None
    dist, dur = float(distance_m), float(duration_s)
    if dist < 0 or dur <= 0:
        return None
    act = _activity(mode, dist / dur)
    kcal = act.met * body_mass_kg * dur / 3600.0
    return kcal, {
        "estimate": True,
        "met": act.met,
        "activity_code": act.code,
        "activity": act.description,
        "body_mass_kg": body_mass_kg,
        "basis": "gross (includes resting metabolism, 1 MET)",
        "method": "kcal = MET x body mass kg x hours, MET by average speed",
        "source": act.source,
    }


def _finite(x: object) -> TypeGuard[float]:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


__all__ = [
    "ACTIVE_LEG_MODES",
    "DEFAULT_BODY_MASS_KG",
    "MAX_BODY_MASS_KG",
    "MIN_BODY_MASS_KG",
    "check_body_mass",
    "leg_calories",
]

"""The vocabulary of factor modes, and how legs and GTFS route types map onto it.

Factor packs name their factors with these modes; anything else in a pack is an error. The
GTFS mapping follows the basic ``route_type`` values of the GTFS reference and Google's extended
route types (hierarchical vehicle types).
"""

from __future__ import annotations

CAR_FUELS: tuple[str, ...] = ("petrol", "diesel", "hybrid", "plugin-hybrid", "electric")
CAR_SIZES: tuple[str, ...] = ("small", "medium", "large")

CAR_MODES: frozenset[str] = frozenset(
    [f"car-{fuel}" for fuel in CAR_FUELS] + [f"car-{fuel}-{size}" for fuel in CAR_FUELS for size in CAR_SIZES]
)
STREET_MODES: frozenset[str] = frozenset({"walk", "bicycle", "ebike", "escooter", "motorbike", "taxi"})
TRANSIT_MODES: frozenset[str] = frozenset(
    {
        "bus",
        "bus-electric",
        "trolleybus",
        "coach",
        "rail",
        "suburban-rail",
        "tram",
        "metro",
        "monorail",
        "ferry",
        "cable-tram",
        "aerial-lift",
        "funicular",
    }
)
KNOWN_MODES: frozenset[str] = CAR_MODES | STREET_MODES | TRANSIT_MODES

# Modes whose factors must be per vehicle-km (divided by the people in the car), and modes that
# may be either (a motorbike carries its rider alone); every other mode is per passenger-km.
VEHICLE_KM_MODES: frozenset[str] = CAR_MODES
EITHER_UNIT_MODES: frozenset[str] = frozenset({"motorbike"})

# Leg modes of the plan answer that map directly to one factor mode ("drive" depends on the car).
LEG_MODE_FACTOR: dict[str, str] = {
    "walk": "walk",
    "bike": "bicycle",
    "ebike": "ebike",
    "escooter": "escooter",
    "taxi": "taxi",
    "motorbike": "motorbike",
}

# A pack without the mapped mode may still have a close relative; using it is disclosed.
TRANSIT_FALLBACKS: dict[str, tuple[str, ...]] = {
    "suburban-rail": ("rail",),
    "rail": ("suburban-rail",),
    "monorail": ("metro",),
    "cable-tram": ("tram",),
}
# What a route type that maps to nothing (air, miscellaneous, unknown codes) is counted as.
UNMAPPED_FALLBACK = "bus"

_BASIC_ROUTE_TYPES: dict[int, str] = {
    0: "tram",
    1: "metro",
    2: "rail",
    3: "bus",
    4: "ferry",
    5: "cable-tram",
    6: "aerial-lift",
    7: "funicular",
    11: "trolleybus",
    12: "monorail",
}
_EXTENDED_SPECIFIC: dict[int, str] = {
    109: "suburban-rail",  # Suburban Railway
    405: "monorail",
    1501: "taxi",  # Communal Taxi Service
}
# Extended types by hundred: 100s rail, 200s coach, 300s suburban rail, 400s urban rail,
# 500s metro, 600s underground, 700s bus, 800s trolleybus, 900s tram, 1000s water,
# 1200s ferry, 1300s aerial lift, 1400s funicular, 1500s taxi. 1100s (air) and 1700s
# (miscellaneous) have no ground-transport factor.
_EXTENDED_BY_HUNDRED: dict[int, str] = {
    1: "rail",
    2: "coach",
    3: "suburban-rail",
    4: "metro",
    5: "metro",
    6: "metro",
    7: "bus",
    8: "trolleybus",
    9: "tram",
    10: "ferry",
    12: "ferry",
    13: "aerial-lift",
    14: "funicular",
    15: "taxi",
}


def route_type_mode(route_type: int) -> str | None:
    """Return the factor mode of a GTFS ``route_type`` (basic or extended), or ``None``.

    Parameters
    ----------
    route_type
        The route's ``route_type`` as an integer.

    Returns
    -------
    str or None
        A mode of :data:`TRANSIT_MODES` (or ``"taxi"`` for 1500s), ``None`` when the type has no
        ground-transport meaning (air, miscellaneous, unknown codes).
    """
    if route_type in _BASIC_ROUTE_TYPES:
        return _BASIC_ROUTE_TYPES[route_type]
    if route_type in _EXTENDED_SPECIFIC:
        return _EXTENDED_SPECIFIC[route_type]
    if 100 <= route_type < 1600:
        return _EXTENDED_BY_HUNDRED.get(route_type // 100)
    return None


def car_mode(car: str) -> str:
    """Return the factor mode of a ``FUEL`` or ``FUEL-SIZE`` car name (``"car-" + car``)."""
    return f"car-{car}"


def unit_ok(mode: str, unit: str) -> bool:
    """Tell whether ``unit`` suits ``mode`` (cars per vehicle-km, transit per passenger-km)."""
    if mode in EITHER_UNIT_MODES:
        return unit in ("g/vehicle-km", "g/passenger-km")
    if mode in VEHICLE_KM_MODES:
        return unit == "g/vehicle-km"
    return unit == "g/passenger-km"


__all__ = [
    "CAR_FUELS",
    "CAR_MODES",
    "CAR_SIZES",
    "KNOWN_MODES",
    "LEG_MODE_FACTOR",
    "STREET_MODES",
    "TRANSIT_FALLBACKS",
    "TRANSIT_MODES",
    "UNMAPPED_FALLBACK",
    "car_mode",
    "route_type_mode",
    "unit_ok",
]

"""Exceptions raised by the routing engine.

Each exception names the argument that was wrong, so callers (the API, the CLI) can tell the user
exactly what to fix. ``code`` is the stable machine-readable error code the API returns.
"""

from __future__ import annotations


class GreenrouteError(Exception):
    """Base class of every error the engine raises on purpose."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument


class InvalidCoordinates(GreenrouteError):
    """A coordinate is not a finite latitude/longitude pair."""

    code = "invalid_coordinates"


class OutsideArea(GreenrouteError):
    """A point lies outside the city's area or too far from any usable street."""

    code = "outside_area"
    status = 422


class SameOriginDestination(GreenrouteError):
    """Origin and destination snap to the same place."""

    code = "same_origin_destination"
    status = 422


class NoRoute(GreenrouteError):
    """No path exists for a mode between two points (for example an island)."""

    code = "no_route"
    status = 422


class NotStepFree(GreenrouteError):
    """A mode that is not planned step-free was asked for with ``wheelchair=true``."""

    code = "not_stepfree"
    status = 422


class NoTimetable(GreenrouteError):
    """A transit mode was asked of a city built without GTFS feeds."""

    code = "no_timetable"
    status = 422


class NoStreetConnection(NoRoute):
    """Origin and destination lie on street networks of one mode that do not join in the OSM data."""

    code = "no_street_connection"


class InvalidParameter(GreenrouteError):
    """A query parameter has a wrong type, range or value."""

    code = "invalid_parameter"


class CityNotFound(GreenrouteError):
    """No seeds or compiled graphs exist for the named city."""

    code = "city_not_found"
    status = 404


class BuildError(GreenrouteError):
    """The inputs of a city build are unusable (not OSM, not GTFS, bad DEM, bad time zone...)."""

    code = "build_error"


class FactorPackError(GreenrouteError):
    """An emission-factor pack is missing or invalid."""

    code = "factor_pack_error"


class QueryTimeout(GreenrouteError):
    """A query exceeded its time budget."""

    code = "timeout"
    status = 503


__all__ = [
    "BuildError",
    "CityNotFound",
    "FactorPackError",
    "GreenrouteError",
    "InvalidCoordinates",
    "InvalidParameter",
    "NoRoute",
    "NoStreetConnection",
    "OutsideArea",
    "QueryTimeout",
    "SameOriginDestination",
]

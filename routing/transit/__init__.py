"""Public transport: GTFS timetables compiled to flat arrays, and RAPTOR journeys over them.

Compiled by :mod:`routing.transit.build` (build time only), loaded with
:meth:`Timetable.load`, and answer :class:`TransitQuery` objects with :class:`TransitRouter`.
"""

from routing.transit.fares import journey_fare
from routing.transit.footpaths import FootpathFn, straight_line_footpaths
from routing.transit.journeys import journey_legs
from routing.transit.query import Journey, RideLeg, TransferLeg, TransitAnswer, TransitQuery
from routing.transit.router import TransitRouter
from routing.transit.timetable import Timetable

__all__ = [
    "FootpathFn",
    "Journey",
    "RideLeg",
    "Timetable",
    "TransferLeg",
    "TransitAnswer",
    "TransitQuery",
    "TransitRouter",
    "journey_fare",
    "journey_legs",
    "straight_line_footpaths",
]

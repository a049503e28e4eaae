"""Public transport: GTFS timetables compiled to flat arrays, and RAPTOR journeys over them.

Build with :func:`build_transit` (a city) or :func:`build_timetable` (feeds), load with
:meth:`Timetable.load`, and answer :class:`TransitQuery` objects with :class:`TransitRouter`.
"""

from routing.transit.build import build_timetable, build_transit
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
    "build_timetable",
    "build_transit",
    "journey_fare",
    "journey_legs",
    "straight_line_footpaths",
]

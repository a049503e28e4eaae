"""Public transport: GTFS timetables compiled to flat arrays, and RAPTOR journeys over them.

Compiled by :mod:`routing.transit.build` (build time only), loaded with
:meth:`Timetable.load`, and answer :class:`TransitQuery` objects with :class:`TransitRouter`.
The transfer footpaths (:mod:`routing.transit.footpaths`, scipy's graph search) are build code
too, and so are not imported here: a server never loads them.
"""

from routing.transit.fares import journey_fare
from routing.transit.journeys import journey_legs
from routing.transit.query import Journey, RideLeg, TransferLeg, TransitAnswer, TransitQuery
from routing.transit.router import TransitRouter
from routing.transit.timetable import Timetable

__all__ = [
    "Journey",
    "RideLeg",
    "Timetable",
    "TransferLeg",
    "TransitAnswer",
    "TransitQuery",
    "TransitRouter",
    "journey_fare",
    "journey_legs",
]

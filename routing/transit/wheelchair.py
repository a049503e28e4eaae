"""Step-free transit: a view of a timetable without the trips and stops a wheelchair cannot use.

GTFS states accessibility per trip (``trips.txt`` ``wheelchair_accessible``) and per stop
(``stops.txt`` ``wheelchair_boarding``): 1 accessible, 2 not, 0 or empty not stated; a stop that
does not state it takes its parent station's value (the GTFS reference). As OpenTripPlanner does
by default, a step-free search drops what is stated inaccessible (2) and keeps what is not stated,
which the answer then says per leg.

The view is made the way the realtime view is (:mod:`routing.transit.realtime_view`): another
:class:`~routing.transit.timetable.Timetable` sharing every unchanged array, so the router and its
RAPTOR kernel search it unchanged. An inaccessible trip is moved to a service that never runs;
boarding and alighting are closed at the pattern positions of inaccessible stops; the footpaths
between stops may be replaced by step-free ones.
"""

from __future__ import annotations

import copy

import numpy as np
from numpy.typing import NDArray

from routing.transit.timetable import Timetable

NOT_STATED, ACCESSIBLE, INACCESSIBLE = 0, 1, 2

Footpaths = tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.int32]]  # fp_start, fp_to, fp_secs


def stop_wheelchair(tt: Timetable) -> NDArray[np.int8]:
    """Stop → its wheelchair boarding (0, 1, 2), a stop's own 0 replaced by its parent station's."""
    own = np.asarray(tt.meta.get("stop_wheelchair") or np.zeros(tt.stop_count), dtype=np.int8)
    parent = np.asarray(tt.stop_parent)
    inherited = np.where(parent >= 0, own[np.maximum(parent, 0)], NOT_STATED)
    return np.where(own == NOT_STATED, inherited, own).astype(np.int8)


def trip_wheelchair(tt: Timetable) -> NDArray[np.int8]:
    """Trip → its wheelchair accessibility (0, 1, 2), by the GTFS trip it was expanded from."""
    groups = tt.meta.get("trip_wheelchair")
    if not groups:
        return np.zeros(tt.trip_count, dtype=np.int8)
    return np.asarray(groups, dtype=np.int8)[np.asarray(tt.trip_group)]


def wheelchair_timetable(tt: Timetable, *, footpaths: Footpaths | None = None) -> Timetable:
    """``tt`` without trips or stops stated inaccessible (and with ``footpaths`` when given).

    The result is of ``tt``'s own class (a realtime view stays one, with its ``info``); trip,
    stop, route and pattern indices are unchanged.
    """
    view = copy.copy(tt)
    never = tt.service_days.shape[0]  # the index of the appended service that runs on no day
    view.service_days = np.vstack([np.asarray(tt.service_days), np.zeros((1, tt.service_days.shape[1]), np.uint8)])
    closed_trip = trip_wheelchair(tt) == INACCESSIBLE
    view.trip_service = np.where(closed_trip, never, np.asarray(tt.trip_service)).astype(np.int32)
    closed_at = (stop_wheelchair(tt) == INACCESSIBLE)[np.asarray(tt.pattern_stops)]
    view.pattern_pickup = np.where(closed_at, 0, np.asarray(tt.pattern_pickup)).astype(np.uint8)
    view.pattern_dropoff = np.where(closed_at, 0, np.asarray(tt.pattern_dropoff)).astype(np.uint8)
    if footpaths is not None:
        view.fp_start, view.fp_to, view.fp_secs = footpaths
    return view


def csr_footpaths(n_stops: int, frm: NDArray[np.int64], to: NDArray[np.int64], secs: NDArray[np.int64]) -> Footpaths:
    """Footpath triples as the timetable's CSR arrays, each stop's sorted by walking time (the
    router stops reading a stop's footpaths at the first one over its limit)."""
    order = np.lexsort((to, secs, frm))
    start = np.zeros(n_stops + 1, np.int64)
    np.cumsum(np.bincount(frm, minlength=n_stops), out=start[1:])
    return start, to[order].astype(np.int32), secs[order].astype(np.int32)

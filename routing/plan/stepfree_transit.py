"""Step-free transit journeys: step-free footpaths between stops and the accessibility of each ride.

:func:`stepfree_footpaths` re-walks every footpath of the timetable whose two stops are on the
street network along the step-free walk graph (:func:`routing.street.stepfree.stepfree_graph`):
one that needs steps is dropped, a longer step-free detour takes its place when it stays within
the build's longest footpath. Footpaths with an end off the streets, or inside one station, are
kept as they are (nothing is known about them). :func:`annotate_wheelchair` tells, per ride leg,
what the feed states about the trip and its two stops.
"""

from __future__ import annotations

import numpy as np
import routingkit_cch
from numpy.typing import NDArray

from routing.core.answer import Leg, Notice, TransitLeg, each_ride, evolve
from routing.street.footpaths import MAX_FOOTPATH_S
from routing.street.graph import StreetGraph
from routing.transit import Timetable
from routing.transit.query import Journey, RideLeg
from routing.transit.wheelchair import (
    ACCESSIBLE,
    INACCESSIBLE,
    NOT_STATED,
    Footpaths,
    csr_footpaths,
    stop_wheelchair,
    trip_wheelchair,
)

#: The per-leg notice of a ride whose trip or stop accessibility the feed leaves unstated.
NOT_STATED_NOTICE = Notice(code="accessibility_not_stated", message="accessibility not stated by the operator")
_STATE = {NOT_STATED: "not_stated", ACCESSIBLE: "accessible", INACCESSIBLE: "inaccessible"}


def stepfree_footpaths(
    tt: Timetable, walk: StreetGraph, stop_node: NDArray[np.int32], stop_offset_s: NDArray[np.float32]
) -> Footpaths:
    """The timetable's footpaths walked step-free (``walk`` is the step-free walk graph)."""
    start, fp_to, fp_secs = (np.asarray(a) for a in (tt.fp_start, tt.fp_to, tt.fp_secs))
    n = tt.stop_count
    frm = np.repeat(np.arange(n, dtype=np.int64), np.diff(start))
    to = fp_to.astype(np.int64)
    secs = fp_secs.astype(np.int64)
    parent = np.asarray(tt.stop_parent)
    station = np.where(parent >= 0, parent, np.arange(n))
    on_streets = (stop_node[frm] >= 0) & (stop_node[to] >= 0) & (station[frm] != station[to])
    keep = np.ones(len(to), dtype=np.bool_)
    search = routingkit_cch.CCHOneToMany(walk.metric, [0])
    offset = np.asarray(stop_offset_s, dtype=np.float64)
    for s in np.unique(frm[on_streets]).tolist():
        idx = np.flatnonzero(on_streets[start[s] : start[s + 1]]) + int(start[s])
        search.repin_targets(stop_node[to[idx]].tolist())
        ms = np.array(search.distances_from(int(stop_node[s])), dtype=np.float64)  # None → nan
        walk_s = offset[s] + ms / 1000.0 + offset[to[idx]]
        ok = walk_s <= MAX_FOOTPATH_S  # nan (no step-free way) is not
        keep[idx[~ok]] = False
        secs[idx[ok]] = np.maximum(secs[idx[ok]], np.rint(walk_s[ok]).astype(np.int64))
    return csr_footpaths(n, frm[keep], to[keep], secs[keep])


def annotate_wheelchair(tt: Timetable, journey: Journey, legs: list[Leg | TransitLeg]) -> list[Leg | TransitLeg]:
    """``legs`` with each ride's ``wheelchair`` (trip, boarding stop, alighting stop: ``"accessible"``
    or ``"not_stated"``) and, when something is not stated, the notice :data:`NOT_STATED_NOTICE`;
    new legs, ``legs`` unchanged."""
    trips = trip_wheelchair(tt)
    stops = stop_wheelchair(tt)

    def change(leg: TransitLeg, ride: RideLeg) -> TransitLeg:
        pattern = tt.pattern_slice(int(tt.trip_pattern[ride.trip]))
        states = (int(trips[ride.trip]), int(stops[int(pattern[ride.board])]), int(stops[int(pattern[ride.alight])]))
        wheelchair = (_STATE[states[0]], _STATE[states[1]], _STATE[states[2]])
        notices = (*leg.notices, NOT_STATED_NOTICE) if NOT_STATED in states else leg.notices
        return evolve(leg, wheelchair=wheelchair, notices=notices)

    return each_ride(legs, journey.rides, change)

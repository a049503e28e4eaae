"""The RAPTOR search state (:mod:`routing.transit.raptor`'s arrays), in three named groups as
nigiri's ``raptor_state``: :class:`Network` (one search direction's timetable, fixed),
:class:`Day` (the trips of one date and the query's filters) and :class:`Labels` (reused by every
query), each array commented with its mapping.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

#: "Not reached". Labels are int32 seconds (half the cache lines of int64: 7-12 % faster
#: queries in bench/transit.py's), so this is 2**30 s, 34 years, beyond any time a search adds
#: up (numba sums int32 values as int64, so ``INF`` plus a walk does not wrap).
INF = np.int64(1) << np.int64(30)


class Network(NamedTuple):
    """The timetable arrays of one search direction that the kernel reads (see ``Directed``)."""

    pattern_stops_start: np.ndarray  # pattern → first offset into pattern_stops; one extra end entry
    pattern_stops: np.ndarray  # pattern stop → stop
    pattern_dropoff: np.ndarray  # pattern stop → 1 if riders may alight there
    pattern_route: np.ndarray  # pattern → route
    stop_pat_start: np.ndarray  # stop → first offset into stop_pat / stop_pat_pos; one extra end entry
    stop_pat: np.ndarray  # stop-pattern slot → pattern
    stop_pat_pos: np.ndarray  # stop-pattern slot → the stop's position in that pattern
    trip_route: np.ndarray  # trip → route
    trip_group: np.ndarray  # trip → transfer-rule group (-1: none)
    trip_pattern: np.ndarray  # trip → pattern
    st_arr: np.ndarray  # template offset + position → arrival seconds (before the trip's shift)
    st_dep: np.ndarray  # template offset + position → departure seconds (before the trip's shift)
    fp_start: np.ndarray  # stop → first offset into fp_to / fp_secs; one extra end entry
    fp_to: np.ndarray  # footpath → the stop it leads to (a stop's footpaths sorted by fp_secs)
    fp_secs: np.ndarray  # footpath → walking seconds (minimum change included)
    xr_start: np.ndarray  # stop → first offset into the xr_* transfer rules; one extra end entry
    xr_from_route: np.ndarray  # rule → route arrived on (-1: any)
    xr_to_route: np.ndarray  # rule → route boarded (-1: any)
    xr_from_trip: np.ndarray  # rule → trip group arrived on (-1: any)
    xr_to_trip: np.ndarray  # rule → trip group boarded (-1: any)
    xr_secs: np.ndarray  # rule → minimum transfer seconds (-1: not possible)
    stop_trip_rule: np.ndarray  # stop → 1 if a rule there names the trip boarded
    # stop → 1 if any rule is there: one byte read where the two xr_start bounds took two int64
    # reads from an array eight times the size
    stop_rule: np.ndarray


class Day(NamedTuple):
    """The trips of one search date (a ``DayView``), what its seated rides record, and the filters."""

    view_start: np.ndarray  # pattern → first view entry; one extra end entry
    view_trip: np.ndarray  # view entry → trip
    view_tt: np.ndarray  # view entry → the trip's template offset into st_arr / st_dep
    view_shift: np.ndarray  # view entry → seconds added to the template times
    view_off: np.ndarray  # view entry → the service day's offset (0, ±86400)
    view_next: np.ndarray  # view entry → the entry its vehicle continues as (-1: none)
    view_prev: np.ndarray  # view entry → the entry it continues (-1: none)
    seat_board: np.ndarray  # (round, view entry) → boarding position of a seated ride's first trip
    seat_chain: np.ndarray  # (round, view entry) → 1 if that first trip was itself entered seated
    pat_ok: np.ndarray  # pattern → 1 if its route type is not excluded
    slot_ok: np.ndarray  # stop-pattern slot → 1 if a rider may board there today with the filters


class Labels(NamedTuple):
    """Label and work arrays of one direction, allocated once and reused by every query."""

    ride: np.ndarray  # (round, stop) → earliest arrival by a ride
    walk: np.ndarray  # (round, stop) → earliest arrival on foot after a ride (round 0: the origin)
    best_ride: np.ndarray  # stop → earliest ride arrival in any round so far
    best_walk: np.ndarray  # stop → earliest walk arrival in any round so far
    walk_floor: np.ndarray  # stop → a walk arriving then or later is dominated (INF at targets)
    r_view: np.ndarray  # (round, stop) → view entry of the ride label's trip
    r_board: np.ndarray  # (round, stop) → position boarded in that trip's pattern
    r_alight: np.ndarray  # (round, stop) → position alighted
    r_seat: np.ndarray  # (round, stop) → 1 if the trip was entered by staying seated
    w_from: np.ndarray  # (round, stop) → stop the walk label came from (-1: a source)
    marked: np.ndarray  # stop → 1 while listed in the marked stops of a round
    mark_a: np.ndarray  # list of stops marked for one round (swapped with mark_b)
    mark_b: np.ndarray  # list of stops marked for the other
    is_ride: np.ndarray  # stop → 1 while listed in ride_list
    ride_list: np.ndarray  # list of stops with a ride label this round
    pat_first: np.ndarray  # pattern → first marked position (-1: pattern not touched)
    pat_last: np.ndarray  # pattern → last marked position
    pmark: np.ndarray  # pattern stop → 1 if a rider may board there this round
    touched: np.ndarray  # list of patterns to scan this round
    cont_view: np.ndarray  # list of view entries whose vehicle continues (stay seated)
    cont_board: np.ndarray  # their boarding positions
    egress: np.ndarray  # stop → walking seconds to the destination (-1: not a target)
    bound: np.ndarray  # [earliest arrival at the destination so far] (target pruning)
    round_best: np.ndarray  # round → earliest arrival at the destination
    round_pick: np.ndarray  # round → the target stop it came by (see target_arrivals)


def new_labels(*, n_stops: int, n_patterns: int, n_pattern_stops: int, n_rounds: int) -> Labels:
    """:class:`Labels` for a timetable of these sizes and up to ``n_rounds - 1`` rides."""
    k = n_rounds

    def full(shape: int | tuple[int, int], value: int | np.int64, dtype: type) -> np.ndarray:
        return np.full(shape, value, dtype=dtype)

    return Labels(
        ride=full((k, n_stops), INF, np.int32),
        walk=full((k, n_stops), INF, np.int32),
        best_ride=full(n_stops, INF, np.int32),
        best_walk=full(n_stops, INF, np.int32),
        walk_floor=full(n_stops, INF, np.int32),
        r_view=full((k, n_stops), 0, np.int32),
        r_board=full((k, n_stops), 0, np.int32),
        r_alight=full((k, n_stops), 0, np.int32),
        r_seat=full((k, n_stops), 0, np.uint8),
        w_from=full((k, n_stops), 0, np.int32),
        marked=full(n_stops, 0, np.uint8),
        mark_a=full(n_stops, 0, np.int32),
        mark_b=full(n_stops, 0, np.int32),
        is_ride=full(n_stops, 0, np.uint8),
        ride_list=full(n_stops, 0, np.int32),
        pat_first=full(n_patterns, -1, np.int32),
        pat_last=full(n_patterns, -1, np.int32),
        pmark=full(n_pattern_stops, 0, np.uint8),
        touched=full(n_patterns, 0, np.int32),
        cont_view=full(n_patterns, 0, np.int64),
        cont_board=full(n_patterns, 0, np.int32),
        egress=full(n_stops, -1, np.int32),
        bound=full(1, INF, np.int64),
        round_best=full(k, INF, np.int64),
        round_pick=full(k, 0, np.int64),
    )

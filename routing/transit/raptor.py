"""RAPTOR (Delling, Pajor, Werneck 2012): earliest arrival by number of rides, over flat arrays.

One compiled kernel, :func:`raptor_rounds`, serves depart-at searches on the forward timetable,
arrive-by searches on the reversed one, and rRAPTOR range queries (run again for an earlier
departure without resetting the labels, which stay valid upper bounds).

Model, shared with the brute-force oracle in the tests:

* a rider boards a trip at a stop once ready: at the walk label (arrived on foot, or the origin),
  or at the ride label plus the stop's minimum transfer time for that route/trip pair
  (transfers.txt; ``min_change`` when no rule; -1 = not possible);
* one footpath may follow the origin and each ride, so journeys are ``walk? (ride walk?)+`` and
  the model is the same read forwards or backwards. The build chains walks (a footpath is the
  shortest walk between its stops, :func:`routing.transit.footpaths.transitive_walks`), so one
  footpath is all a rider needs; those longer than ``fp_limit`` (the query's walking limit)
  are not taken;
* a trip whose vehicle continues as the next trip of its block carries the rider on, in the
  same round (staying seated is not a transfer).

Labels per round are kept in ``ride[k, stop]`` / ``walk[k, stop]`` with the parent pointers
needed to rebuild journeys (:mod:`routing.transit.journeys`).

The arrays travel in three named groups, as nigiri's ``raptor_state``: ``Network``, ``Day`` and
``Labels`` (:mod:`routing.transit.raptor_state`). A round runs four named phases:
:func:`collect_patterns`, :func:`scan_patterns`, :func:`stay_seated` and
:func:`relax_footpaths`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from routing.transit.kernel_clock import monotonic_s
from routing.transit.raptor_state import INF

# Unsigned indices: the kernels cast the stop, pattern and offset indices of their hot loops
# to ``np.uint32``, because numba compiles an index of a signed type with a check for a
# negative one (Python's wraparound) and an unsigned index without; the casts made
# bench/transit.py's queries 15-20 % faster. uint32, not uintp: numba types uint64 + int64 as
# float64, while uint32 + int64 stays int64, so ``s + 1`` still indexes. Loops over a CSR run
# (footpaths, a stop's patterns) take uint64 bounds: their variable only ever indexes.

#: What :func:`raptor_rounds` returns when its deadline passed before the last round.
TIMED_OUT = -1


@njit(cache=True, inline="always")
def _xfer(net, s, from_route, from_group, to_route, to_group, default):  # pragma: no cover - compiled
    # Rules are sorted most specific first, so the first that matches decides.
    for r in range(net.xr_start[s], net.xr_start[s + 1]):
        if net.xr_from_route[r] >= 0 and net.xr_from_route[r] != from_route:
            continue
        if net.xr_to_route[r] >= 0 and net.xr_to_route[r] != to_route:
            continue
        if net.xr_from_trip[r] >= 0 and net.xr_from_trip[r] != from_group:
            continue
        if net.xr_to_trip[r] >= 0 and (to_group < 0 or net.xr_to_trip[r] != to_group):
            continue
        return net.xr_secs[r]
    return default


@njit(cache=True)
def start_labels(net, lab, src_stop, src_time, n_rounds, fp_limit, reset):  # pragma: no cover - compiled
    """Phase 0: the round-0 labels at the sources and one footpath from them; returns how many
    stops it marked (listed in ``lab.mark_a``). ``reset`` clears the labels first (rRAPTOR
    keeps them between the runs of one range query)."""
    walk, best_walk, w_from, marked, mark_a = lab.walk, lab.best_walk, lab.w_from, lab.marked, lab.mark_a
    floor, egress = lab.walk_floor, lab.egress
    if reset:
        lab.ride[: n_rounds + 1, :] = INF
        walk[: n_rounds + 1, :] = INF
        lab.best_ride[:] = INF
        best_walk[:] = INF
        floor[:] = INF
        lab.bound[0] = INF
        lab.pat_first[:] = -1
    bound = lab.bound[0]
    marked[:] = 0
    n_mark = 0
    for i in range(src_stop.shape[0]):
        s = src_stop[i]
        t = src_time[i]
        if t < walk[0, s]:
            walk[0, s] = t
            w_from[0, s] = -1
            if t < best_walk[s]:
                best_walk[s] = t
                if egress[s] < 0 and t < floor[s]:
                    floor[s] = t
            if marked[s] == 0:
                marked[s] = 1
                mark_a[n_mark] = s
                n_mark += 1
    # A footpath may also come first: from an origin stop to a nearby one (a station's
    # platform, say). It starts from the source time, never from another footpath.
    for i in range(src_stop.shape[0]):
        s = src_stop[i]
        for f in range(net.fp_start[s], net.fp_start[s + 1]):
            if net.fp_secs[f] > fp_limit:
                break  # footpaths are sorted by walking time
            t = net.fp_to[f]
            a = src_time[i] + net.fp_secs[f]
            if a < walk[0, t] and a < bound:
                walk[0, t] = a
                w_from[0, t] = s
                if a < best_walk[t]:
                    best_walk[t] = a
                    if egress[t] < 0 and a < floor[t]:
                        floor[t] = a
                if marked[t] == 0:
                    marked[t] = 1
                    mark_a[n_mark] = t
                    n_mark += 1
    return n_mark


@njit(cache=True)
def collect_patterns(net, day, lab, k, mark, n_mark, bound):  # pragma: no cover - compiled
    """Phase 1 of round ``k``: the patterns to scan from the ``n_mark`` stops listed in ``mark``,
    with the positions where a rider may board (``lab.pmark``) and the first and last of them;
    returns how many patterns it listed in ``lab.touched``."""
    walk, ride, marked = lab.walk, lab.ride, lab.marked
    pat_first, pat_last, touched, pmark = lab.pat_first, lab.pat_last, lab.touched, lab.pmark
    spat_start, spat, spat_pos, pst_start = net.stop_pat_start, net.stop_pat, net.stop_pat_pos, net.pattern_stops_start
    slot_ok = day.slot_ok
    n_touched = 0
    for mi in range(n_mark):
        s = np.uint32(mark[mi])  # see "Unsigned indices" above
        marked[s] = 0
        # A label set before the bound last tightened may be of no use any more.
        if walk[k - 1, s] >= bound and ride[k - 1, s] >= bound:
            continue
        for slot in range(np.uint64(spat_start[s]), np.uint64(spat_start[s + 1])):
            if slot_ok[slot] == 0:
                continue
            p = np.uint32(spat[slot])
            pos = spat_pos[slot]
            pmark[pst_start[p] + pos] = 1
            first = pat_first[p]
            if first < 0:
                touched[n_touched] = p
                n_touched += 1
                pat_first[p] = pos
                pat_last[p] = pos
            else:
                # min/max compile to conditional moves instead of two unpredictable branches
                # (any gain was within the noise of bench/transit.py when measured alone).
                pat_first[p] = min(first, pos)
                pat_last[p] = max(pat_last[p], pos)
    return n_touched


@njit(cache=True)
def scan_patterns(net, day, lab, k, n_touched, nxt, min_change, bound):  # pragma: no cover - compiled
    """Phase 2 of round ``k``: ride each touched pattern's earliest catchable trip onward.

    Improved stops are listed in ``nxt`` (marked for the next round) and ``lab.ride_list``;
    trips whose vehicle continues are listed in ``lab.cont_view`` / ``lab.cont_board``.
    Returns ``(listed in nxt, listed in ride_list, listed to continue, bound)``.
    """
    pst_start, pst, pdrop, proute = net.pattern_stops_start, net.pattern_stops, net.pattern_dropoff, net.pattern_route
    st_arr, st_dep, stop_rule, stop_trip_rule = net.st_arr, net.st_dep, net.stop_rule, net.stop_trip_rule
    trip_route, trip_group = net.trip_route, net.trip_group
    view_start, view_trip, view_tt, view_shift, view_next = (
        day.view_start,
        day.view_trip,
        day.view_tt,
        day.view_shift,
        day.view_next,
    )
    ride, walk, best_ride, marked, is_ride, ride_list = (
        lab.ride,
        lab.walk,
        lab.best_ride,
        lab.marked,
        lab.is_ride,
        lab.ride_list,
    )
    r_view, r_board, r_alight, r_seat = lab.r_view, lab.r_board, lab.r_alight, lab.r_seat
    pat_first, pat_last, pmark, touched = lab.pat_first, lab.pat_last, lab.pmark, lab.touched
    egress_secs, floor = lab.egress, lab.walk_floor
    n_next = 0
    n_ride = 0
    n_cont = 0
    for ti in range(n_touched):
        p = np.uint32(touched[ti])  # see "Unsigned indices" above
        j0 = pat_first[p]
        j_last = pat_last[p]
        pat_first[p] = -1
        vs = view_start[p]
        ve = view_start[p + 1]
        o = pst_start[p]
        n = pst_start[p + 1] - o
        route = proute[p]
        cur = -1
        board = -1
        # The current trip's time offsets, kept in locals: the label writes below could
        # alias the view arrays as far as the compiler knows, forcing reloads.
        cur_tt = 0
        cur_shift = 0
        jn = j0
        while jn < n:
            j = jn
            jn += 1
            oj = np.uint32(o + j)
            s = np.uint32(pst[oj])
            alive = False
            if cur >= 0:
                a = st_arr[np.uint32(cur_tt + j)] + cur_shift
                alive = a < bound
                if alive and pdrop[oj] != 0 and a < best_ride[s]:
                    ride[k, s] = a
                    best_ride[s] = a
                    r_view[k, s] = cur
                    r_board[k, s] = board
                    r_alight[k, s] = j
                    r_seat[k, s] = 0
                    # With no transfer rule at s, this ride plus the change dominates later walks.
                    if egress_secs[s] < 0 and stop_rule[s] == 0 and a + min_change < floor[s]:
                        floor[s] = a + min_change
                    if marked[s] == 0:
                        marked[s] = 1
                        nxt[n_next] = s
                        n_next += 1
                    if is_ride[s] == 0:
                        is_ride[s] = 1
                        ride_list[n_ride] = s
                        n_ride += 1
                    if egress_secs[s] >= 0 and a + egress_secs[s] < bound:
                        bound = a + egress_secs[s]
            if pmark[oj] == 0:
                if not alive:
                    # The trip ridden (if any) is past the bound and its times only grow
                    # (the build drops trips whose times go backwards): only a boarding at
                    # a stop improved last round can still help.
                    while jn <= j_last and pmark[o + jn] == 0:
                        jn += 1
                    if jn > j_last:
                        break
                continue
            pmark[oj] = 0
            w = walk[k - 1, s]
            rr = ride[k - 1, s]
            if w >= INF and rr >= INF:
                continue
            from_route = -1
            from_group = -1
            has_rules = stop_rule[s] != 0
            if rr < INF and has_rules:  # the trip arrived on only matters to a rule
                ft = view_trip[r_view[k - 1, s]]
                from_route = trip_route[ft]
                from_group = trip_group[ft]
            hi = cur if cur >= 0 else ve
            if stop_trip_rule[s] == 0:
                ready = w
                if rr < INF:
                    x = min_change
                    if has_rules:
                        x = _xfer(net, s, from_route, from_group, route, -1, min_change)
                    if x >= 0 and rr + x < ready:
                        ready = rr + x
                if ready >= INF:
                    continue
                if cur >= 0 and st_dep[np.uint32(cur_tt + j)] + cur_shift < ready:
                    continue
                # Usually the trip just before the current one is already gone.
                if cur > vs and st_dep[view_tt[cur - 1] + j] + view_shift[cur - 1] < ready:
                    continue
                lo = vs
                top = hi
                while lo < top:
                    mid = (lo + top) >> 1
                    if st_dep[np.uint32(view_tt[mid] + j)] + view_shift[mid] < ready:
                        lo = mid + 1
                    else:
                        top = mid
                if lo < hi:
                    cur = lo
                    board = j
                    cur_tt = view_tt[cur]
                    cur_shift = view_shift[cur]
            else:
                low = w if w < rr else rr
                lo = vs
                top = hi
                while lo < top:
                    mid = (lo + top) >> 1
                    if st_dep[view_tt[mid] + j] + view_shift[mid] < low:
                        lo = mid + 1
                    else:
                        top = mid
                for e in range(lo, hi):
                    d = st_dep[view_tt[e] + j] + view_shift[e]
                    ok = d >= w
                    if not ok and rr < INF:
                        x = _xfer(net, s, from_route, from_group, route, trip_group[view_trip[e]], min_change)
                        ok = x >= 0 and d >= rr + x
                    if ok:
                        cur = e
                        board = j
                        cur_tt = view_tt[cur]
                        cur_shift = view_shift[cur]
                        break
        if cur >= 0 and view_next[cur] >= 0:
            lab.cont_view[n_cont] = cur
            lab.cont_board[n_cont] = board
            n_cont += 1
    return n_next, n_ride, n_cont, bound


@njit(cache=True)
def stay_seated(net, day, lab, k, n_cont, nxt, n_next, n_ride, min_change, bound):  # pragma: no cover - compiled
    """Phase 3 of round ``k``: riders stay seated while the vehicle continues as the next trip
    of its block. Returns ``(listed in nxt, listed in ride_list, bound)``.

    The label update repeats the one in :func:`scan_patterns`, and stops are marked in five
    places alike: shared inline helpers returning the counts (and bound) measured 10-15 %
    slower in bench/transit.py's queries, for the marking alone too. The ``walk_floor`` update
    is repeated for the same reason: as an inline helper taking ``net`` and ``lab`` it made the
    queries 1.5x slower (same process, old against new, 200 queries).
    """
    pst_start, pst, pdrop, st_arr, trip_pattern = (
        net.pattern_stops_start,
        net.pattern_stops,
        net.pattern_dropoff,
        net.st_arr,
        net.trip_pattern,
    )
    view_trip, view_tt, view_shift, view_next, pat_ok = (
        day.view_trip,
        day.view_tt,
        day.view_shift,
        day.view_next,
        day.pat_ok,
    )
    ride, best_ride, marked, is_ride, ride_list, egress_secs = (
        lab.ride,
        lab.best_ride,
        lab.marked,
        lab.is_ride,
        lab.ride_list,
        lab.egress,
    )
    stop_rule, floor = net.stop_rule, lab.walk_floor
    for ci in range(n_cont):
        i = lab.cont_view[ci]
        b = lab.cont_board[ci]
        chain = 0
        while view_next[i] >= 0:
            i2 = view_next[i]
            p2 = trip_pattern[view_trip[i2]]
            if pat_ok[p2] == 0:
                break
            day.seat_board[k, i2] = b
            day.seat_chain[k, i2] = chain
            o2 = pst_start[p2]
            for j in range(1, pst_start[p2 + 1] - o2):
                if pdrop[o2 + j] == 0:
                    continue
                s = np.uint32(pst[o2 + j])  # see "Unsigned indices" above
                a = st_arr[view_tt[i2] + j] + view_shift[i2]
                if a < best_ride[s] and a < bound:
                    ride[k, s] = a
                    best_ride[s] = a
                    lab.r_view[k, s] = i2
                    lab.r_board[k, s] = 0
                    lab.r_alight[k, s] = j
                    lab.r_seat[k, s] = 1
                    if egress_secs[s] < 0 and stop_rule[s] == 0 and a + min_change < floor[s]:
                        floor[s] = a + min_change
                    if marked[s] == 0:
                        marked[s] = 1
                        nxt[n_next] = s
                        n_next += 1
                    if is_ride[s] == 0:
                        is_ride[s] = 1
                        ride_list[n_ride] = s
                        n_ride += 1
                    if egress_secs[s] >= 0 and a + egress_secs[s] < bound:
                        bound = a + egress_secs[s]
            i = i2
            b = 0
            chain = 1
    return n_next, n_ride, bound


@njit(cache=True)
def relax_footpaths(net, lab, k, n_ride, nxt, n_next, last, fp_limit, min_change, bound):  # pragma: no cover
    """Phase 4 of round ``k``: one footpath after the rides of this round (after the last round,
    only footpaths into a target). Returns ``(listed in nxt, bound)``."""
    fp_start, fp_to, fp_secs, stop_rule = net.fp_start, net.fp_to, net.fp_secs, net.stop_rule
    ride, walk, best_ride, best_walk, w_from = lab.ride, lab.walk, lab.best_ride, lab.best_walk, lab.w_from
    marked, is_ride, ride_list, egress_secs, floor = lab.marked, lab.is_ride, lab.ride_list, lab.egress, lab.walk_floor
    for ri in range(n_ride):
        s = np.uint32(ride_list[ri])  # see "Unsigned indices" above
        is_ride[s] = 0
        a0 = ride[k, s]
        # Only walks shorter than this can help: before the bound and within the walking limit.
        reach = min(bound - a0, fp_limit + 1)
        for f in range(np.uint64(fp_start[s]), np.uint64(fp_start[s + 1])):
            secs = fp_secs[f]
            if secs >= reach:
                break  # footpaths are sorted by walking time
            a = a0 + secs
            t = np.uint32(fp_to[f])
            # One load decides most footpaths: the checks below, folded for stops that are
            # not targets (kept up to date wherever best_walk or best_ride improves).
            if a >= floor[t]:
                continue
            if last and egress_secs[t] < 0:
                continue
            improves = a < best_walk[t]  # best_walk <= walk[k]
            # At a target, an earlier walk label of round 0 (walking from the origin) does
            # not dominate: that journey has no ride, and the answer wants the earliest one
            # that has.
            if not improves and (egress_secs[t] < 0 or a >= walk[k, t]):
                continue
            # With no transfer rule at t, an earlier ride label there (plus the change it
            # needs before boarding) dominates a walk label.
            if stop_rule[t] == 0 and a >= best_ride[t] + min_change:
                continue
            walk[k, t] = a
            w_from[k, t] = s
            if improves:
                best_walk[t] = a
                if egress_secs[t] < 0:
                    floor[t] = a
                if marked[t] == 0:
                    marked[t] = 1
                    nxt[n_next] = t
                    n_next += 1
            if egress_secs[t] >= 0 and a + egress_secs[t] < bound:
                bound = a + egress_secs[t]
                reach = min(bound - a0, fp_limit + 1)
    return n_next, bound


@njit(cache=True)
def raptor_rounds(
    net, day, lab, src_stop, src_time, n_rounds, min_change, fp_limit, reset, deadline
):  # pragma: no cover
    """Run up to ``n_rounds`` rounds from the sources; returns the last round reached, or
    :data:`TIMED_OUT` when ``deadline`` (:func:`~routing.transit.kernel_clock.monotonic_s`
    seconds) passed before a round began (the labels are then incomplete)."""
    n_mark = start_labels(net, lab, src_stop, src_time, n_rounds, fp_limit, reset)
    bound = lab.bound[0]
    mark, nxt = lab.mark_a, lab.mark_b
    # Round 0 never bounds the search: a walk-only trip is the caller's business, and transit
    # options slower than it are still wanted.
    last_round = 0
    for k in range(1, n_rounds + 1):
        # Between rounds every work array is clean again, so stopping here is safe.
        if monotonic_s() > deadline:
            return TIMED_OUT
        n_touched = collect_patterns(net, day, lab, k, mark, n_mark, bound)
        if n_touched == 0:
            break
        last_round = k
        n_next, n_ride, n_cont, bound = scan_patterns(net, day, lab, k, n_touched, nxt, min_change, bound)
        n_next, n_ride, bound = stay_seated(net, day, lab, k, n_cont, nxt, n_next, n_ride, min_change, bound)
        n_next, bound = relax_footpaths(net, lab, k, n_ride, nxt, n_next, k == n_rounds, fp_limit, min_change, bound)
        if n_next == 0:
            break
        mark, nxt = nxt, mark
        n_mark = n_next
    lab.bound[0] = bound
    return last_round


@njit(cache=True)
def query_ends(src, tgt, n_stops, egress):  # pragma: no cover - compiled
    """A query's sources and targets for the kernel, from its ``(stop, seconds)`` pairs as
    ``(n, 2)`` float arrays: ``(status, src_stop, src_walk, tgt_stop, tgt_walk)``, walks rounded
    up to whole seconds, targets sorted by walk, then stop. Writes the targets into ``egress``
    (stop → walking seconds, -1: not a target; a stop listed twice keeps its least walk).

    ``status`` is 0, or 1 / 2 when a stop of ``src`` / ``tgt`` is not below ``n_stops`` (then
    nothing is written). One compiled call: the numpy of it (a dozen small array operations and
    ``np.unique``) took about 40 µs of a 0.7 ms query.
    """
    empty32 = np.zeros(0, np.int32)
    empty64 = np.zeros(0, np.int64)
    for i in range(src.shape[0]):
        if src[i, 0] >= n_stops:
            return 1, empty32, empty64, empty64, empty64
    for i in range(tgt.shape[0]):
        if tgt[i, 0] >= n_stops:
            return 2, empty32, empty64, empty64, empty64
    src_stop = np.empty(src.shape[0], np.int32)
    src_walk = np.empty(src.shape[0], np.int64)
    for i in range(src.shape[0]):
        src_stop[i] = np.int32(src[i, 0])
        src_walk[i] = np.int64(np.ceil(src[i, 1]))
    # Two stable sorts: by stop, then by walking seconds (numpy's lexsort order).
    by_stop = np.argsort(tgt[:, 0], kind="mergesort")
    order = by_stop[np.argsort(tgt[by_stop, 1], kind="mergesort")]
    tgt_stop = np.empty(tgt.shape[0], np.int64)
    tgt_walk = np.empty(tgt.shape[0], np.int64)
    egress[:] = -1
    for i in range(order.shape[0]):
        s = np.int64(tgt[order[i], 0])
        w = np.int64(np.ceil(tgt[order[i], 1]))
        tgt_stop[i] = s
        tgt_walk[i] = w
        if egress[s] < 0 or w < egress[s]:
            egress[s] = w
    return 0, src_stop, src_walk, tgt_stop, tgt_walk


@njit(cache=True)
def target_arrivals(lab, tgt_stop, tgt_walk, n_rounds):  # pragma: no cover
    """Per round k ≥ 1, the earliest arrival at the destination (``lab.round_best[k]``) and how:
    target ``lab.round_pick[k]`` by ride, or ``lab.round_pick[k] - len(tgt_stop)`` on foot. Ties
    go to the first target (the callers sort them by walking time), rides before walks."""
    ride, walk, best, pick = lab.ride, lab.walk, lab.round_best, lab.round_pick
    n = tgt_stop.shape[0]
    for k in range(1, n_rounds + 1):
        b = INF
        p = -1
        for i in range(n):
            a = ride[k, tgt_stop[i]] + tgt_walk[i]
            if a < b:
                b = a
                p = i
        for i in range(n):
            a = walk[k, tgt_stop[i]] + tgt_walk[i]
            if a < b:
                b = a
                p = n + i
        best[k] = b
        pick[k] = p

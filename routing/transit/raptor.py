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
"""

from __future__ import annotations

import numpy as np
from numba import njit

INF = np.int64(1) << np.int64(60)


@njit(cache=True, inline="always")
def _xfer(
    s, from_route, from_group, to_route, to_group, xr_start, xr_fr, xr_tr, xr_ft, xr_tt, xr_secs, default
):  # pragma: no cover - compiled
    # Rules are sorted most specific first, so the first that matches decides.
    for r in range(xr_start[s], xr_start[s + 1]):
        if xr_fr[r] >= 0 and xr_fr[r] != from_route:
            continue
        if xr_tr[r] >= 0 and xr_tr[r] != to_route:
            continue
        if xr_ft[r] >= 0 and xr_ft[r] != from_group:
            continue
        if xr_tt[r] >= 0 and (to_group < 0 or xr_tt[r] != to_group):
            continue
        return xr_secs[r]
    return default


@njit(cache=True)
def raptor_rounds(
    pst_start,
    pst,
    pdrop,
    proute,
    spat_start,
    spat,
    spat_pos,
    trip_route,
    trip_group,
    trip_pattern,
    st_arr,
    st_dep,
    fp_start,
    fp_to,
    fp_secs,
    xr_start,
    xr_fr,
    xr_tr,
    xr_ft,
    xr_tt,
    xr_secs,
    stop_trip_rule,
    view_start,
    view_trip,
    view_tt,
    view_shift,
    view_next,
    pat_ok,
    slot_ok,
    src_stop,
    src_time,
    egress_secs,
    n_rounds,
    min_change,
    fp_limit,
    reset,
    ride,
    walk,
    best_ride,
    best_walk,
    r_view,
    r_board,
    r_alight,
    r_seat,
    w_from,
    seat_board,
    seat_chain,
    marked,
    mark_a,
    mark_b,
    is_ride,
    pat_first,
    pat_last,
    pmark,
    touched,
    ride_list,
    cont_view,
    cont_board,
    bound_arr,
):  # pragma: no cover - compiled
    """Run up to ``n_rounds`` rounds from the sources; returns the last round reached."""
    if reset:
        ride[: n_rounds + 1, :] = INF
        walk[: n_rounds + 1, :] = INF
        best_ride[:] = INF
        best_walk[:] = INF
        bound_arr[0] = INF
        pat_first[:] = -1
    bound = bound_arr[0]
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
            if marked[s] == 0:
                marked[s] = 1
                mark_a[n_mark] = s
                n_mark += 1
    # A footpath may also come first: from an origin stop to a nearby one (a station's
    # platform, say). It starts from the source time, never from another footpath.
    for i in range(src_stop.shape[0]):
        s = src_stop[i]
        for f in range(fp_start[s], fp_start[s + 1]):
            if fp_secs[f] > fp_limit:
                break  # footpaths are sorted by walking time
            t = fp_to[f]
            a = src_time[i] + fp_secs[f]
            if a < walk[0, t] and a < bound:
                walk[0, t] = a
                w_from[0, t] = s
                if a < best_walk[t]:
                    best_walk[t] = a
                if marked[t] == 0:
                    marked[t] = 1
                    mark_a[n_mark] = t
                    n_mark += 1
    # Round 0 never bounds the search: a walk-only trip is the caller's business, and transit
    # options slower than it are still wanted.
    last_round = 0
    for k in range(1, n_rounds + 1):
        n_touched = 0
        for mi in range(n_mark):
            s = mark_a[mi]
            marked[s] = 0
            # A label set before the bound last tightened may be of no use any more.
            if walk[k - 1, s] >= bound and ride[k - 1, s] >= bound:
                continue
            for slot in range(spat_start[s], spat_start[s + 1]):
                if slot_ok[slot] == 0:
                    continue
                p = spat[slot]
                pos = spat_pos[slot]
                pmark[pst_start[p] + pos] = 1
                if pat_first[p] < 0:
                    touched[n_touched] = p
                    n_touched += 1
                    pat_first[p] = pos
                    pat_last[p] = pos
                elif pos < pat_first[p]:
                    pat_first[p] = pos
                elif pos > pat_last[p]:
                    pat_last[p] = pos
        if n_touched == 0:
            break
        last_round = k
        n_next = 0  # stops improved this round, listed in mark_b
        n_ride = 0
        n_cont = 0
        for ti in range(n_touched):
            p = touched[ti]
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
                s = pst[o + j]
                alive = False
                if cur >= 0:
                    a = st_arr[cur_tt + j] + cur_shift
                    alive = a < bound
                    if alive and pdrop[o + j] != 0 and a < best_ride[s]:
                        ride[k, s] = a
                        best_ride[s] = a
                        r_view[k, s] = cur
                        r_board[k, s] = board
                        r_alight[k, s] = j
                        r_seat[k, s] = 0
                        if marked[s] == 0:
                            marked[s] = 1
                            mark_b[n_next] = s
                            n_next += 1
                        if is_ride[s] == 0:
                            is_ride[s] = 1
                            ride_list[n_ride] = s
                            n_ride += 1
                        if egress_secs[s] >= 0 and a + egress_secs[s] < bound:
                            bound = a + egress_secs[s]
                if pmark[o + j] == 0:
                    if not alive:
                        # The trip ridden (if any) is past the bound and its times only grow
                        # (the build drops trips whose times go backwards): only a boarding at
                        # a stop improved last round can still help.
                        while jn <= j_last and pmark[o + jn] == 0:
                            jn += 1
                        if jn > j_last:
                            break
                    continue
                pmark[o + j] = 0
                w = walk[k - 1, s]
                rr = ride[k - 1, s]
                if w >= INF and rr >= INF:
                    continue
                from_route = -1
                from_group = -1
                has_rules = xr_start[s] != xr_start[s + 1]
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
                            x = _xfer(
                                s,
                                from_route,
                                from_group,
                                route,
                                -1,
                                xr_start,
                                xr_fr,
                                xr_tr,
                                xr_ft,
                                xr_tt,
                                xr_secs,
                                min_change,
                            )
                        if x >= 0 and rr + x < ready:
                            ready = rr + x
                    if ready >= INF:
                        continue
                    if cur >= 0 and st_dep[cur_tt + j] + cur_shift < ready:
                        continue
                    # Usually the trip just before the current one is already gone.
                    if cur > vs and st_dep[view_tt[cur - 1] + j] + view_shift[cur - 1] < ready:
                        continue
                    lo = vs
                    top = hi
                    while lo < top:
                        mid = (lo + top) >> 1
                        if st_dep[view_tt[mid] + j] + view_shift[mid] < ready:
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
                            x = _xfer(
                                s,
                                from_route,
                                from_group,
                                route,
                                trip_group[view_trip[e]],
                                xr_start,
                                xr_fr,
                                xr_tr,
                                xr_ft,
                                xr_tt,
                                xr_secs,
                                min_change,
                            )
                            ok = x >= 0 and d >= rr + x
                        if ok:
                            cur = e
                            board = j
                            cur_tt = view_tt[cur]
                            cur_shift = view_shift[cur]
                            break
            if cur >= 0 and view_next[cur] >= 0:
                cont_view[n_cont] = cur
                cont_board[n_cont] = board
                n_cont += 1
        # Staying seated: the vehicle continues as the next trip of its block. The label update
        # below repeats the one in the scan above, and stops are marked in five places alike:
        # shared inline helpers returning the counts (and bound) measured 10-15 % slower in
        # bench/transit.py's queries, for the marking alone too.
        for ci in range(n_cont):
            i = cont_view[ci]
            b = cont_board[ci]
            chain = 0
            while view_next[i] >= 0:
                i2 = view_next[i]
                p2 = trip_pattern[view_trip[i2]]
                if pat_ok[p2] == 0:
                    break
                seat_board[k, i2] = b
                seat_chain[k, i2] = chain
                o2 = pst_start[p2]
                for j in range(1, pst_start[p2 + 1] - o2):
                    if pdrop[o2 + j] == 0:
                        continue
                    s = pst[o2 + j]
                    a = st_arr[view_tt[i2] + j] + view_shift[i2]
                    if a < best_ride[s] and a < bound:
                        ride[k, s] = a
                        best_ride[s] = a
                        r_view[k, s] = i2
                        r_board[k, s] = 0
                        r_alight[k, s] = j
                        r_seat[k, s] = 1
                        if marked[s] == 0:
                            marked[s] = 1
                            mark_b[n_next] = s
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
        # One footpath after the rides of this round. After the last round only footpaths
        # into a target can still matter.
        last = k == n_rounds
        for ri in range(n_ride):
            s = ride_list[ri]
            is_ride[s] = 0
            a0 = ride[k, s]
            for f in range(fp_start[s], fp_start[s + 1]):
                a = a0 + fp_secs[f]
                if a >= bound or fp_secs[f] > fp_limit:
                    break  # footpaths are sorted by walking time
                t = fp_to[f]
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
                if xr_start[t] == xr_start[t + 1] and a >= best_ride[t] + min_change:
                    continue
                walk[k, t] = a
                w_from[k, t] = s
                if improves:
                    best_walk[t] = a
                    if marked[t] == 0:
                        marked[t] = 1
                        mark_b[n_next] = t
                        n_next += 1
                if egress_secs[t] >= 0 and a + egress_secs[t] < bound:
                    bound = a + egress_secs[t]
        if n_next == 0:
            break
        mark_a, mark_b = mark_b, mark_a
        n_mark = n_next
    bound_arr[0] = bound
    return last_round


@njit(cache=True)
def target_arrivals(ride, walk, tgt_stop, tgt_walk, n_rounds, best, pick):  # pragma: no cover
    """Per round k ≥ 1, the earliest arrival at the destination (``best[k]``) and how: target
    ``pick[k]`` by ride, or ``pick[k] - len(tgt_stop)`` on foot. Ties go to the first target
    (the callers sort them by walking time), rides before walks."""
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

"""An independent earliest-arrival oracle: a connection scan over the raw GTFS files.

It shares no code with the router (``routing/transit``): it reads the feeds' text files itself
(calendar, calendar_dates, frequencies, stop_times with times after midnight and empty
non-timepoint times, blocks, transfers.txt) and walks by a plain Dijkstra on the compiled walk
graph (the planner's walking times: the street graph is input here, not the thing tested).

The model is the one the README states, written out a second time:

* walking to the stops from the origin and from the stops to the destination: at most the
  walking limit (15 minutes by default), street distance from the snapped point plus the stop's
  offset to its street node, rounded to 0.1 s, then up. A stop joins the nearest street of a kept
  component within 300 m (of two within 25 m of the nearest, the larger component's) at the
  point of it nearest to the stop: the straight part × 1.3, and from that point along the street
  to either end of its segment, each direction by its share of that direction's edge time
  (README, *Streets*). The oracle adds each stop to its own copy of the graph that way (the build
  instead splits the segment there, so on a compiled graph the point is a node); a point closer
  than ``END_M`` (1 m) to an end of its segment joins that end instead, the straight part × 1.3
  then the metres along the street to the end, as the build joins it;
* between stops: the street distance between their nodes plus both offsets (straight line × 1.3
  when one is off the street network, parent stations to and from their platforms likewise, all
  at the walk graph's 4.8 km/h), rounded to whole seconds, chained through other stops up to the longest such walk,
  at least ``CHANGE_S``; transfers.txt's stop-to-stop times replace it, transfer_type 3 bans it;
* a walk may follow the origin walk and each ride; boarding at the stop one arrived at by ride
  needs ``CHANGE_S`` unless a transfers.txt rule for that stop (and routes/trips) says otherwise;
  staying seated into the next trip of a block needs nothing;
* trips of the day before, the day and the day after (the feeds' own dates; no stale-feed
  fallback: queries are inside the feeds' periods), frequencies expanded from their template (a
  template starting before 1:00 counts from start_time), trips whose times go backwards dropped,
  empty times interpolated by distance (shape_dist_traveled, else straight stop to stop).
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import zoneinfo
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from tests.transit.oracle_feed import EARTH_M, Trip, haversine, read_table, read_trips, running

CHANGE_S = 60  # README: a change takes at least a minute
WALK_LIMIT_S = 900.0  # README: never more than 15 minutes' walk
WALK_MPS = 4.8 / 3.6  # the walk graph's flat speed
DETOUR = 1.3
SNAP_M = 300.0
LARGER_SLACK_M = 25.0  # of two kept components about equally near a stop, the larger wins
END_M = 1.0  # a stop whose point lies closer than this to an end of its segment joins that end
INF = float("inf")


@dataclass
class DayScan:
    """One query day's connections (sorted by departure), its trips and block continuations."""

    deps: list[int]
    conns: list[tuple[int, int, int, int, int, int]]
    trips: list[tuple[Trip, int]]  # day trip → (trip, day offset)
    seated: dict[int, int]  # day trip → the next trip of its block


class WalkGraph:
    """The compiled walk graph's arrays, walked by plain Dijkstra (milliseconds)."""

    def __init__(self, folder: Path) -> None:
        load = lambda k: np.load(folder / f"{k}.npy")  # noqa: E731
        self.tail, self.head, self.ms = load("edge_tail"), load("edge_head"), load("edge_ms").astype(np.int64)
        self.lat, self.lon, self.main = load("node_lat"), load("node_lon"), load("node_main")
        self.comp, self.seg_u, self.seg_v = load("node_comp"), load("seg_u"), load("seg_v")
        self.seg_fwd, self.seg_bwd = load("seg_fwd"), load("seg_bwd")
        n = len(self.lat)
        self.fwd: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        self.bwd: list[list[tuple[int, int]]] = [[] for _ in range(n)]
        for u, v, w in zip(self.tail.tolist(), self.head.tolist(), self.ms.tolist(), strict=True):
            self.fwd[u].append((v, w))
            self.bwd[v].append((u, w))
        # scipy sums repeated edges and drops zero weights: keep the shortest of each pair, and
        # give zero-length edges a weight that rounds away.
        order = np.lexsort((self.ms, self.head, self.tail))
        t, h, w = self.tail[order], self.head[order], self.ms[order]
        first = np.ones(len(t), dtype=bool)
        first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
        self.matrix = csr_matrix((w[first].astype(np.float64) + 1e-9, (t[first], h[first])), shape=(n, n))

    def add_nodes(self, links: list[list[tuple[int, int, int]]]) -> list[int]:
        """Add one node per entry of ``links``, joined to each ``(node, ms in, ms out)``: an edge
        ``node → new`` of ``ms in`` and ``new → node`` of ``ms out`` (-1: none). Returns their ids."""
        n = len(self.fwd)
        ids = list(range(n, n + len(links)))
        rows, cols, vals = [], [], []
        for new, joins in zip(ids, links, strict=True):
            self.fwd.append([])
            self.bwd.append([])
            for node, ms_in, ms_out in joins:
                for a, b, w in ((node, new, ms_in), (new, node, ms_out)):
                    if w < 0:
                        continue
                    self.fwd[a].append((b, w))
                    self.bwd[b].append((a, w))
                    rows.append(a)
                    cols.append(b)
                    vals.append(float(w) + 1e-9)
        m = len(self.fwd)
        old = self.matrix.tocoo()
        self.matrix = csr_matrix(
            (np.concatenate((old.data, vals)), (np.concatenate((old.row, rows)), np.concatenate((old.col, cols)))),
            shape=(m, m),
        )
        return ids

    def dijkstra(self, sources: dict[int, int], *, backward: bool, limit_ms: float) -> dict[int, int]:
        """Node → milliseconds from the nearest source (``{node: start ms}``), up to ``limit_ms``."""
        adj = self.bwd if backward else self.fwd
        best: dict[int, int] = {}
        heap = [(ms, node) for node, ms in sources.items()]
        heapq.heapify(heap)
        while heap:
            d, u = heapq.heappop(heap)
            if u in best:
                continue
            best[u] = d
            for v, w in adj[u]:
                nd = d + w
                if v not in best and nd <= limit_ms:
                    heapq.heappush(heap, (nd, v))
        return best


class Oracle:
    """Earliest arrivals on one city's feeds and walk graph."""

    def __init__(self, feeds: list[tuple[str, Path]], *, timezone: str, walk: WalkGraph) -> None:
        self.tz = zoneinfo.ZoneInfo(timezone)
        self.walk = walk
        self.stop_ll: dict[str, tuple[float, float]] = {}
        parent: dict[str, str] = {}
        for name, path in feeds:
            for r in read_table(path, "stops.txt"):
                if r.get("stop_lat") and r.get("stop_lon"):
                    self.stop_ll[f"{name}:{r['stop_id']}"] = (float(r["stop_lat"]), float(r["stop_lon"]))
                    if r.get("parent_station"):
                        parent[f"{name}:{r['stop_id']}"] = f"{name}:{r['parent_station']}"
        self.stops = sorted(self.stop_ll)
        self.index = {s: i for i, s in enumerate(self.stops)}
        self.services: dict[str, set[dt.date]] = {}
        self.trips: list[Trip] = []
        self.rules: dict[int, list[tuple[int, str, str, str, str, int]]] = defaultdict(list)
        pair_rules: dict[tuple[int, int], int] = {}
        for name, path in feeds:
            for sid, dates in running(path).items():
                self.services[f"{name}:{sid}"] = dates
            for t in read_trips(name, path, self.stop_ll):
                t.service = f"{name}:{t.service}"
                self.trips.append(t)
            pair_rules.update(self._transfers(name, path, parent))
        self._snap()
        self.foot = self._footpaths(parent, pair_rules)
        self._days: dict[dt.date, DayScan] = {}

    # -- walking -------------------------------------------------------------------------------
    def _snap(self) -> None:
        """Each stop joins the nearest street of a kept component within ``SNAP_M`` (of two within
        ``LARGER_SLACK_M`` of the nearest, the one of the larger component) at its nearest point:
        straight part × ``DETOUR`` (``offset``); from there a new node of the walk graph (``node``)
        reaches both ends of the segment, each by the share of its edge's time."""
        lat = np.array([self.stop_ll[s][0] for s in self.stops])
        lon = np.array([self.stop_ll[s][1] for s in self.stops])
        w = self.walk
        lat0, lon0 = float(np.mean(w.lat)), float(np.mean(w.lon))
        kx = math.cos(math.radians(lat0)) * math.pi * EARTH_M / 180.0
        ky = math.pi * EARTH_M / 180.0
        nx, ny = (w.lon - lon0) * kx, (w.lat - lat0) * ky
        kept = np.flatnonzero(w.main[w.seg_u] & w.main[w.seg_v])
        su, sv = w.seg_u[kept], w.seg_v[kept]
        ax, ay, bx, by = nx[su], ny[su], nx[sv], ny[sv]
        half = np.hypot(bx - ax, by - ay) / 2
        # A segment within SNAP_M of a stop has its middle within SNAP_M + half its length.
        short = half <= 250.0
        tree = cKDTree(np.column_stack(((ax + bx)[short] / 2, (ay + by)[short] / 2)))
        short_ids, long_ids = np.flatnonzero(short), np.flatnonzero(~short)
        sizes = np.bincount(w.comp)
        self.node = np.full(len(lat), -1, dtype=np.int64)
        self.offset = np.zeros(len(lat))
        self.join_ll = np.full((len(lat), 2), np.nan)  # the point of the street each stop joins
        links: list[list[tuple[int, int, int]]] = []
        joined: list[int] = []
        for i, (px, py) in enumerate(zip(((lon - lon0) * kx).tolist(), ((lat - lat0) * ky).tolist(), strict=True)):
            near = short_ids[tree.query_ball_point((px, py), r=SNAP_M + 250.0)]
            cand = np.concatenate((near, long_ids)).astype(np.int64)
            if not len(cand):
                continue
            dx, dy = bx[cand] - ax[cand], by[cand] - ay[cand]
            den = dx * dx + dy * dy
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.where(den == 0, 0.0, np.clip(((px - ax[cand]) * dx + (py - ay[cand]) * dy) / den, 0.0, 1.0))
            qx, qy = ax[cand] + t * dx, ay[cand] + t * dy
            dm = np.hypot(px - qx, py - qy)
            ok = dm <= SNAP_M
            if not ok.any():
                continue
            cand, t, qx, qy, dm = cand[ok], t[ok], qx[ok], qy[ok], dm[ok]
            order = np.lexsort((kept[cand], dm))  # nearest first, ties by segment
            cand, t, qx, qy, dm = cand[order], t[order], qx[order], qy[order], dm[order]
            within = np.flatnonzero(dm <= dm[0] + LARGER_SLACK_M)
            size = sizes[w.comp[su[cand[within]]]]
            k = int(within[int(np.argmax(size))])  # first of the largest: the nearest of them
            seg, share = int(kept[cand[k]]), float(t[k])  # share of the segment from seg_u
            fwd, bwd = int(w.seg_fwd[seg]), int(w.seg_bwd[seg])  # edges u → v and v → u
            ms_uv = int(w.ms[fwd]) if fwd >= 0 else -1
            ms_vu = int(w.ms[bwd]) if bwd >= 0 else -1

            def part(ms: int, frac: float) -> int:
                return -1 if ms < 0 else int(round(ms * frac))

            u, v = int(w.seg_u[seg]), int(w.seg_v[seg])
            self.join_ll[i] = (lat0 + qy[k] / ky, lon0 + qx[k] / kx)
            end_m = min(share, 1 - share) * 2 * float(half[cand[k]])
            if end_m < END_M:
                # That end is the stop's node: the straight part × DETOUR, then along the street
                # to the end at walking pace.
                end = u if share <= 0.5 else v
                along = haversine(float(self.join_ll[i][0]), float(self.join_ll[i][1]), w.lat[end], w.lon[end])
                self.node[i] = end
                self.offset[i] = (float(dm[k]) * DETOUR + along) / WALK_MPS
                continue
            # u → point is the first ``share`` of u → v; point → u the last ``share`` of v → u.
            links.append(
                [(u, part(ms_uv, share), part(ms_vu, share)), (v, part(ms_vu, 1 - share), part(ms_uv, 1 - share))]
            )
            joined.append(i)
            self.offset[i] = float(dm[k]) * DETOUR / WALK_MPS
        for i, node in zip(joined, w.add_nodes(links), strict=True):
            self.node[i] = node
        self.lat, self.lon = lat, lon

    def _footpaths(
        self, parent: dict[str, str], pair_rules: dict[tuple[int, int], int]
    ) -> dict[int, list[tuple[int, int]]]:
        edges: dict[tuple[int, int], int] = {}
        longest = [0]

        def add(a: int, b: int, s: int) -> None:
            longest[0] = max(longest[0], s)
            if a != b and s < edges.get((a, b), 1 << 40):
                edges[(a, b)] = s

        snapped = np.flatnonzero(self.node >= 0)
        for lo in range(0, len(snapped), 64):
            batch = snapped[lo : lo + 64]
            dist = dijkstra(self.walk.matrix, directed=True, indices=self.node[batch], limit=WALK_LIMIT_S * 1000 + 1)
            for row, i in enumerate(batch.tolist()):
                total = self.offset[i] + np.round(dist[row, self.node[snapped]]) / 1000.0 + self.offset[snapped]
                ok = np.flatnonzero(total <= WALK_LIMIT_S)
                for j, t in zip(snapped[ok].tolist(), total[ok].tolist(), strict=True):
                    add(i, j, int(round(t)))
        lat0, lon0 = float(np.mean(self.lat)), float(np.mean(self.lon))
        kx = math.cos(math.radians(lat0)) * math.pi * EARTH_M / 180.0
        ky = math.pi * EARTH_M / 180.0
        xy = np.column_stack(((self.lon - lon0) * kx, (self.lat - lat0) * ky))
        for i, near in enumerate(cKDTree(xy).query_ball_point(xy, r=WALK_LIMIT_S * WALK_MPS / DETOUR)):
            for j in near:
                if i != j and not (self.node[i] >= 0 and self.node[j] >= 0):
                    add(i, j, int(round(float(np.hypot(*(xy[i] - xy[j]))) * DETOUR / WALK_MPS)))
        kids: dict[str, list[str]] = defaultdict(list)
        for child, p in parent.items():
            if p in self.index:
                kids[p].append(child)
        for p, children in kids.items():
            members = [self.index[p], *(self.index[c] for c in children)]
            for a in members:
                for b in members:
                    if a != b:
                        d = haversine(self.lat[a], self.lon[a], self.lat[b], self.lon[b])
                        add(a, b, int(math.ceil(d * DETOUR / WALK_MPS)))
        # Chained walks: plain Dijkstra over the stop graph, no further than the longest walk.
        cap = longest[0]
        adj: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (a, b), s in edges.items():
            adj[a].append((b, s))
        foot: dict[int, list[tuple[int, int]]] = defaultdict(list)
        best_pairs: dict[tuple[int, int], int] = {}
        for a in list(adj):
            best: dict[int, int] = {}
            heap = [(0, a)]
            while heap:
                d, u = heapq.heappop(heap)
                if u in best:
                    continue
                best[u] = d
                for v, s in adj[u]:
                    if v not in best and d + s <= cap:
                        heapq.heappush(heap, (d + s, v))
            for b, d in best.items():
                if b != a:
                    best_pairs[(a, b)] = max(d, CHANGE_S)
        for key, secs in pair_rules.items():
            if secs < 0:
                best_pairs.pop(key, None)
            else:
                best_pairs[key] = secs
        for (a, b), s in best_pairs.items():
            foot[a].append((b, s))
        return foot

    def _transfers(self, name: str, path: Path, parent: dict[str, str]) -> dict[tuple[int, int], int]:
        """Stop-to-stop transfers.txt times (-1: banned); same-stop rules go to ``self.rules``."""
        children: dict[str, list[str]] = defaultdict(list)
        for c, p in parent.items():
            children[p].append(c)
        pairs: dict[tuple[int, int], int] = {}
        for r in read_table(path, "transfers.txt"):
            kind = int(r.get("transfer_type") or 0)
            secs = int(r["min_transfer_time"]) if r.get("min_transfer_time") else 0
            value = -1 if kind == 3 else (0 if kind == 1 else secs)
            fr = f"{name}:{r['from_route_id']}" if r.get("from_route_id") else ""
            tr = f"{name}:{r['to_route_id']}" if r.get("to_route_id") else ""
            ft = f"{name}:{r['from_trip_id']}" if r.get("from_trip_id") else ""
            tt = f"{name}:{r['to_trip_id']}" if r.get("to_trip_id") else ""
            a0, b0 = f"{name}:{r['from_stop_id']}", f"{name}:{r['to_stop_id']}"
            for a in children.get(a0, [a0]):
                for b in children.get(b0, [b0]):
                    if a not in self.index or b not in self.index:
                        continue
                    ia, ib = self.index[a], self.index[b]
                    if ia == ib:
                        if kind != 0:
                            spec = 4 * bool(ft) + 4 * bool(tt) + bool(fr) + bool(tr)
                            self.rules[ia].append((spec, fr, tr, ft, tt, value))
                    elif kind == 3 or value >= 0:
                        pairs[(ia, ib)] = value
        return pairs

    def change_s(self, stop: int, from_trip: Trip, to_trip: Trip) -> int:
        """Seconds needed to change at one stop (-1: not allowed)."""
        best: tuple[Any, ...] | None = None
        for spec, fr, tr, ft, tt, value in self.rules.get(stop, []):
            if fr and fr != from_trip.route or tr and tr != to_trip.route:
                continue
            if ft and ft != from_trip.key or tt and tt != to_trip.key:
                continue
            # The most specific rule; between equally specific ones, the one naming fewer of
            # from_route, to_route, from_trip, to_trip in that order (the build's order).
            key = (spec, not fr, not tr, not ft, not tt, value)
            if best is None or key[:5] > best[:5]:
                best = key
        return CHANGE_S if best is None else best[5]

    def access(self, ends: dict[int, int], *, backward: bool, limit_s: float) -> dict[int, float]:
        """Stops within ``limit_s`` of a snapped point: street Dijkstra, the stop's offset, 0.1 s."""
        dist = self.walk.dijkstra(ends, backward=backward, limit_ms=limit_s * 1000)
        out: dict[int, float] = {}
        offset32 = self.offset.astype(np.float32)
        for i in np.flatnonzero(self.node >= 0).tolist():
            d = dist.get(int(self.node[i]))
            if d is None:
                continue
            total = d / 1000.0 + float(offset32[i])
            if total <= limit_s:
                out[i] = math.ceil(round(total, 1))
        return out

    # -- the scan ------------------------------------------------------------------------------
    def connections(self, day: dt.date) -> DayScan:
        """Connections of the trips running on the day before, the day and the day after, as
        (departure, arrival, from stop, to stop, trip, position) sorted by departure; times in
        seconds after ``day``'s noon minus 12 h."""
        if day in self._days:
            return self._days[day]
        conns: list[tuple[int, int, int, int, int, int]] = []
        self.day_trips: list[tuple[Trip, int]] = []
        for off in (-1, 0, 1):
            d = day + dt.timedelta(days=off)
            for t in self.trips:
                if d in self.services.get(t.service, ()):
                    k = len(self.day_trips)
                    self.day_trips.append((t, off))
                    shift = off * 86400
                    for i in range(len(t.stops) - 1):
                        conns.append(
                            (
                                t.dep[i] + shift,
                                t.arr[i + 1] + shift,
                                self.index[t.stops[i]],
                                self.index[t.stops[i + 1]],
                                k,
                                i,
                            )
                        )
        conns.sort()
        scan = DayScan([c[0] for c in conns], conns, self.day_trips, self._blocks())
        self._days[day] = scan
        return scan

    def _blocks(self) -> dict[int, int]:
        """Day trip → the next one of its block on its service day (stay seated)."""
        by_block: dict[tuple[str, int], list[int]] = defaultdict(list)
        for k, (t, off) in enumerate(self.day_trips):
            if t.block:
                by_block[(t.block, off)].append(k)
        nxt: dict[int, int] = {}
        for ks in by_block.values():
            ks.sort(key=lambda k: self.day_trips[k][0].dep[0])
            for a, b in zip(ks[:-1], ks[1:], strict=True):
                if self.day_trips[b][0].dep[0] >= self.day_trips[a][0].arr[-1]:
                    nxt[a] = b
        return nxt

    def earliest(self, scan: DayScan, t0: int, access: dict[int, float], egress: dict[int, float]) -> int | None:
        """Earliest arrival (seconds on the scan's clock) with at least one ride, or None."""
        deps, conns, day_trips, seated = scan.deps, scan.conns, scan.trips, scan.seated
        walk_at: dict[int, float] = {}  # stop → arrived on foot (may board at once)
        for s, w in access.items():
            walk_at[s] = min(walk_at.get(s, INF), t0 + w)
        for s, w in list(access.items()):  # one walk may follow the walk from the origin
            for b, secs in self.foot.get(s, ()):
                if t0 + w + secs < walk_at.get(b, INF):
                    walk_at[b] = t0 + w + secs
        ride_at: dict[int, dict[int, float]] = defaultdict(dict)  # stop → day trip → arrival
        on: set[int] = set()
        best = INF
        for c in range(bisect_left(deps, t0), len(conns)):
            dep, arr, u, v, k, i = conns[c]
            if dep >= best:
                break
            trip = day_trips[k][0]
            if k not in on and trip.pick[i] and self._can_board(u, dep, trip, day_trips, walk_at, ride_at):
                on.add(k)
                chained = seated.get(k)
                while chained is not None and chained not in on:
                    on.add(chained)
                    chained = seated.get(chained)
            if k not in on or not trip.drop[i + 1]:
                continue
            if arr < ride_at[v].get(k, INF):
                ride_at[v][k] = arr
                if v in egress:
                    best = min(best, arr + egress[v])
                for b, secs in self.foot.get(v, ()):
                    if arr + secs < walk_at.get(b, INF):
                        walk_at[b] = arr + secs
                    if b in egress:
                        best = min(best, arr + secs + egress[b])
        return None if best == INF else int(best)

    def _can_board(
        self,
        u: int,
        dep: int,
        trip: Trip,
        day_trips: list[tuple[Trip, int]],
        walk_at: dict[int, float],
        ride_at: dict[int, dict[int, float]],
    ) -> bool:
        if walk_at.get(u, INF) <= dep:
            return True
        for k, a in ride_at.get(u, {}).items():
            x = self.change_s(u, day_trips[k][0], trip)
            if x >= 0 and a + x <= dep:
                return True
        return False

    def base(self, day: dt.date) -> dt.datetime:
        """The instant GTFS times of ``day`` count from: noon minus 12 h (UTC)."""
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=self.tz)
        return noon.astimezone(dt.UTC) - dt.timedelta(hours=12)


def plan_query(
    oracle: Oracle, snapper: Any, origin: tuple[float, float], destination: tuple[float, float], at: dt.datetime
) -> dict[str, Any]:
    """The oracle's answer for one trip: earliest arrival (aware datetime) or None, and why."""
    o, d = snapper(origin, "from"), snapper(destination, "to")
    access = oracle.access(o, backward=False, limit_s=WALK_LIMIT_S)
    egress = oracle.access(d, backward=True, limit_s=WALK_LIMIT_S)
    if not access or not egress:
        return {"arrival": None, "why": "no stop within walking distance"}
    day = at.astimezone(oracle.tz).date()
    base = oracle.base(day)
    t0 = int(round((at.astimezone(dt.UTC) - base).total_seconds()))
    arrival = oracle.earliest(oracle.connections(day), t0, access, egress)
    return {"arrival": None if arrival is None else base + dt.timedelta(seconds=arrival), "why": ""}

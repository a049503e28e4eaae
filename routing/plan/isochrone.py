"""Isochrones: the area reachable from a point within some minutes, by one mode, as GeoJSON.

Street modes: one Dijkstra from the snapped origin on the mode's graph. Transit: walk to the stops
within the transit walking limit, RAPTOR's earliest arrival at every stop (one-to-all), then one
Dijkstra on the walk graph seeded at the origin and at every reached stop with its arrival time, so
the walk after the ride uses whatever time is left. The reached pieces of street are buffered by
``BUFFER_M`` (and stops off the street network by a disc of that radius) in the graph's local metric
projection; the union is the polygon of one ``minutes`` value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from numpy.typing import NDArray

from routing.core.deadline import check_deadline
from routing.core.errors import InvalidParameter
from routing.core.geo import check_latlon
from routing.plan.reach import Reach, Segments
from routing.plan.stop_arrivals import StopArrivals
from routing.plan.transit_options import TransitPlanner, TransitSearch
from routing.street.graph import StreetGraph
from routing.street.route import snap

ISOCHRONE_MODES = ("walk", "bike", "transit", "drive")
MAX_MINUTES = 120
MAX_VALUES = 6
BUFFER_M = 50.0
SIMPLIFY_M = 5.0
MERGE_SIMPLIFY_M = 10.0
# Segments merged, and shapes buffered and unioned, at once between two checks of the deadline.
_MERGE_CHUNK = 10_000
_UNION_CHUNK = 4000


@dataclass(frozen=True)
class IsochroneQuery:
    """One isochrone request.

    Parameters
    ----------
    origin
        ``(lat, lon)`` in WGS84 degrees.
    mode
        One of :data:`ISOCHRONE_MODES`.
    minutes
        Up to :data:`MAX_VALUES` whole numbers of minutes, 1 to :data:`MAX_MINUTES`; kept sorted.
    at
        Time-zone-aware departure time (transit); None means now.
    """

    origin: tuple[float, float]
    mode: str
    minutes: tuple[int, ...]
    at: datetime | None = None

    def __post_init__(self) -> None:
        check_latlon(*self.origin, argument="from")
        if self.mode not in ISOCHRONE_MODES:
            raise InvalidParameter(
                f"mode must be one of {', '.join(ISOCHRONE_MODES)}, got {str(self.mode)[:30]!r}", argument="mode"
            )
        if not self.minutes or len(self.minutes) > MAX_VALUES:
            raise InvalidParameter(f"minutes takes 1 to {MAX_VALUES} values, e.g. 10,20,30", argument="minutes")
        for m in self.minutes:
            if isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= MAX_MINUTES:
                raise InvalidParameter(
                    f"minutes must be whole numbers from 1 to {MAX_MINUTES}, got {m!r}", argument="minutes"
                )
        object.__setattr__(self, "minutes", tuple(sorted(set(self.minutes))))
        if self.at is not None and self.at.tzinfo is None:
            raise InvalidParameter("at must carry a time zone", argument="at")


class Isochrones:
    """Isochrones on one compiled city's graphs (thread-safe).

    Parameters
    ----------
    graphs
        The street graphs by mode (walk, bike, drive).
    tz
        The city's time zone.
    transit, arrivals
        The transit planner (stops and walking access) and the locked router for one-to-all
        arrivals; None when the city has no timetable.
    """

    def __init__(
        self,
        graphs: dict[str, StreetGraph],
        *,
        tz: ZoneInfo,
        transit: TransitPlanner | None = None,
        arrivals: StopArrivals | None = None,
    ) -> None:
        self.reach = {m: Reach(g) for m, g in graphs.items()}
        self.tz = tz
        self.transit = transit
        self.arrivals = arrivals

    def compute(self, query: IsochroneQuery, *, deadline: float | None = None) -> dict[str, Any]:
        """A GeoJSON FeatureCollection: one polygon per ``minutes`` value, largest first.

        ``deadline`` (``time.perf_counter()``) bounds the transit search and the polygons.

        Raises
        ------
        OutsideArea
            If the origin is not near a street of the mode's graph.
        GreenrouteError
            For transit in a city without a timetable.
        QueryTimeout
            If ``deadline`` passes.
        """
        at = (query.at or datetime.now(self.tz)).astimezone(self.tz)
        limit_ms = max(query.minutes) * 60_000.0
        reach = self.reach["walk" if query.mode == "transit" else query.mode]
        origin = snap(reach.graph, *query.origin, argument="from")
        seeds = reach.origin_seeds(origin)
        notices: list[dict[str, str]] = []
        stops_xy = np.zeros((0, 2))
        stops_ms = np.zeros(0)
        if query.mode == "transit":
            stop_seeds, stops_xy, stops_ms, notices = self._transit_seeds(reach, origin, at, limit_ms, deadline)
            for node, ms in stop_seeds.items():
                seeds[node] = min(seeds.get(node, math.inf), ms)
        check_deadline(deadline, "the isochrone")
        times = reach.times_ms(seeds, limit_ms)
        features = []
        for minutes in sorted(query.minutes, reverse=True):
            lim = minutes * 60_000.0
            polygon = _polygon(reach.segments_within(times, lim, origin), stops_xy[stops_ms <= lim], deadline)
            features.append(
                {
                    "type": "Feature",
                    "properties": {"minutes": minutes, "mode": query.mode, "area_km2": round(polygon.area / 1e6, 3)},
                    "geometry": _to_geojson(polygon, reach.graph),
                }
            )
        return {
            "type": "FeatureCollection",
            "features": features,
            "request": {
                "from": list(query.origin),
                "mode": query.mode,
                "minutes": list(query.minutes),
                "at": at.isoformat(timespec="seconds"),
                "snapped": [round(origin.lat, 6), round(origin.lon, 6)],
            },
            "notices": notices,
        }

    def _transit_seeds(
        self, walk: Reach, origin: Any, at: datetime, limit_ms: float, deadline: float | None
    ) -> tuple[dict[int, float], NDArray[np.float64], NDArray[np.float64], list[dict[str, str]]]:
        """Walk-graph seeds at the stops RAPTOR reaches (node → ms), and the reached stops off the streets."""
        from routing.core.errors import GreenrouteError

        if self.transit is None or self.arrivals is None:
            raise GreenrouteError("this city has no transit timetable", argument="mode")
        tp = self.transit
        access = tp.access(origin, min(tp.max_access_s, limit_ms / 1000.0))
        if not access:
            msg = "no transit stop within walking distance: the area is the walking one"
            return {}, np.zeros((0, 2)), np.zeros(0), [{"code": "no_stop_near", "message": msg}]
        # Every footpath the timetable holds (no walking limit between stops), and no target.
        search = TransitSearch(at=at, deadline=deadline)
        secs, notices = self.arrivals.arrivals(search.query(access.items(), ((0, 0.0),)), deadline=search.deadline)
        ms = secs * 1000.0
        reached = np.flatnonzero(ms <= limit_ms)
        node = tp.stop_node[reached]
        on = node >= 0
        seeds: dict[int, float] = {}
        at_node = ms[reached[on]] + tp.stop_offset_s[reached[on]] * 1000.0
        for n, t in zip(node[on].tolist(), at_node.tolist(), strict=True):
            seeds[n] = min(seeds.get(n, math.inf), t)
        off = reached[~on]
        xy = walk.graph.proj.to_xy(np.asarray(tp.tt.stop_lat)[off], np.asarray(tp.tt.stop_lon)[off])
        return seeds, xy, ms[off], notices


def _polygon(segments: Segments, points: NDArray[np.float64], deadline: float | None) -> shapely.Geometry:
    """The union of ``segments`` and ``points`` buffered by ``BUFFER_M``.

    Buffering tens of thousands of two-point segments one by one is slow, so the two directions of a
    street become one segment, chains of segments one line (``line_merge``), lightly simplified (a
    50 m buffer hides 10 m), before each line is buffered and the buffers are unioned.
    """
    shapes = []
    if len(segments):
        a, b = segments[:, :2], segments[:, 2:]
        flip = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
        undirected = np.unique(np.round(np.where(flip[:, None], np.column_stack((b, a)), segments), 2), axis=0)
        lines = shapely.linestrings(undirected.reshape(-1, 2, 2))
        # Merged in chunks (np.unique sorted them by x, so a chunk is a strip), checking the deadline.
        for start in range(0, len(lines), _MERGE_CHUNK):
            check_deadline(deadline, "the isochrone")
            merged = shapely.line_merge(shapely.MultiLineString(list(lines[start : start + _MERGE_CHUNK])))
            shapes.extend(shapely.simplify(shapely.get_parts(merged), MERGE_SIMPLIFY_M).tolist())
    if len(points):
        shapes.extend(shapely.points(points).tolist())
    if not shapes:
        return shapely.Polygon()
    # Buffered and unioned in chunks, so that the deadline is checked while a large area is drawn.
    parts = []
    for start in range(0, len(shapes), _UNION_CHUNK):
        check_deadline(deadline, "the isochrone")
        chunk = np.array(shapes[start : start + _UNION_CHUNK], dtype=object)
        parts.append(shapely.union_all(shapely.buffer(chunk, BUFFER_M, quad_segs=2)))
    check_deadline(deadline, "the isochrone")
    area = parts[0] if len(parts) == 1 else shapely.union_all(np.array(parts, dtype=object))
    return shapely.simplify(area, SIMPLIFY_M)


def _to_geojson(polygon: shapely.Geometry, graph: StreetGraph) -> dict[str, Any]:
    proj = graph.proj

    def lonlat(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.column_stack((proj.lon0 + xy[:, 0] / proj.kx, proj.lat0 + xy[:, 1] / proj.ky))
        return np.round(out, 6).astype(np.float64)

    geo: dict[str, Any] = shapely.geometry.mapping(shapely.transform(polygon, lonlat))
    if geo["type"] == "Polygon":  # one shape for every feature: MultiPolygon
        geo = {"type": "MultiPolygon", "coordinates": [geo["coordinates"]]}
    elif geo["type"] == "GeometryCollection":
        geo = {"type": "MultiPolygon", "coordinates": []}
    return _lists(geo)


def _lists(obj: Any) -> Any:
    if isinstance(obj, tuple | list):
        return [_lists(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _lists(v) for k, v in obj.items()}
    return obj

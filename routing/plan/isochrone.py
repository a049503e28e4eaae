"""Isochrones: the area reachable from a point within some minutes, by one mode, as GeoJSON.

Street modes: one Dijkstra from the snapped origin on the mode's graph. Transit: walk to the stops
within the transit walking limit, RAPTOR's earliest arrival at every stop (one-to-all), then one
Dijkstra on the walk graph seeded at the origin and at every reached stop with its arrival time, so
the walk after the ride uses whatever time is left. The polygon of one ``minutes`` value is the
street reached within it buffered by ``BUFFER_M`` (and stops off the street network by a disc of
that radius) in the graph's local metric projection, drawn on a grid of ``CELL_M`` cells
(:mod:`routing.plan.isochrone_grid`): exact to about one cell.
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
from routing.plan.isochrone_grid import CELL_M, ReachGrid
from routing.plan.reach import Reach
from routing.plan.stop_arrivals import StopArrivals
from routing.plan.transit_options import TransitPlanner, TransitSearch
from routing.street.graph import StreetGraph
from routing.street.route import snap

ISOCHRONE_MODES = ("walk", "bike", "transit", "drive")
MAX_MINUTES = 120
MAX_VALUES = 6
BUFFER_M = 50.0


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
        street_xy, street_ms = reach.samples_within(times, limit_ms, origin, spacing_m=CELL_M)
        grid = ReachGrid(
            np.concatenate((street_xy, stops_xy)),
            np.concatenate((street_ms, stops_ms)),
            buffer_m=BUFFER_M,
            deadline=deadline,
        )
        features = []
        for minutes in sorted(query.minutes, reverse=True):
            polygon = grid.area(minutes * 60_000.0, deadline=deadline)
            features.append(
                {
                    "type": "Feature",
                    "properties": {"minutes": minutes, "mode": query.mode, "area_km2": round(polygon.area / 1e6, 3)},
                    "geometry": _to_geojson(polygon, reach.graph),
                }
            )
            # Writing a large polygon out takes as long as tracing it (about 0.1 s for 120 minutes).
            check_deadline(deadline, "the isochrone")
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

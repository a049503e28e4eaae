"""Reading GTFS feeds into plain Python tables, skipping broken rows with counted reasons.

One :class:`FeedTables` collects every feed of a city; ids are prefixed with the feed's name so
two feeds never collide. :mod:`routing.transit.build` turns the tables into flat arrays.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from routing.core.geo import haversine_m_arr
from routing.core.report import BuildReport
from routing.transit.gtfs import FeedFiles, parse_time

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class Service:
    feed: int
    start: dt.date | None = None
    end: dt.date | None = None
    weekdays: tuple[bool, ...] = (False,) * 7
    added: set[dt.date] = field(default_factory=set)
    removed: set[dt.date] = field(default_factory=set)

    def dates(self) -> set[dt.date]:
        days: set[dt.date] = set()
        if self.start is not None and self.end is not None:
            d = self.start
            while d <= self.end:
                if self.weekdays[d.weekday()]:
                    days.add(d)
                d += dt.timedelta(days=1)
        return (days | self.added) - self.removed


@dataclass
class RawTrip:
    group: int  # index into FeedTables.trip_group_ids
    route: int
    service: int
    block: str
    shape: int
    stops: list[int]
    arr: list[int]
    dep: list[int]
    pickup: list[int]
    dropoff: list[int]


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def _float(text: str) -> float | None:
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _int(text: str, default: int | None = None) -> int | None:
    if text == "":
        return default
    try:
        return int(float(text))
    except ValueError:
        return None


class FeedTables:
    """Every feed of a city as Python lists, with prefixed ids."""

    def __init__(self, report: BuildReport) -> None:
        self.report = report
        self.feeds: list[dict[str, Any]] = []
        self.stop_ids: list[str] = []
        self.stop_names: list[str] = []
        self.stop_lat: list[float] = []
        self.stop_lon: list[float] = []
        self.stop_zones: list[str] = []
        self.stop_parent_id: list[str] = []
        self.stop_wheelchair: list[int] = []  # stop → wheelchair_boarding: 0 not stated, 1 yes, 2 no
        self.stop_index: dict[str, int] = {}
        self.route_ids: list[str] = []
        self.route_short: list[str] = []
        self.route_long: list[str] = []
        self.route_agency: list[str] = []
        self.route_color: list[str] = []
        self.route_type: list[int] = []
        self.route_feed: list[int] = []
        self.route_index: dict[str, int] = {}
        self.services: list[Service] = []
        self.service_index: dict[str, int] = {}
        self.shape_ids: list[str] = []
        self.shape_points: list[tuple[np.ndarray, np.ndarray]] = []
        self.shape_index: dict[str, int] = {}
        self.trip_group_ids: list[str] = []
        self.trip_headsigns: list[str] = []
        self.trip_wheelchair: list[int] = []  # trip group → wheelchair_accessible: 0 not stated, 1, 2
        self.trip_group_index: dict[str, int] = {}
        self.trips: list[RawTrip] = []
        self.frequencies: dict[int, list[tuple[int, int, int]]] = {}
        # (from stop, to stop, from route, to route, from trip group, to trip group, type, secs)
        self.transfers: list[tuple[int, int, int, int, int, int, int, int]] = []
        self.fares: dict[str, Any] = {}

    def skip(self, feed: str, file: str, reason: str, n: int = 1) -> None:
        self.report.skip(f"{feed}: {file}: {reason}", n)

    # -- one feed ------------------------------------------------------------------------------
    def add_feed(self, name: str, files: FeedFiles, timezone: str) -> None:
        fi = len(self.feeds)
        self.feeds.append({"name": name, "file": files.path.name, "sha256": files.sha256()})
        agencies = self._agencies(name, files, timezone)
        self._stops(name, files)
        self._routes(name, files, fi, agencies)
        self._calendar(name, files, fi)
        self._shapes(name, files)
        trip_rows = self._trips(name, files)
        self._stop_times(name, files, trip_rows)
        self._frequencies(name, files)
        self._transfers(name, files)
        self._fares(name, files)

    def _agencies(self, name: str, files: FeedFiles, timezone: str) -> dict[str, str]:
        agencies: dict[str, str] = {}
        stated: list[str] = []
        for row in files.rows("agency.txt"):
            agencies.setdefault(row.get("agency_id", ""), row.get("agency_name", ""))
            tz = row.get("agency_timezone", "")
            if tz and tz not in stated:
                stated.append(tz)
        for tz in stated:
            if tz != timezone:
                self.report.note(
                    f"{name}: agency time zone {tz} differs from the city's {timezone}; times are read in {timezone}"
                )
        self.report.count(f"transit_{name}_agency_timezone", ", ".join(stated))
        return agencies

    def _stops(self, name: str, files: FeedFiles) -> None:
        for row in files.rows("stops.txt"):
            sid = row["stop_id"]
            loc = _int(row.get("location_type", ""), 0)
            if not sid:
                self.skip(name, "stops.txt", "empty stop_id")
                continue
            if loc in (2, 3):
                continue  # entrances and generic nodes are not places to board
            lat, lon = _float(row.get("stop_lat", "")), _float(row.get("stop_lon", ""))
            if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
                self.skip(name, "stops.txt", "missing or invalid coordinates")
                continue
            key = f"{name}:{sid}"
            if key in self.stop_index:
                self.skip(name, "stops.txt", "duplicate stop_id")
                continue
            self.stop_index[key] = len(self.stop_ids)
            self.stop_ids.append(key)
            self.stop_names.append(row.get("stop_name", "") or sid)
            self.stop_lat.append(lat)
            self.stop_lon.append(lon)
            self.stop_zones.append(row.get("zone_id", ""))
            parent = row.get("parent_station", "")
            self.stop_parent_id.append(f"{name}:{parent}" if parent else "")
            self.stop_wheelchair.append(_wheelchair(row.get("wheelchair_boarding", "")))

    def _routes(self, name: str, files: FeedFiles, fi: int, agencies: dict[str, str]) -> None:
        default_agency = next(iter(agencies.values()), "")
        for row in files.rows("routes.txt"):
            rtype = _int(row["route_type"])
            key = f"{name}:{row['route_id']}"
            if rtype is None or rtype < 0:
                self.skip(name, "routes.txt", "invalid route_type")
                continue
            if key in self.route_index:
                self.skip(name, "routes.txt", "duplicate route_id")
                continue
            self.route_index[key] = len(self.route_ids)
            self.route_ids.append(key)
            self.route_short.append(row.get("route_short_name", ""))
            self.route_long.append(row.get("route_long_name", ""))
            self.route_agency.append(agencies.get(row.get("agency_id", ""), default_agency))
            self.route_color.append(row.get("route_color", ""))
            self.route_type.append(rtype)
            self.route_feed.append(fi)

    def _calendar(self, name: str, files: FeedFiles, fi: int) -> None:
        seen: set[tuple[str, ...]] = set()
        for row in files.rows("calendar.txt"):
            key = f"{name}:{row['service_id']}"
            start, end = _date(row["start_date"]), _date(row["end_date"])
            flags = tuple(row[d] == "1" for d in _WEEKDAYS)
            signature = (key, row["start_date"], row["end_date"], *map(str, flags))
            if signature in seen:
                self.skip(name, "calendar.txt", "duplicate row")
                continue
            seen.add(signature)
            if start is None or end is None or any(row[d] not in ("0", "1") for d in _WEEKDAYS):
                self.skip(name, "calendar.txt", "invalid date or weekday")
                continue
            if key in self.service_index:
                self.skip(name, "calendar.txt", "conflicting rows for one service_id")
                continue
            self.service_index[key] = len(self.services)
            self.services.append(Service(fi, start, end, flags))
        for row in files.rows("calendar_dates.txt"):
            key = f"{name}:{row['service_id']}"
            day, kind = _date(row["date"]), row["exception_type"]
            if day is None or kind not in ("1", "2"):
                self.skip(name, "calendar_dates.txt", "invalid date or exception_type")
                continue
            if key not in self.service_index:
                self.service_index[key] = len(self.services)
                self.services.append(Service(fi))
            svc = self.services[self.service_index[key]]
            (svc.added if kind == "1" else svc.removed).add(day)

    def _shapes(self, name: str, files: FeedFiles) -> None:
        points: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
        bad = 0
        for row in files.rows("shapes.txt"):
            lat, lon = _float(row["shape_pt_lat"]), _float(row["shape_pt_lon"])
            seq = _float(row["shape_pt_sequence"])
            if lat is None or lon is None or seq is None:
                bad += 1
                continue
            points[row["shape_id"]].append((seq, lat, lon))
        self.skip(name, "shapes.txt", "invalid point", bad)
        for sid in sorted(points):
            pts = sorted(points[sid])
            if len(pts) < 2:
                self.skip(name, "shapes.txt", "shape with fewer than 2 points")
                continue
            key = f"{name}:{sid}"
            self.shape_index[key] = len(self.shape_ids)
            self.shape_ids.append(key)
            self.shape_points.append((np.array([p[1] for p in pts]), np.array([p[2] for p in pts])))

    def _trips(self, name: str, files: FeedFiles) -> dict[str, tuple[int, int, str, int, int]]:
        trips: dict[str, tuple[int, int, str, int, int]] = {}
        for row in files.rows("trips.txt"):
            route = self.route_index.get(f"{name}:{row['route_id']}")
            service = self.service_index.get(f"{name}:{row['service_id']}")
            if route is None:
                self.skip(name, "trips.txt", "unknown route_id")
                continue
            if service is None:
                self.skip(name, "trips.txt", "unknown service_id")
                continue
            if row["trip_id"] in trips:
                self.skip(name, "trips.txt", "duplicate trip_id")
                continue
            shape = self.shape_index.get(f"{name}:{row.get('shape_id', '')}", -1)
            block = f"{name}:{row['block_id']}" if row.get("block_id") else ""
            key = f"{name}:{row['trip_id']}"
            group = len(self.trip_group_ids)
            self.trip_group_index[key] = group
            self.trip_group_ids.append(key)
            self.trip_headsigns.append(row.get("trip_headsign", ""))
            self.trip_wheelchair.append(_wheelchair(row.get("wheelchair_accessible", "")))
            trips[row["trip_id"]] = (group, route, block, service, shape)
        return trips

    def _stop_times(self, name: str, files: FeedFiles, trips: dict[str, tuple[int, int, str, int, int]]) -> None:
        rows: dict[str, list[tuple[float, int, int | None, int | None, int, int, float | None]]]
        rows = defaultdict(list)
        for row in files.rows("stop_times.txt"):
            tid = row["trip_id"]
            if tid not in trips:
                self.skip(name, "stop_times.txt", "unknown trip_id")
                continue
            stop = self.stop_index.get(f"{name}:{row['stop_id']}")
            if stop is None:
                self.skip(name, "stop_times.txt", "unknown stop_id")
                continue
            seq = _float(row["stop_sequence"])
            if seq is None:
                self.skip(name, "stop_times.txt", "invalid stop_sequence")
                continue
            a_txt, d_txt = row.get("arrival_time", ""), row.get("departure_time", "")
            arr = parse_time(a_txt) if a_txt else None
            dep = parse_time(d_txt) if d_txt else None
            if (a_txt and arr is None) or (d_txt and dep is None):
                self.skip(name, "stop_times.txt", "invalid time")
                continue
            pick = _int(row.get("pickup_type", ""), 0)
            drop = _int(row.get("drop_off_type", ""), 0)
            dist = _float(row.get("shape_dist_traveled", "")) if row.get("shape_dist_traveled") else None
            rows[tid].append((seq, stop, arr, dep, 0 if pick == 1 else 1, 0 if drop == 1 else 1, dist))
        for tid, (group, route, block, service, shape) in trips.items():
            st = sorted(rows.get(tid, []), key=lambda r: r[0])
            if len(st) < 2:
                self.skip(name, "trips.txt", "trip with fewer than 2 valid stop_times")
                continue
            times = self._interpolate(st)
            if times is None:
                self.skip(name, "trips.txt", "trip without times at its first and last stop")
                continue
            t_arr, t_dep = times
            if any(t_dep[i] < t_arr[i] or t_arr[i + 1] < t_dep[i] for i in range(len(st) - 1)):
                self.skip(name, "trips.txt", "trip whose times go backwards")
                continue
            self.trips.append(
                RawTrip(
                    group,
                    route,
                    service,
                    block,
                    shape,
                    [r[1] for r in st],
                    t_arr,
                    t_dep,
                    [r[4] for r in st],
                    [r[5] for r in st],
                )
            )

    def _interpolate(self, st: list[Any]) -> tuple[list[int], list[int]] | None:
        """Fill empty times linearly by distance between the surrounding timepoints.

        Distance is ``shape_dist_traveled`` when every stop has one, else the sum of straight
        stop-to-stop distances (the GTFS spec leaves the method to the consumer).
        """
        arr = [r[2] if r[2] is not None else r[3] for r in st]
        dep = [r[3] if r[3] is not None else r[2] for r in st]
        if arr[0] is None or dep[-1] is None:
            return None
        if all(r[6] is not None for r in st):
            dist = [float(r[6]) for r in st]
        else:
            lat = np.array([self.stop_lat[r[1]] for r in st])
            lon = np.array([self.stop_lon[r[1]] for r in st])
            steps = haversine_m_arr(lat[:-1], lon[:-1], lat[1:], lon[1:])
            dist = [0.0, *np.cumsum(steps).tolist()]
        last = 0
        for i in range(1, len(st)):
            if arr[i] is None:
                continue
            if i - last > 1:
                t0, t1 = dep[last], arr[i]
                assert t0 is not None and t1 is not None
                span = dist[i] - dist[last]
                for j in range(last + 1, i):
                    frac = (dist[j] - dist[last]) / span if span > 0 else (j - last) / (i - last)
                    arr[j] = dep[j] = int(round(t0 + (t1 - t0) * frac))
            last = i
        return [int(a) for a in arr if a is not None], [int(d) for d in dep if d is not None]

    def _frequencies(self, name: str, files: FeedFiles) -> None:
        for row in files.rows("frequencies.txt"):
            group = self.trip_group_index.get(f"{name}:{row['trip_id']}")
            start, end = parse_time(row["start_time"]), parse_time(row["end_time"])
            headway = _int(row["headway_secs"])
            if group is None:
                self.skip(name, "frequencies.txt", "unknown trip_id")
                continue
            if start is None or end is None or headway is None or headway <= 0 or end < start:
                self.skip(name, "frequencies.txt", "invalid start_time, end_time or headway")
                continue
            self.frequencies.setdefault(group, []).append((start, end, headway))

    def _transfers(self, name: str, files: FeedFiles) -> None:
        def ref(index: dict[str, int], text: str) -> int | None:
            return -1 if not text else index.get(f"{name}:{text}")

        for row in files.rows("transfers.txt"):
            a = self.stop_index.get(f"{name}:{row['from_stop_id']}")
            b = self.stop_index.get(f"{name}:{row['to_stop_id']}")
            fr = ref(self.route_index, row.get("from_route_id", ""))
            tr = ref(self.route_index, row.get("to_route_id", ""))
            ft = ref(self.trip_group_index, row.get("from_trip_id", ""))
            tt = ref(self.trip_group_index, row.get("to_trip_id", ""))
            kind = _int(row["transfer_type"], 0)
            secs = _int(row.get("min_transfer_time", ""), -1)
            if a is None or b is None or None in (fr, tr, ft, tt):
                self.skip(name, "transfers.txt", "unknown stop, route or trip")
                continue
            if kind not in (0, 1, 2, 3):
                self.skip(name, "transfers.txt", f"unsupported transfer_type {kind}")
                continue
            if kind == 2 and (secs is None or secs < 0):
                self.skip(name, "transfers.txt", "transfer_type 2 without min_transfer_time")
                continue
            assert fr is not None and tr is not None and ft is not None and tt is not None
            self.transfers.append((a, b, fr, tr, ft, tt, kind, secs if secs is not None else -1))

    def _fares(self, name: str, files: FeedFiles) -> None:
        attrs: dict[str, dict[str, Any]] = {}
        for row in files.rows("fare_attributes.txt"):
            price = _float(row["price"])
            transfers = _int(row.get("transfers", ""), -1)
            if price is None or price < 0 or transfers is None:
                self.skip(name, "fare_attributes.txt", "invalid price or transfers")
                continue
            duration = _int(row.get("transfer_duration", ""), -1)
            attrs[row["fare_id"]] = {
                "price": price,
                "currency": row["currency_type"],
                "transfers": transfers,
                "duration": duration or -1,
            }
        rules = []
        for row in files.rows("fare_rules.txt"):
            if row["fare_id"] not in attrs:
                self.skip(name, "fare_rules.txt", "unknown fare_id")
                continue
            route = row.get("route_id", "")
            rules.append(
                [
                    row["fare_id"],
                    f"{name}:{route}" if route else "",
                    row.get("origin_id", ""),
                    row.get("destination_id", ""),
                    row.get("contains_id", ""),
                ]
            )
        if attrs:
            self.fares[name] = {"attributes": attrs, "rules": rules}


def _wheelchair(text: str) -> int:
    """A GTFS wheelchair field (``wheelchair_boarding``, ``wheelchair_accessible``): 1 yes, 2 no,
    0 when empty or anything else (the spec: "no accessibility information")."""
    value = _int(text.strip(), 0)
    return 1 if value == 1 else 2 if value == 2 else 0

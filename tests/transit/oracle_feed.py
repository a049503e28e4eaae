"""The oracle's own reading of raw GTFS files: tables, service dates, trips with their times.

Part of the independent oracle (``tests/transit/oracle.py``): it shares no code with the router's
feed reader (``routing/transit``) and reads the zips' text files itself, with times after midnight,
empty non-timepoint times interpolated by distance and frequencies expanded from their template.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

EARTH_M = 6_371_008.8
RELATIVE_TEMPLATE_S = 3600


def read_table(feed: Path, name: str) -> list[dict[str, str]]:
    """Rows of one GTFS file of a zip or folder (empty list when the file is absent)."""
    if feed.is_dir():
        path = feed / name
        text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    else:
        with zipfile.ZipFile(feed) as z:
            names = {Path(n).name: n for n in z.namelist()}
            text = z.read(names[name]).decode("utf-8-sig") if name in names else ""
    return [{k.strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def hms(text: str) -> int | None:
    if not text:
        return None
    h, m, s = (int(x) for x in text.split(":"))
    return h * 3600 + m * 60 + s


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_M * math.asin(math.sqrt(min(a, 1.0)))


def running(feed: Path) -> dict[str, set[dt.date]]:
    """service_id → the dates it runs (calendar.txt then calendar_dates.txt)."""
    out: dict[str, set[dt.date]] = defaultdict(set)
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    for row in read_table(feed, "calendar.txt"):
        d = dt.datetime.strptime(row["start_date"], "%Y%m%d").date()
        end = dt.datetime.strptime(row["end_date"], "%Y%m%d").date()
        while d <= end:
            if row[days[d.weekday()]] == "1":
                out[row["service_id"]].add(d)
            d += dt.timedelta(days=1)
    for row in read_table(feed, "calendar_dates.txt"):
        d = dt.datetime.strptime(row["date"], "%Y%m%d").date()
        if row["exception_type"] == "1":
            out[row["service_id"]].add(d)
        elif row["exception_type"] == "2":
            out[row["service_id"]].discard(d)
    return out


@dataclass
class Trip:
    key: str  # "<feed>:<trip_id>" (frequency copies share it)
    route: str
    service: str
    block: str
    stops: list[str]
    arr: list[int]
    dep: list[int]
    pick: list[bool]
    drop: list[bool]


def read_trips(name: str, feed: Path, stop_ll: dict[str, tuple[float, float]]) -> list[Trip]:
    """Every vehicle trip of a feed, frequencies expanded, times filled in."""
    trips = {r["trip_id"]: r for r in read_table(feed, "trips.txt")}
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read_table(feed, "stop_times.txt"):
        if r["trip_id"] in trips and f"{name}:{r['stop_id']}" in stop_ll:
            rows[r["trip_id"]].append(r)
    freq: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for r in read_table(feed, "frequencies.txt"):
        start, end, headway = hms(r["start_time"]), hms(r["end_time"]), int(r["headway_secs"])
        if start is not None and end is not None and headway > 0:
            freq[r["trip_id"]].append((start, end, headway))
    out: list[Trip] = []
    for tid, st in rows.items():
        st.sort(key=lambda r: float(r["stop_sequence"]))
        if len(st) < 2:
            continue
        stops = [f"{name}:{r['stop_id']}" for r in st]
        arr = [hms(r.get("arrival_time", "")) for r in st]
        dep = [hms(r.get("departure_time", "")) for r in st]
        arr = [a if a is not None else d for a, d in zip(arr, dep, strict=True)]
        dep = [d if d is not None else a for a, d in zip(arr, dep, strict=True)]
        if arr[0] is None or dep[-1] is None:
            continue
        dist = _distances(st, [stop_ll[s] for s in stops])
        last = 0
        for i in range(1, len(st)):
            if arr[i] is None:
                continue
            t0, t1 = dep[last], arr[i]
            assert t0 is not None and t1 is not None
            for j in range(last + 1, i):
                span = dist[i] - dist[last]
                frac = (dist[j] - dist[last]) / span if span > 0 else (j - last) / (i - last)
                arr[j] = dep[j] = int(round(t0 + (t1 - t0) * frac))
            last = i
        a_ = [int(x) for x in arr if x is not None]
        d_ = [int(x) for x in dep if x is not None]
        if any(d_[i] < a_[i] or a_[i + 1] < d_[i] for i in range(len(st) - 1)):
            continue
        pick = [r.get("pickup_type", "") != "1" for r in st]
        drop = [r.get("drop_off_type", "") != "1" for r in st]
        t = trips[tid]
        block = f"{name}:{t['block_id']}" if t.get("block_id") else ""
        common = (f"{name}:{t['route_id']}", t["service_id"], block, stops)
        if tid not in freq:
            out.append(Trip(f"{name}:{tid}", *common, a_, d_, pick, drop))
            continue
        origin = 0 if d_[0] < RELATIVE_TEMPLATE_S else d_[0]
        for start, end, headway in sorted(freq[tid]):
            s = start
            while s < end or s == start == end:
                shift = s - origin
                out.append(
                    Trip(
                        f"{name}:{tid}",
                        *common,
                        [x + shift for x in a_],
                        [x + shift for x in d_],
                        pick,
                        drop,
                    )
                )
                s += headway
    return out


def _distances(st: list[dict[str, str]], ll: list[tuple[float, float]]) -> list[float]:
    if all(r.get("shape_dist_traveled") for r in st):
        return [float(r["shape_dist_traveled"]) for r in st]
    out = [0.0]
    for (a, b), (c, d) in zip(ll[:-1], ll[1:], strict=True):
        out.append(out[-1] + haversine(a, b, c, d))
    return out

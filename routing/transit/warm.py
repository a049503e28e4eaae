"""Compile the transit kernels into numba's on-disk cache, on a tiny timetable, before a city needs them.

The first query after ``pip install .`` would otherwise compile the RAPTOR kernels (about 15 s of
CPU on a 2-core machine, far more when it is loaded). ``greenroute build`` runs this module in a
second process while it compiles the city, so the two overlap and the first plan answers from the
cache. The kernels are compiled for argument types, not for a city, so a three-stop feed is enough;
the timetable is saved and loaded exactly as the planner loads a city's, so the cached types match.

Run by hand: ``python -m routing.transit.warm`` (prints the seconds it took).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from routing.core.report import BuildReport

# Two trips over three stops, every day of 2024: enough for a depart-at and an arrive-by range search.
_FEED = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,Warm-up,http://localhost,UTC\n",
    "calendar.txt": (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "ALL,1,1,1,1,1,1,1,20240101,20241231\n"
    ),
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nS1,One,0.0,0.0\nS2,Two,0.0,0.01\nS3,Three,0.0,0.02\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_type\nR,A,1,3\n",
    "trips.txt": "route_id,service_id,trip_id\nR,ALL,T1\nR,ALL,T2\n",
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,08:00:00,08:00:00,S1,1\nT1,08:05:00,08:05:00,S2,2\nT1,08:10:00,08:10:00,S3,3\n"
        "T2,08:20:00,08:20:00,S1,1\nT2,08:25:00,08:25:00,S2,2\nT2,08:30:00,08:30:00,S3,3\n"
    ),
}


def warm_kernels() -> float:
    """Compile (or load from the cache) every transit kernel a plan uses; return the seconds taken."""
    from routing.transit import Timetable, TransitRouter
    from routing.transit.build import build_timetable

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="greenroute-warm-") as tmp:
        feed = Path(tmp) / "feed"
        feed.mkdir()
        for name, text in _FEED.items():
            (feed / name).write_text(text, encoding="utf-8")
        built = build_timetable([("warm", feed)], timezone="UTC", report=BuildReport("warm-up"))
        built.save(Path(tmp) / "transit")
        TransitRouter(Timetable.load(Path(tmp) / "transit")).warm_up()
    return time.perf_counter() - t0


def kernels_cached() -> bool:
    """Whether numba's cache already holds the RAPTOR kernels (beside the module or in NUMBA_CACHE_DIR).

    A cheap look for the index files, no import of numba: a stale index (the source changed since)
    still counts, and then the first query compiles, as it would without this module.
    """
    here = Path(__file__).parent
    places = [here / "__pycache__"]
    if os.environ.get("NUMBA_CACHE_DIR"):
        places.append(Path(os.environ["NUMBA_CACHE_DIR"]))
    return any(next(place.rglob("raptor.*.nbi"), None) is not None for place in places if place.is_dir())


def start_in_background() -> subprocess.Popen[bytes] | None:
    """Start :func:`warm_kernels` in another process, unless the kernels are cached already.

    Returns None when there is nothing to do or it cannot be started.

    Its output is discarded: a failure here only means the first query compiles the kernels itself.
    """
    if kernels_cached():
        return None
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "routing.transit.warm"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None


if __name__ == "__main__":
    print(f"transit kernels ready in {warm_kernels():.1f} s")

"""Seeded random trips in a compiled city, shared by the plan, load and fuzz benchmarks.

Origins and destinations are nodes of the walk graph's largest strongly connected component (so
they lie in the city's walkable area), moved by up to ~30 m so they are not exactly on a node;
departure times are random minutes from 06:00 to 22:00 on weekdays the timetables cover.

Importing this module puts this checkout first on ``sys.path`` (and ``tests/support/live_server.py``
does the same for servers the benchmarks start on a :func:`free_port`), so they measure the code
next to them even when ``pip install -e`` points at another copy.
"""

from __future__ import annotations

import math
import random
import socket
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_JITTER_DEG = 0.0003  # ~30 m of latitude
_MIN_APART_M = 200.0


@dataclass(frozen=True)
class Trip:
    """One trip to plan: points as ``(lat, lon)`` and a naive local departure time."""

    origin: tuple[float, float]
    destination: tuple[float, float]
    at: datetime

    def query(self, *, modes: str = "walk,bike,transit,drive") -> str:
        """The ``/api/plan`` query string of this trip."""
        return urlencode(
            {
                "from": f"{self.origin[0]:.6f},{self.origin[1]:.6f}",
                "to": f"{self.destination[0]:.6f},{self.destination[1]:.6f}",
                "modes": modes,
                "at": self.at.isoformat(timespec="minutes"),
            }
        )


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def feed_days(feeds: list[dict[str, str]]) -> tuple[date, date]:
    """The days every feed covers (``start``/``end`` of ``/api/health``'s ``data.gtfs``)."""
    first = max(date.fromisoformat(f["start"]) for f in feeds)
    last = min(date.fromisoformat(f["end"]) for f in feeds)
    if first > last:  # feeds that do not overlap: use the first one's days
        first, last = date.fromisoformat(feeds[0]["start"]), date.fromisoformat(feeds[0]["end"])
    return first, last


def _weekdays(first: date, last: date) -> list[date]:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5]


def _apart_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (a[0] - b[0]) * 111_000.0
    dx = (a[1] - b[1]) * 111_000.0 * math.cos(math.radians(a[0]))
    return math.hypot(dx, dy)


def random_trips(folder: Path, *, n: int, seed: int, days: tuple[date, date]) -> list[Trip]:
    """``n`` trips drawn with ``random.Random(seed)`` in the compiled city ``folder``.

    Parameters
    ----------
    folder
        A compiled city (``graphs/<city>-<hash>``).
    n
        How many trips.
    seed
        The seed: the same seed gives the same trips.
    days
        First and last day (inclusive) to draw weekdays from.
    """
    walk = folder / "street" / "walk"
    lat = np.load(walk / "node_lat.npy", mmap_mode="r")
    lon = np.load(walk / "node_lon.npy", mmap_mode="r")
    main = np.flatnonzero(np.load(walk / "node_main.npy"))
    weekdays = _weekdays(*days) or [days[0]]
    rng = random.Random(seed)

    def point() -> tuple[float, float]:
        i = int(main[rng.randrange(len(main))])
        return (
            float(lat[i]) + rng.uniform(-_JITTER_DEG, _JITTER_DEG),
            float(lon[i]) + rng.uniform(-_JITTER_DEG, _JITTER_DEG),
        )

    trips: list[Trip] = []
    while len(trips) < n:
        a, b = point(), point()
        if _apart_m(a, b) < _MIN_APART_M:
            continue
        day = rng.choice(weekdays)
        minute = rng.randrange(6 * 60, 22 * 60 + 1)
        at = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
        trips.append(Trip(origin=a, destination=b, at=at))
    return trips

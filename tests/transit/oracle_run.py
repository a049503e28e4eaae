"""Seeded random trips asked of ``/api/plan?modes=transit`` and of the oracle, side by side.

Used by the CI subset (``tests/transit/test_oracle_cities.py``) and the full run
(``bench/transit_oracle.py``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from routing.build.pipeline import build_city
from routing.core.city import load_city
from routing.street.graph import StreetGraph
from routing.street.route import partial_ms, snap, snap_sources, snap_targets
from tests.transit.oracle import Oracle, WalkGraph, plan_query

#: Per city: a Tuesday, a Saturday and a Sunday inside every feed's period (and the day after).
DAYS = {
    "porto-alegre": (dt.date(2019, 5, 7), dt.date(2019, 5, 11), dt.date(2019, 5, 12)),
    "sao-paulo": (dt.date(2019, 5, 7), dt.date(2019, 5, 11), dt.date(2019, 5, 12)),
    "beatty": (dt.date(2008, 6, 10), dt.date(2008, 6, 14), dt.date(2008, 6, 15)),
}
#: Kinds of query time, chosen in turn: weekday day, Saturday, Sunday, late night (weekday).
KINDS = ("weekday", "saturday", "sunday", "late night")
NEAR_STOP_M = 400.0  # trip ends within this of a random stop, so most trips have stops to walk to


@dataclass
class Case:
    kind: str
    origin: tuple[float, float]
    destination: tuple[float, float]
    at: dt.datetime
    ours: dt.datetime | None = None
    oracle: dt.datetime | None = None
    error: str = ""

    @property
    def gap_s(self) -> float | None:
        if self.ours is None or self.oracle is None:
            return None
        return (self.ours - self.oracle).total_seconds()

    @property
    def verdict(self) -> str:
        if self.ours is None and self.oracle is None:
            return "both none"
        if self.ours is None:
            return "greenroute none"
        if self.oracle is None:
            return "oracle none"
        gap = self.gap_s
        assert gap is not None
        # The answer's arrival is the last stop's time plus the egress walk in tenths of a second,
        # printed to the second (truncated); the search itself, like the oracle, counts the walk
        # in whole seconds rounded up. So equal searches print 0 or 1 s apart.
        if -1 <= gap <= 0:
            return "equal"
        return "greenroute later" if gap > 0 else "greenroute earlier"


class CityRun:
    """One compiled city, its Flask test client and its oracle."""

    def __init__(self, name: str, *, root: Path) -> None:
        from webapp import create_app

        self.name = name
        self.config = load_city(name, seeds=root / "seeds")
        folder = self.folder = build_city(self.config, root=root / "graphs", progress=False)
        self.street = StreetGraph.load(folder / "street", "walk")
        feeds = [(f"feed{i}", p) for i, p in enumerate(self.config.gtfs)]
        self.oracle = Oracle(feeds, timezone=self.config.timezone, walk=WalkGraph(folder / "street" / "walk"))
        self.client = create_app({"TESTING": True, "CITY": name}).test_client()

    def snapper(self, point: tuple[float, float], argument: str) -> dict[int, int]:
        """Walk-graph nodes of the planner's snapped point and the ms of the partial edge."""
        p = snap(self.street, *point, argument=argument)
        ends = snap_sources(self.street, p) if argument == "from" else snap_targets(self.street, p)
        return {n: 0 if part is None else partial_ms(self.street, part) for n, part in ends.items()}

    def cases(self, n: int, *, seed: int) -> list[Case]:
        rng = random.Random(f"{self.name}:{seed}")
        # Stops on the street network: trips near the others start outside the city's streets.
        stops = [(float(self.oracle.lat[i]), float(self.oracle.lon[i])) for i in np.flatnonzero(self.oracle.node >= 0)]
        weekday, saturday, sunday = DAYS[self.name]
        out = []
        for i in range(n):
            kind = KINDS[i % len(KINDS)]
            day = {"weekday": weekday, "saturday": saturday, "sunday": sunday, "late night": weekday}[kind]
            if kind == "late night":
                secs = rng.randint(22 * 3600, 26 * 3600 + 1800)  # 22:00 to 02:30 the next morning
            else:
                secs = rng.randint(5 * 3600, 21 * 3600)
            local = dt.datetime.combine(day, dt.time(), tzinfo=self.oracle.tz) + dt.timedelta(seconds=secs)
            out.append(Case(kind, _near(rng, rng.choice(stops)), _near(rng, rng.choice(stops)), local))
        return out

    def run(self, case: Case) -> Case:
        at = case.at.replace(tzinfo=None).isoformat(timespec="seconds")
        query = f"from={case.origin[0]:.6f},{case.origin[1]:.6f}&to={case.destination[0]:.6f},{case.destination[1]:.6f}"
        r = self.client.get(f"/api/plan?{query}&modes=transit&at={at}&strict_dates=true")
        body = r.get_json()
        if r.status_code == 200:
            arrivals = [dt.datetime.fromisoformat(o["arrival"]) for o in body["options"] if o["mode"] == "transit"]
            case.ours = min(arrivals) if arrivals else None
        else:
            case.error = body.get("error", "")
        if case.error in ("", "no_route"):
            case.oracle = plan_query(self.oracle, self.snapper, case.origin, case.destination, case.at)["arrival"]
        return case


def _near(rng: random.Random, ll: tuple[float, float]) -> tuple[float, float]:
    r = NEAR_STOP_M * math.sqrt(rng.random())
    a = rng.random() * 2 * math.pi
    dlat = r * math.cos(a) / 111_195.0
    dlon = r * math.sin(a) / (111_195.0 * math.cos(math.radians(ll[0])))
    # Rounded as the query string sends them, so both sides snap the same point.
    return round(ll[0] + dlat, 6), round(ll[1] + dlon, 6)


def summary(cases: list[Case]) -> dict[str, Any]:
    """Counts by verdict, the share of equal earliest arrivals among comparable queries."""
    asked = [c for c in cases if c.error in ("", "no_route")]
    verdicts = Counter(c.verdict for c in asked)
    agree = verdicts["equal"] + verdicts["both none"]
    return {
        "queries": len(cases),
        "compared": len(asked),
        "outside": len(cases) - len(asked),
        "verdicts": dict(verdicts),
        "agree_share": agree / len(asked) if asked else 1.0,
    }

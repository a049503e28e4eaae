"""Fixtures of the realtime tests: the three-line city's planner, a fake clock and feed server."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest

from routing.plan.planner import Planner
from tests.realtime.city import TZ, build_realtime_city
from tests.realtime.feeds import FeedServer, serve_feeds

#: A Tuesday inside the feed's calendar.
DAY = dt.date(2026, 12, 1)


def at(hh: int, mm: int) -> dt.datetime:
    return dt.datetime(DAY.year, DAY.month, DAY.day, hh, mm, tzinfo=zoneinfo.ZoneInfo(TZ))


class Clock:
    """A clock the test moves by hand (POSIX seconds)."""

    def __init__(self, start: dt.datetime) -> None:
        self.t = start.timestamp()

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="session")
def rt_city(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    return build_realtime_city(tmp_path_factory.mktemp("rt-city"))


@pytest.fixture()
def rt_planner(rt_city: tuple[object, Path]) -> Iterator[Planner]:
    city, folder = rt_city
    planner = Planner(folder, city)  # type: ignore[arg-type]
    yield planner
    if planner.transit is not None and planner.transit.realtime is not None:
        planner.transit.realtime.stop()


@pytest.fixture()
def feeds() -> Iterator[FeedServer]:
    with serve_feeds() as server:
        yield server

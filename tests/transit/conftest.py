"""Shared fixtures: the GTFS sample feed (Beatty) compiled once per session."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest

from routing.core.report import BuildReport
from routing.transit import Timetable, TransitRouter
from routing.transit.build import build_timetable

REPO = Path(__file__).resolve().parents[2]
SAMPLE_FEED = REPO / "seeds" / "beatty" / "sample-feed.zip"
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="session")
def sample_timetable() -> Timetable:
    return build_timetable([("sample", SAMPLE_FEED)], timezone="America/Los_Angeles", report=BuildReport("beatty"))


@pytest.fixture(scope="session")
def sample_router(sample_timetable: Timetable) -> TransitRouter:
    return TransitRouter(sample_timetable)


def monday(hour: int, minute: int = 0, *, day: int = 1) -> dt.datetime:
    """2007-01-01 is a Monday; ``day=6`` is Saturday 2007-01-06."""
    return dt.datetime(2007, 1, day, hour, minute, tzinfo=LA)

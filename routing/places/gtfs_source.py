"""Read stop names from the city's GTFS feeds (``stops.txt`` of each feed, through the timetable's reader)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from routing.core.report import BuildReport
from routing.transit.gtfs import FeedFiles

# location_type 0 (or empty) is a stop or platform, 1 a station; entrances (2), generic nodes (3)
# and boarding areas (4) are parts of a station, not places a person searches for.
_SEARCHABLE_LOCATION_TYPES = frozenset({"", "0", "1"})


@dataclass
class Stop:
    """A named stop or station of one feed."""

    name: str
    lat: float
    lon: float
    code: str
    feed: str  # the agency name, or the zip file's stem when the feed names none
    station: bool


def _feed_label(files: FeedFiles, fallback: str) -> str:
    names = sorted({row.get("agency_name", "") for row in files.rows("agency.txt")})
    names = [n for n in names if n]
    return ", ".join(names) if names else fallback


def _float(text: str | None) -> float | None:
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_stops(path: Path, *, report: BuildReport) -> list[Stop]:
    """Return the searchable stops of one GTFS feed (zip or folder); rows without a usable position are skipped.

    Child stops of a station that is itself listed are left out: searching "Mercado" should offer
    the station once, not each of its platforms.
    """
    feed = path.stem
    # The timetable's reader, so the place index accepts exactly the feeds the timetable does.
    files = FeedFiles(feed, path)
    label = _feed_label(files, feed)
    # (parent station's id, the stop or why it is skipped): a child of a listed station is left out
    # without counting as skipped, and which stations are listed is known only at the file's end.
    candidates: list[tuple[str, Stop | str]] = []
    stations: set[str] = set()
    for row in files.rows("stops.txt"):
        location_type = row.get("location_type", "")
        if location_type not in _SEARCHABLE_LOCATION_TYPES:
            continue
        station = location_type == "1"
        if station:
            stations.add(row["stop_id"])
        parent = "" if station else row.get("parent_station", "")
        name = row.get("stop_name", "")
        lat, lon = _float(row.get("stop_lat")), _float(row.get("stop_lon"))
        if not name:
            candidates.append((parent, "stop without a name"))
        elif lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            candidates.append((parent, "stop without a valid position"))
        else:
            stop = Stop(name=name, lat=lat, lon=lon, code=row.get("stop_code", ""), feed=label, station=station)
            candidates.append((parent, stop))
    stops: list[Stop] = []
    for parent, found in candidates:
        if parent and parent in stations:
            continue
        if isinstance(found, str):
            report.skip(f"places: {feed}: {found}")
        else:
            stops.append(found)
    return stops

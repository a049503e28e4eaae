"""Read stop names from the city's GTFS feeds (``stops.txt`` of each zip)."""

from __future__ import annotations

import csv
import io
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

from routing.errors import BuildError
from routing.report import BuildReport

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


def _feed_label(zf: zipfile.ZipFile, fallback: str) -> str:
    try:
        text = zf.read("agency.txt").decode("utf-8-sig")
    except KeyError:
        return fallback
    names = sorted({row.get("agency_name", "").strip() for row in csv.DictReader(io.StringIO(text))})
    names = [n for n in names if n]
    return ", ".join(names) if names else fallback


def _float(text: str | None) -> float | None:
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_stops(path: Path, *, report: BuildReport) -> list[Stop]:
    """Return the searchable stops of one GTFS zip; rows without a usable position are skipped.

    Child stops of a station that is itself listed are left out: searching "Mercado" should offer
    the station once, not each of its platforms.
    """
    feed = path.stem
    try:
        with zipfile.ZipFile(path) as zf:
            label = _feed_label(zf, feed)
            text = zf.read("stops.txt").decode("utf-8-sig")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError) as exc:
        raise BuildError(f"{path.name}: no readable stops.txt ({exc})", argument="gtfs") from exc
    rows = list(csv.DictReader(io.StringIO(text)))
    stations = {r.get("stop_id", "") for r in rows if (r.get("location_type") or "").strip() == "1"}
    stops: list[Stop] = []
    for row in rows:
        location_type = (row.get("location_type") or "").strip()
        if location_type not in _SEARCHABLE_LOCATION_TYPES:
            continue
        if (row.get("parent_station") or "").strip() in stations and location_type != "1":
            continue
        name = (row.get("stop_name") or "").strip()
        lat, lon = _float(row.get("stop_lat")), _float(row.get("stop_lon"))
        if not name:
            report.skip(f"places: {feed}: stop without a name")
            continue
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            report.skip(f"places: {feed}: stop without a valid position")
            continue
        stops.append(
            Stop(
                name=name,
                lat=lat,
                lon=lon,
                code=(row.get("stop_code") or "").strip(),
                feed=label,
                station=location_type == "1",
            )
        )
    return stops

"""The GTFS sample feed (seeds/beatty) with wheelchair fields, compiled with Beatty's streets.

The reference sample feed states no accessibility, so these columns are added (everything else is
the feed as published):

* ``STBA`` (Stagecoach → Airport, every 30 min from 06:00) ``wheelchair_accessible=2``;
* a low-floor copy, ``STBA_LOW``, every 30 min from 06:15 with ``wheelchair_accessible=1``;
* ``AB1``/``AB2``/``BFC*`` ``wheelchair_accessible=1``; every other trip leaves it empty;
* stop ``NANAA`` ``wheelchair_boarding=2``, ``STAGECOACH`` and ``BEATTY_AIRPORT`` ``1``, the rest empty.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

from routing.build.pipeline import build_city
from routing.core.city import CityConfig, load_city
from tests.conftest import ROOT

SEED = ROOT / "seeds" / "beatty"
TRIP_ACCESS = {"STBA": "2", "STBA_LOW": "1", "AB1": "1", "AB2": "1", "BFC1": "1", "BFC2": "1"}
STOP_ACCESS = {"NANAA": "2", "STAGECOACH": "1", "BEATTY_AIRPORT": "1"}
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # zip entries' time: the same bytes, so the same build, every run


def _table(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def _text(fields: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def wheelchair_feed(path: Path) -> Path:
    """Write the sample feed with the wheelchair fields above to ``path`` (a zip)."""
    with zipfile.ZipFile(SEED / "sample-feed.zip") as z:
        files = {n: z.read(n).decode("utf-8-sig") for n in z.namelist()}
    fields, trips = _table(files["trips.txt"])
    low = dict(next(t for t in trips if t["trip_id"] == "STBA"), trip_id="STBA_LOW")
    trips.append(low)
    for t in trips:
        t["wheelchair_accessible"] = TRIP_ACCESS.get(t["trip_id"], "")
    files["trips.txt"] = _text([*fields, "wheelchair_accessible"], trips)
    fields, stops = _table(files["stops.txt"])
    for s in stops:
        s["wheelchair_boarding"] = STOP_ACCESS.get(s["stop_id"], "")
    files["stops.txt"] = _text([*fields, "wheelchair_boarding"], stops)
    fields, times = _table(files["stop_times.txt"])
    times += [dict(r, trip_id="STBA_LOW") for r in times if r["trip_id"] == "STBA"]
    files["stop_times.txt"] = _text(fields, times)
    files["frequencies.txt"] = files["frequencies.txt"].rstrip() + "\nSTBA_LOW,6:15:00,22:00:00,1800\n"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in sorted(files.items()):
            z.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), text)
    return path


def build_wheelchair_city(root: Path) -> tuple[CityConfig, Path]:
    """``root/seeds/beatty-wheelchair``: Beatty's OSM and the feed above, compiled into the
    checkout's ``graphs/`` (the inputs are byte-identical every run, so the build is reused)."""
    folder = root / "seeds" / "beatty-wheelchair"
    folder.mkdir(parents=True)
    shutil.copy(SEED / "beatty.osm", folder / "beatty.osm")
    wheelchair_feed(folder / "sample-feed.zip")
    toml = (SEED / "city.toml").read_text(encoding="utf-8").replace('name = "beatty"', 'name = "beatty-wheelchair"')
    (folder / "city.toml").write_text(toml, encoding="utf-8")
    city = load_city("beatty-wheelchair", seeds=root / "seeds")
    return city, build_city(city, progress=False)

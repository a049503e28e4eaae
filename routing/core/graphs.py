"""Where compiled cities live and how they are named: the hash of a city's inputs and build options.

Serving needs only this (find the folder of the current inputs); compiling is :mod:`routing.build`,
which writes what this module names. Keeping the two apart is what lets a server start without
loading osmium or any build code.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from routing.core.city import CityConfig
from routing.core.home import graphs_dir

BUILD_FORMAT = 12  # bump when the compiled format changes, so old builds are rebuilt
MANIFEST = "manifest.json"
REPORT = "report.json"
# The parts of a build in build order, each with the inputs it reads (``"osm"``, ``"gtfs"``, ``"dem"``):
# a part whose inputs are unchanged is linked from the previous build instead of compiled again.
# Transit footpaths walk the street graph, so streets come first.
PART_INPUTS: dict[str, tuple[str, ...]] = {
    # "stops": a digest of the feeds' stop positions, where the walk graph gets nodes (not of the
    # whole feeds, so a timetable change alone reuses the street graphs)
    "street": ("osm", "dem", "stops"),
    "transit": ("osm", "gtfs", "dem"),
    "places": ("osm", "gtfs"),
    "basemap": ("osm", "gtfs"),
    "car_parks": ("osm",),
}


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _hash(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()


def input_digests(city: CityConfig) -> dict[str, Any]:
    return {
        "osm": {"file": city.osm.name, "sha256": file_sha256(city.osm)},
        "gtfs": [{"file": g.name, "sha256": file_sha256(g)} for g in city.gtfs],
        "dem": {"file": city.dem.name, "sha256": file_sha256(city.dem)} if city.dem else None,
    }


def part_key(part: str, city: CityConfig, digests: dict[str, Any]) -> str:
    """The hash under which one part's files are reused: its own inputs and the options it reads."""
    return _hash(
        {
            "format": BUILD_FORMAT,
            "part": part,
            "timezone": city.timezone,
            "driving_side": city.driving_side,
            "inputs": {k: digests[k] for k in PART_INPUTS[part]},
            # every part that reads the OSM file may use the street graphs (footpaths, snapping)
            "streets": city.street_options if "osm" in PART_INPUTS[part] else None,
        }
    )


def build_key(city: CityConfig, digests: dict[str, Any] | None = None) -> str:
    digests = digests or input_digests(city)
    return _hash(
        {
            "format": BUILD_FORMAT,
            "name": city.name,
            "timezone": city.timezone,
            "driving_side": city.driving_side,
            "inputs": digests,
            "streets": city.street_options,
            "parts": list(PART_INPUTS),
        }
    )[:16]


def find_build(city: CityConfig, *, root: Path | None = None) -> Path | None:
    """The compiled folder of ``city`` for its current inputs, or None when missing or stale."""
    folder = (root or graphs_dir()) / f"{city.name}-{build_key(city)}"
    return folder if (folder / MANIFEST).is_file() else None


def latest_build(city_name: str, *, root: Path | None = None) -> Path | None:
    """The most recent complete build of a city, whatever its inputs (for `greenroute cities`)."""
    root = root or graphs_dir()
    builds = [p for p in root.glob(f"{city_name}-*") if (p / MANIFEST).is_file()]
    manifests = [(json.loads((p / MANIFEST).read_text())["built_at"], p) for p in builds]
    return max(manifests)[1] if manifests else None

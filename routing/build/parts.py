"""The parts of a city build (streets, transit, places, base map), each split into timed steps.

A part is the unit of reuse: it reads some of the inputs (``"osm"``, ``"gtfs"``, ``"dem"``) and
writes the files named after it; when its inputs are unchanged, the next build links those files
instead of computing them again. Steps are the unit of progress and timing inside a part.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from routing.build.progress import ProgressReport
from routing.core.city import CityConfig
from routing.core.errors import BuildError
from routing.core.graphs import PART_INPUTS

Sampler = Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]]


@dataclass(frozen=True)
class Part:
    """One reusable part of a build."""

    name: str  # a key of routing.core.graphs.PART_INPUTS
    label: str  # shown on the progress line when the part is reused
    run: Callable[[CityConfig, Path, ProgressReport], None]

    @property
    def inputs(self) -> tuple[str, ...]:
        """Which of ``"osm"``, ``"gtfs"``, ``"dem"`` it reads."""
        return PART_INPUTS[self.name]


def parts() -> list[Part]:
    """The parts in build order (the order of :data:`routing.core.graphs.PART_INPUTS`)."""
    runners = {
        "street": ("streets", _streets),
        "transit": ("timetable", _transit),
        "places": ("place index", _places),
        "basemap": ("base map", _basemap),
        "car_parks": ("car parks", _car_parks),
    }
    return [Part(name, *runners[name]) for name in PART_INPUTS]


def _car_parks(city: CityConfig, out: Path, report: ProgressReport) -> None:
    from routing.build.car_parks import build_car_parks

    build_car_parks(city, out, report=report)


def _streets(city: CityConfig, out: Path, report: ProgressReport) -> None:
    from routing.street.access import MODES
    from routing.street.compile import compile_streets
    from routing.street.footpaths import STOP_SNAP_M
    from routing.street.osm import read_streets

    with report.step("reading OSM"):
        streets = read_streets(city.osm)
    report.count("osm_highway_ways", len(streets.way_ids))
    report.count("osm_nodes", len(streets.node_coords))
    sample = _elevation(city, report)
    stops = _stop_points(city)
    for mode in MODES:
        with report.step(f"{mode} graph (with CCH order)"):
            counts = compile_streets(
                streets,
                out,
                elevation=sample,
                modes=(mode,),
                min_network_nodes=city.min_network_nodes,
                driving_side=city.driving_side,
                stops=stops,
                stop_snap_m=STOP_SNAP_M,
            )
        for key, value in counts[mode].items():
            report.count(f"street_{mode}_{key}", value)


def stop_positions_digest(city: CityConfig) -> str:
    """sha256 of the stop positions the street part splits the walk graph at (its ``"stops"`` input)."""
    lat, lon = _stop_points(city)
    return hashlib.sha256(lat.tobytes() + lon.tobytes()).hexdigest()


def _stop_points(city: CityConfig) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Latitudes and longitudes of the feeds' stops and stations, where the walk graph gets nodes
    (:mod:`routing.street.split`). A feed that cannot be read adds none: the timetable step
    reports why."""
    from routing.transit.gtfs import FeedFiles

    lat: list[float] = []
    lon: list[float] = []
    for path in city.gtfs:
        try:
            for row in FeedFiles(path.stem, path).rows("stops.txt"):
                if row.get("location_type", "") in ("2", "3"):
                    continue  # entrances and generic nodes: nobody boards there (as the timetable)
                try:
                    la, lo = float(row.get("stop_lat", "")), float(row.get("stop_lon", ""))
                except ValueError:
                    continue
                if -90 <= la <= 90 and -180 <= lo <= 180:
                    lat.append(la)
                    lon.append(lo)
        except BuildError:
            continue
    return np.array(lat, dtype=np.float64), np.array(lon, dtype=np.float64)


def _elevation(city: CityConfig, report: ProgressReport) -> Sampler | None:
    """The DEM's sampler, timed into the ``elevation`` step (reading here, sampling per mode)."""
    from routing.street.elevation import Dem

    if city.dem is None:
        report.note("no DEM: elevations are 0 and slopes are flat")
        return None
    with report.step("elevation"):
        dem = Dem(city.dem)

    def sample(lat: NDArray[np.float64], lon: NDArray[np.float64]) -> NDArray[np.float64]:
        t0 = time.perf_counter()
        try:
            return dem.sample(lat, lon)
        finally:
            report.add_time("elevation", time.perf_counter() - t0)

    return sample


def _transit(city: CityConfig, out: Path, report: ProgressReport) -> None:
    from routing.street.footpaths import street_footpaths
    from routing.transit.build import build_transit

    walk_footpaths = street_footpaths(out)

    def footpaths(
        lat: NDArray[np.float64], lon: NDArray[np.float64]
    ) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32]]:
        with report.step("footpaths"):
            return walk_footpaths(lat, lon)

    with report.step("timetable"):
        build_transit(city, out, report=report, footpaths=footpaths)
    check_stops_on_streets(out, report)


def check_stops_on_streets(out: Path, report: ProgressReport) -> None:
    """Count stops off the street network per feed; refuse a feed none of whose stops is on it.

    Also copies each feed's validity dates into the report.

    Raises
    ------
    BuildError
        If every stop of some feed lies outside the OSM extract (wrong extract or wrong feed).
    """
    meta_path, node_path = out / "transit" / "meta.json", out / "transit_access" / "stop_node.npy"
    if not meta_path.is_file() or not node_path.is_file():
        return
    meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
    node = np.load(node_path)
    lat, lon = np.load(out / "transit" / "stop_lat.npy"), np.load(out / "transit" / "stop_lon.npy")
    feed_of = np.array([s.split(":", 1)[0] for s in meta["stop_ids"]])
    report.count("transit_stops_outside_streets", int(np.count_nonzero(node < 0)))
    for feed in meta.get("feeds", []):
        name = feed["name"]
        mine = feed_of == name
        outside = int(np.count_nonzero(mine & (node < 0)))
        report.count(f"transit_{name}_valid_from", feed.get("start"))
        report.count(f"transit_{name}_valid_until", feed.get("end"))
        report.count(f"transit_{name}_stops_outside_streets", outside)
        total = int(np.count_nonzero(mine))
        if total and outside == total:
            raise BuildError(
                f"{feed['file']}: none of its {total} stops lies within reach of a street of the OSM extract "
                f"(stops span lat {lat[mine].min():.4f}..{lat[mine].max():.4f}, "
                f"lon {lon[mine].min():.4f}..{lon[mine].max():.4f}): is it the feed of another city?",
                argument="gtfs",
            )


def _places(city: CityConfig, out: Path, report: ProgressReport) -> None:
    from routing.places.build import build_places

    with report.step("place index"):
        build_places(city, out, report=report)


def _basemap(city: CityConfig, out: Path, report: ProgressReport) -> None:
    from routing.build.basemap import build_basemap

    with report.step("base map"):
        build_basemap(city, out, report=report)

"""The street part of a city build: per-mode graphs with elevations."""

from __future__ import annotations

from pathlib import Path

from routing.city import CityConfig
from routing.report import BuildReport
from routing.street.compile import compile_streets
from routing.street.elevation import Dem
from routing.street.osm import read_streets


def build_streets(city: CityConfig, out: Path, *, report: BuildReport) -> None:
    """Read ``city.osm`` (and ``city.dem``) and write ``out/street``."""
    streets = read_streets(city.osm)
    report.count("osm_highway_ways", len(streets.way_ids))
    report.count("osm_nodes", len(streets.node_coords))
    dem = Dem(city.dem) if city.dem is not None else None
    if dem is None:
        report.note("no DEM: elevations are 0 and slopes are flat")
    counts = compile_streets(streets, out, elevation=dem.sample if dem else None)
    for mode, c in counts.items():
        for key, value in c.items():
            report.count(f"street_{mode}_{key}", value)

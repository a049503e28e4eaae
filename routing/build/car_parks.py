"""Car parks from OpenStreetMap, for park-and-ride: where a car can be left near a stop.

A car park is an ``amenity=parking`` node or way (its centroid), a way tagged ``park_ride`` (any value
but ``no``), or a parking aisle (``highway=service`` + ``service=parking_aisle``: many extracts map
the aisles of a car park without its outline). Car parks closed to the public (``access=private``,
``no``, ``customers``, ``permit``, ``delivery``) are left out.

:func:`build_car_parks` writes ``<out>/car_parks/`` (``lat.npy``, ``lon.npy``, ``kind.npy``) as a build
step; :func:`routing.street.car_parks.load_car_parks` reads that folder at query time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import osmium

from routing.core.city import CityConfig
from routing.core.report import BuildReport
from routing.street.car_parks import FOLDER, KINDS, CarParks

_CLOSED = frozenset({"private", "no", "customers", "permit", "delivery"})


def _kind(tags: osmium.osm.TagList) -> int | None:
    if tags.get("access") in _CLOSED:
        return None
    if tags.get("park_ride", "no") != "no":
        return 0
    if tags.get("amenity") == "parking":
        return 1
    if tags.get("highway") == "service" and tags.get("service") == "parking_aisle":
        return 2
    return None


class _Reader(osmium.SimpleHandler):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[float, float, int]] = []

    def node(self, n: osmium.osm.Node) -> None:
        kind = _kind(n.tags)
        if kind is not None and n.location.valid():
            self.rows.append((n.location.lat, n.location.lon, kind))

    def way(self, w: osmium.osm.Way) -> None:
        kind = _kind(w.tags)
        if kind is None:
            return
        pts = [(nd.location.lat, nd.location.lon) for nd in w.nodes if nd.location.valid()]
        if pts:
            # The mean of the nodes: inside a compact car park, the middle of an aisle.
            self.rows.append((sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts), kind))


def read_car_parks(osm: Path) -> CarParks:
    """Every public car park of an OSM file, in file order (nodes, then ways)."""
    reader = _Reader()
    reader.apply_file(str(osm), locations=True)
    rows = np.array(reader.rows, dtype=np.float64).reshape(-1, 3)
    return CarParks(rows[:, 0].copy(), rows[:, 1].copy(), rows[:, 2].astype(np.int8))


def build_car_parks(city: CityConfig, out: Path, *, report: BuildReport | None = None) -> None:
    """Build step: write ``out/car_parks/`` from the city's OSM file."""
    parks = read_car_parks(city.osm)
    folder = out / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / "lat.npy", parks.lat, allow_pickle=False)
    np.save(folder / "lon.npy", parks.lon, allow_pickle=False)
    np.save(folder / "kind.npy", parks.kind, allow_pickle=False)
    if report is not None:
        for i, name in enumerate(KINDS):
            report.count(f"car_parks_{name}", int((parks.kind == i).sum()))

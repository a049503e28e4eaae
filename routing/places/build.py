"""Compile a city's place index: ``<out>/places/entries.json`` plus reverse-geocoding arrays.

The output is deterministic: the same inputs give byte-identical files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from routing.core.city import CityConfig
from routing.core.geo import haversine_m
from routing.core.report import BuildReport
from routing.places.geo import densify
from routing.places.gtfs_source import Stop, read_stops
from routing.places.index import FORMAT_VERSION
from routing.places.normalize import normalize
from routing.places.osm_source import NamedThing, StreetWay, read_osm_names

KIND_ORDER = ("street", "place", "stop", "address")

# Ways of one name further apart than this are different streets (the many "Rua A" of a city).
_SAME_STREET_GAP_M = 300.0
# Two stops of one name closer than this are the two sides of one road: one search result.
_SAME_STOP_M = 150.0
_SAME_PLACE_M = 50.0
# Spacing of the points that stand for a street in the reverse-geocoding tree.
_REVERSE_STEP_M = 15.0


@dataclass
class _Entry:
    name: str
    kind: str
    lat: float
    lon: float
    detail: str
    shape: list[list[tuple[float, float]]] = field(default_factory=list)

    def sort_key(self) -> tuple[int, str, str, float, float, str]:
        return (
            KIND_ORDER.index(self.kind),
            normalize(self.name),
            self.name,
            self.lat,
            self.lon,
            self.detail,
        )


def _bbox(coords: list[tuple[float, float]], pad_deg: float) -> tuple[float, float, float, float]:
    lats = [c[0] for c in coords]
    lons = [c[1] for c in coords]
    return min(lats) - pad_deg, min(lons) - pad_deg, max(lats) + pad_deg, max(lons) + pad_deg


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _cluster_ways(ways: list[StreetWay]) -> list[list[StreetWay]]:
    """Group the ways of one name into streets: ways within ~300 m of each other are one street."""
    pad = _SAME_STREET_GAP_M / 2 / 111_000.0
    boxes = [_bbox(w.coords, pad) for w in ways]
    parent = list(range(len(ways)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(ways)):
        for j in range(i + 1, len(ways)):
            if _overlap(boxes[i], boxes[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[StreetWay]] = {}
    for i, way in enumerate(ways):
        groups.setdefault(find(i), []).append(way)
    return list(groups.values())


def _street_entries(ways: list[StreetWay]) -> list[_Entry]:
    by_name: dict[str, list[StreetWay]] = {}
    for way in ways:
        by_name.setdefault(way.name, []).append(way)
    entries = []
    for name, named in by_name.items():
        for group in _cluster_ways(named):
            vertices = [c for way in group for c in way.coords]
            mlat = sum(c[0] for c in vertices) / len(vertices)
            mlon = sum(c[1] for c in vertices) / len(vertices)
            # A real vertex, not the mean: the mean of a curved street can lie off the street.
            lat, lon = min(vertices, key=lambda c: (c[0] - mlat) ** 2 + (c[1] - mlon) ** 2)
            entries.append(_Entry(name, "street", lat, lon, "street", shape=[w.coords for w in group]))
    return entries


def _merge_close(entries: list[_Entry], radius_m: float) -> list[_Entry]:
    """Keep one entry per (normalised name, kind) among entries closer than ``radius_m``."""
    kept: dict[tuple[str, str], list[_Entry]] = {}
    for entry in sorted(entries, key=_Entry.sort_key):
        same = kept.setdefault((normalize(entry.name), entry.kind), [])
        if not any(haversine_m(e.lat, e.lon, entry.lat, entry.lon) < radius_m for e in same):
            same.append(entry)
    return [e for group in kept.values() for e in group]


def _thing_entries(things: list[NamedThing]) -> list[_Entry]:
    entries = []
    for t in things:
        detail = t.label
        if t.kind == "place" and t.address:
            detail = f"{t.label} · {t.address}"
        entries.append(_Entry(t.name, t.kind, t.lat, t.lon, detail))
    return _merge_close(entries, _SAME_PLACE_M)


def _stop_entries(stops: list[Stop]) -> list[_Entry]:
    entries = []
    for s in stops:
        what = "station" if s.station else "stop"
        detail = f"{what} · {s.feed}" + (f" · {s.code}" if s.code else "")
        entries.append(_Entry(s.name, "stop", s.lat, s.lon, detail))
    return _merge_close(entries, _SAME_STOP_M)


def _write_json(path: Path, data: object) -> int:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def build_places(city: CityConfig, out: Path, *, report: BuildReport) -> None:
    """Write the place index of ``city`` to ``out / "places"``.

    Parameters
    ----------
    city
        The city whose OSM file and GTFS feeds are read.
    out
        The compiled city folder; ``places/`` is created (or overwritten) inside it.
    report
        Receives counts, skipped rows and the output size.
    """
    folder = out / "places"
    folder.mkdir(parents=True, exist_ok=True)
    with report.step("places: read osm"):
        osm = read_osm_names(city.osm)
    report.skip("places: osm way without node locations", osm.ways_without_locations)
    with report.step("places: read gtfs stops"):
        stops = [s for path in city.gtfs for s in read_stops(path, report=report)]

    entries = _street_entries(osm.streets) + _thing_entries(osm.things) + _stop_entries(stops)
    entries.sort(key=_Entry.sort_key)

    points: list[tuple[float, float]] = []
    owners: list[int] = []
    for i, entry in enumerate(entries):
        # Streets are found along their whole length; other entries by their own point.
        shape = [densify(line, step_m=_REVERSE_STEP_M) for line in entry.shape] or [[(entry.lat, entry.lon)]]
        for line in shape:
            points.extend(line)
            owners.extend([i] * len(line))

    rows = [[e.name, e.kind, round(e.lat, 6), round(e.lon, 6), e.detail] for e in entries]
    size = _write_json(folder / "entries.json", {"version": FORMAT_VERSION, "entries": rows})
    point_array = np.round(np.asarray(points, dtype=np.float64).reshape(-1, 2), 6)
    np.save(folder / "reverse_points.npy", point_array, allow_pickle=False)
    np.save(folder / "reverse_owner.npy", np.asarray(owners, dtype=np.int32), allow_pickle=False)

    for kind in KIND_ORDER:
        report.count(f"places_{kind}s", sum(1 for e in entries if e.kind == kind))
    report.count("places_reverse_points", len(points))
    report.count("places_entries_bytes", size)

"""The compiled timetable: every feed of a city as flat, integer-indexed numpy arrays.

Stops, routes, trips, patterns (ordered stop sequences that trips share, split so that trips of a
pattern never overtake each other) and services are numbered from 0. Times are seconds after the
start of the trip's service day (GTFS "noon minus 12 h"), so 25:10 stays 90600.

Saved as one ``.npy`` file per array (loadable with ``mmap_mode="r"``) plus ``meta.json`` for
the strings (ids, names, feeds' validity, fares).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from routing.core.errors import BuildError, InvalidParameter

FORMAT_VERSION = 1
#: The shortest change between two vehicles, at one stop or by a footpath, unless transfers.txt
#: says otherwise: stepping off, finding the platform or the stop across the road and being
#: ready when the next vehicle pulls in takes a minute even when the walk itself is shorter.
MIN_CHANGE_S = 60

#: name → what it maps (dtype); the single source of truth for save/load and validation.
ARRAYS: dict[str, str] = {
    "stop_lat": "stop → latitude (float64)",
    "stop_lon": "stop → longitude (float64)",
    "stop_parent": "stop → its parent station's stop index, -1 if none (int32)",
    "route_type": "route → GTFS route_type, basic or extended (int32)",
    "route_feed": "route → feed index (int32)",
    "trip_route": "trip → route (int32)",
    "trip_service": "trip → service (int32)",
    "trip_pattern": "trip → pattern (int32)",
    "trip_times": "trip → offset of its first stop in st_arr/st_dep (int64)",
    "trip_shift": "trip → seconds added to its template times; frequency trips share one (int32)",
    "trip_block": "trip → block number (feed-prefixed block_id), -1 if none (int32)",
    "trip_group": "trip → index of the GTFS trip_id it was expanded from (int32)",
    "trip_shape": "trip → shape, -1 if none (int32)",
    "st_arr": "template stop time → arrival seconds (int32)",
    "st_dep": "template stop time → departure seconds (int32)",
    "pattern_stops_start": "pattern → first index in pattern_stops; one extra end entry (int64)",
    "pattern_stops": "pattern position → stop (int32)",
    "pattern_pickup": "pattern position → 1 if boarding is allowed (uint8)",
    "pattern_dropoff": "pattern position → 1 if alighting is allowed (uint8)",
    "pattern_route": "pattern → route (int32)",
    "pattern_trips_start": "pattern → first index in pattern_trips; one extra end entry (int64)",
    "pattern_trips": "pattern slot → trip, by departure at the first stop (int32)",
    "stop_pat_start": "stop → first index in stop_pat/stop_pat_pos; one extra end entry (int64)",
    "stop_pat": "stop slot → a pattern serving the stop (int32)",
    "stop_pat_pos": "stop slot → the stop's position in that pattern (int32)",
    "fp_start": "stop → first index in fp_to/fp_secs; one extra end entry (int64)",
    "fp_to": "footpath → stop it leads to (int32)",
    "fp_secs": "footpath → walking seconds (int32)",
    "xr_start": "stop → first same-stop transfer rule, most specific first; end entry (int64)",
    "xr_from_route": "rule → route arrived on, -1 any (int32)",
    "xr_to_route": "rule → route boarded, -1 any (int32)",
    "xr_from_trip": "rule → trip group arrived on, -1 any (int32)",
    "xr_to_trip": "rule → trip group boarded, -1 any (int32)",
    "xr_secs": "rule → minimum transfer seconds, -1 = transfer not possible (int32)",
    "service_days": "service × day since meta.day0 → 1 if it runs (uint8)",
    "shape_start": "shape → first point index; one extra end entry (int64)",
    "shape_lat": "shape point → latitude (float64)",
    "shape_lon": "shape point → longitude (float64)",
    "shape_dist": "shape point → metres along the shape from its first point (float64)",
}


class Timetable:
    """A city's public-transport timetable as flat arrays plus string tables.

    Use :func:`routing.transit.build.build_timetable` to make one and :meth:`load` to read a saved one.
    Attribute names are those of :data:`ARRAYS` plus the lists in ``meta``.
    """

    stop_lat: np.ndarray
    stop_lon: np.ndarray
    stop_parent: np.ndarray
    route_type: np.ndarray
    route_feed: np.ndarray
    trip_route: np.ndarray
    trip_service: np.ndarray
    trip_pattern: np.ndarray
    trip_times: np.ndarray
    trip_shift: np.ndarray
    trip_block: np.ndarray
    trip_group: np.ndarray
    trip_shape: np.ndarray
    st_arr: np.ndarray
    st_dep: np.ndarray
    pattern_stops_start: np.ndarray
    pattern_stops: np.ndarray
    pattern_pickup: np.ndarray
    pattern_dropoff: np.ndarray
    pattern_route: np.ndarray
    pattern_trips_start: np.ndarray
    pattern_trips: np.ndarray
    stop_pat_start: np.ndarray
    stop_pat: np.ndarray
    stop_pat_pos: np.ndarray
    fp_start: np.ndarray
    fp_to: np.ndarray
    fp_secs: np.ndarray
    xr_start: np.ndarray
    xr_from_route: np.ndarray
    xr_to_route: np.ndarray
    xr_from_trip: np.ndarray
    xr_to_trip: np.ndarray
    xr_secs: np.ndarray
    service_days: np.ndarray
    shape_start: np.ndarray
    shape_lat: np.ndarray
    shape_lon: np.ndarray
    shape_dist: np.ndarray

    def __init__(self, arrays: Mapping[str, np.ndarray], meta: dict[str, Any]) -> None:
        missing = [name for name in ARRAYS if name not in arrays]
        if missing:
            raise BuildError(f"timetable lacks arrays {missing}", argument="transit")
        for name in ARRAYS:
            setattr(self, name, arrays[name])
        self.meta = meta
        self.day0 = dt.date.fromisoformat(meta["day0"])
        self.timezone: str = meta["timezone"]
        self.feeds: list[dict[str, Any]] = meta["feeds"]
        self._stop_ids: list[str] = meta["stop_ids"]
        self._stop_names: list[str] = meta["stop_names"]
        self._index: dict[str, int] | None = None
        self._shape_coslat: dict[int, float] = {}  # shape → cos(mean latitude), as rides first need it

    def shape_coslat(self, shape: int) -> float:
        """The cosine of a shape's mean latitude: the east-west scale of its nearest-point search."""
        found = self._shape_coslat.get(shape)
        if found is None:
            o, e = int(self.shape_start[shape]), int(self.shape_start[shape + 1])
            found = self._shape_coslat[shape] = float(np.cos(np.radians(float(np.mean(self.shape_lat[o:e])))))
        return found

    # -- sizes ---------------------------------------------------------------------------------
    @property
    def stop_count(self) -> int:
        return int(self.stop_lat.shape[0])

    @property
    def trip_count(self) -> int:
        return int(self.trip_route.shape[0])

    @property
    def pattern_count(self) -> int:
        return int(self.pattern_route.shape[0])

    @property
    def route_count(self) -> int:
        return int(self.route_type.shape[0])

    # -- strings -------------------------------------------------------------------------------
    def stop_id(self, i: int) -> str:
        return self._stop_ids[i]

    def stop_name(self, i: int) -> str:
        return self._stop_names[i]

    def stop_zone(self, i: int) -> str:
        return str(self.meta["stop_zones"][i])

    def stop_index(self, stop_id: str) -> int:
        """Index of a stop by its prefixed id (``"eptc:1511"``), or its bare id when unambiguous.

        Raises
        ------
        InvalidParameter
            If no stop (or more than one, for a bare id) has that id.
        """
        if self._index is None:
            index: dict[str, int] = {}
            bare: dict[str, int] = {}
            for i, sid in enumerate(self._stop_ids):
                index[sid] = i
                short = sid.split(":", 1)[-1]
                bare[short] = -1 if short in bare else i
            for short, i in bare.items():
                index.setdefault(short, i)
            self._index = index
        found = self._index.get(stop_id)
        if found is None or found < 0:
            why = "is ambiguous: prefix it with its feed" if found == -1 else "does not exist"
            raise InvalidParameter(f"stop {stop_id!r} {why}", argument="stop")
        return found

    def route_info(self, r: int) -> dict[str, Any]:
        """The route as docs/api.md shapes it: id, short_name, long_name, type, agency, color."""
        m = self.meta
        return {
            "id": m["route_ids"][r],
            "short_name": m["route_short"][r],
            "long_name": m["route_long"][r],
            "type": int(self.route_type[r]),
            "agency": m["route_agency"][r],
            "color": m["route_color"][r],
        }

    def trip_id(self, t: int) -> str:
        return str(self.meta["trip_ids"][t])

    def trip_headsign(self, t: int) -> str:
        return str(self.meta["trip_headsigns"][int(self.trip_group[t])])

    def pattern_slice(self, p: int) -> np.ndarray:
        return self.pattern_stops[self.pattern_stops_start[p] : self.pattern_stops_start[p + 1]]

    def feed_of_trip(self, t: int) -> int:
        return int(self.route_feed[self.trip_route[t]])

    # -- persistence ---------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write every array as ``<name>.npy`` and the strings as ``meta.json`` (deterministic)."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in ARRAYS:
            np.save(folder / f"{name}.npy", np.ascontiguousarray(getattr(self, name)))
        meta = dict(self.meta, format=FORMAT_VERSION)
        text = json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        (folder / "meta.json").write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = False) -> Timetable:
        """Read a timetable written by :meth:`save` (``mmap=True`` maps the arrays instead of
        reading them: less memory shared between workers, slower element access).

        Raises
        ------
        BuildError
            If the folder does not hold a timetable of this format.
        """
        meta_path = Path(folder) / "meta.json"
        if not meta_path.is_file():
            raise BuildError(f"no compiled timetable in {folder}: build the city first")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise BuildError(f"{folder}: timetable format {meta.get('format')}, rebuild the city")
        arrays = {}
        for name in ARRAYS:
            path = Path(folder) / f"{name}.npy"
            try:
                arrays[name] = np.load(path, mmap_mode="r" if mmap else None)
            except (OSError, ValueError) as exc:
                raise BuildError(f"{path} is missing or damaged: rebuild the city") from exc
        return cls(arrays, meta)

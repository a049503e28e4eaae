"""The place index at serve time: ranked, typo-tolerant search and reverse geocoding."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from routing.core.errors import GreenrouteError, InvalidCoordinates
from routing.core.geo import haversine_m
from routing.places.geo import project
from routing.places.matching import NameMatcher
from routing.places.normalize import normalize
from routing.street.nearest import PointGrid

FORMAT_VERSION = 1  # of entries.json; bump when its rows change

_KIND_BONUS = {"street": 2.0, "place": 1.0, "stop": 0.0, "address": 0.0}
# A named place or stop this close to a clicked point is a better answer than the street under it.
_PLACE_WINS_M = 25.0
_MAX_LIMIT = 50


class NothingNear(GreenrouteError):
    """No street or place lies within reach of a point."""

    code = "nothing_near"
    status = 404


class PlaceIndexError(GreenrouteError):
    """The compiled place index is missing or unreadable (rebuild the city)."""

    code = "place_index_error"
    status = 500


def _check_point(lat: float, lon: float, argument: str) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidCoordinates(
            f"{argument} must be a latitude in [-90, 90] and a longitude in [-180, 180]",
            argument=argument,
        )


class PlaceIndex:
    """Searchable names of one city, as written by :func:`routing.places.build.build_places`."""

    def __init__(
        self,
        entries: list[list[Any]],
        points: NDArray[np.float64],
        owners: NDArray[np.int32],
    ) -> None:
        self._entries = entries
        self._owners = owners
        self._points = points
        # Many entries share a name (stops of a line, "Rua A" in several districts): match each
        # distinct normalised name once, then fan out to its entries.
        names: dict[str, list[int]] = {}
        for i, row in enumerate(entries):
            names.setdefault(normalize(str(row[0])), []).append(i)
        self._names = list(names)
        self._name_entries = list(names.values())
        self._matcher = NameMatcher(self._names)
        lat0 = float(np.mean(points[:, 0])) if len(points) else 0.0
        self._lat0 = lat0
        self._grid = PointGrid.of(project(points[:, 0], points[:, 1], lat0=lat0)) if len(points) else None

    @classmethod
    def load(cls, folder: Path) -> PlaceIndex:
        """Load the index written to ``folder`` (a compiled city's ``places/``)."""
        try:
            data = json.loads((folder / "entries.json").read_text(encoding="utf-8"))
            points = np.load(folder / "reverse_points.npy", allow_pickle=False)
            owners = np.load(folder / "reverse_owner.npy", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise PlaceIndexError(f"the place index in {folder} is unreadable: rebuild the city ({exc})") from exc
        if data.get("version") != FORMAT_VERSION:
            raise PlaceIndexError(f"the place index in {folder} has an old format: rebuild the city")
        return cls(data["entries"], points.reshape(-1, 2), owners)

    def __len__(self) -> int:
        return len(self._entries)

    def _entry(self, i: int) -> dict[str, Any]:
        name, kind, lat, lon, detail = self._entries[i]
        return {"name": name, "kind": kind, "lat": lat, "lon": lon, "detail": detail}

    def search(self, q: str, *, limit: int = 8, near: tuple[float, float] | None = None) -> list[dict[str, Any]]:
        """Return up to ``limit`` entries matching ``q``, best match first.

        Matching ignores case, accents and punctuation, expands common abbreviations ("av") and
        tolerates typos. ``near`` (lat, lon), when given, ranks closer entries of similar match
        higher and picks which of several same-named entries is shown. Each result is
        ``{"name", "kind", "lat", "lon", "detail"}``; one result per name and kind.
        """
        if near is not None:
            _check_point(near[0], near[1], "near")
        query = normalize(q)
        if not query:
            return []
        limit = max(1, min(int(limit), _MAX_LIMIT))
        scored: list[tuple[float, int, str, int]] = []
        for score, k in self._matcher.scores(query):
            by_kind: dict[str, tuple[float, int]] = {}
            for i in self._name_entries[k]:
                row = self._entries[i]
                total = score + _KIND_BONUS.get(row[1], 0.0)
                if near is not None:
                    d = haversine_m(near[0], near[1], row[2], row[3])
                    total += 6.0 * math.exp(-d / 5000.0)
                # Same name, same kind: show the one nearest (or first) only.
                if row[1] not in by_kind or total > by_kind[row[1]][0]:
                    by_kind[row[1]] = (total, i)
            for total, i in by_kind.values():
                scored.append((-total, len(self._names[k]), self._names[k], i))
        scored.sort()
        return [self._entry(i) for *_, i in scored[:limit]]

    def reverse(self, lat: float, lon: float, *, max_distance_m: float = 1000.0) -> dict[str, Any]:
        """Return the street or place nearest ``(lat, lon)``, with ``distance_m`` to it.

        ``lat``/``lon`` of the answer are the entry's own point (for a street, its representative
        point); ``distance_m`` is measured to the nearest part of the street.

        A named place or stop within 25 m wins over the street it stands on.

        Raises
        ------
        InvalidCoordinates
            If the point is not a valid latitude/longitude.
        NothingNear
            If nothing is within ``max_distance_m``.
        """
        _check_point(lat, lon, "lat,lon")
        if self._grid is None:
            raise NothingNear("this city's place index is empty", argument="lat,lon")
        x, y = project(np.array([lat]), np.array([lon]), lat0=self._lat0)[0].tolist()
        dists, idx = self._grid.nearest((x, y), k=16, bound=max_distance_m)
        best: tuple[float, int, float] | None = None
        for d, j in zip(dists.tolist(), idx.tolist(), strict=True):
            owner = int(self._owners[j])
            kind = self._entries[owner][1]
            # Rank places/stops ahead of streets when they are close enough to be "the" answer.
            rank = d - (_PLACE_WINS_M if kind != "street" else 0.0)
            if best is None or rank < best[0]:
                best = (rank, owner, float(d))
        if best is None:
            raise NothingNear(
                f"no street or place within {max_distance_m:.0f} m of this point",
                argument="lat,lon",
            )
        result = self._entry(best[1])
        # Distance to the street itself (its nearest point), not to its representative point.
        result["distance_m"] = round(best[2], 1)
        return result

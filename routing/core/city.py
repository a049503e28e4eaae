"""A city's configuration: ``seeds/<name>/city.toml``.

Example::

    name = "porto-alegre"
    timezone = "America/Sao_Paulo"
    factors = "desnz-2025"
    driving_side = "right"        # optional: "right" or "left"; default from the time zone's country
    [files]
    osm = "porto-alegre.osm.pbf"
    gtfs = ["gtfs-eptc-bus.zip", "gtfs-trensurb-rail.zip"]
    dem = "elevation.tif"
    [streets]
    min_network_nodes = 200       # smaller strongly connected islands are dropped
    [map]
    center = [-30.0346, -51.2177]
    zoom = 13
    [[emissions.routes]]          # optional, like OpenTripPlanner's emissions.txt
    route_id = "T1"
    g_per_vehicle_km = 1200.0
    avg_passengers = 40
    [[realtime]]                  # optional: GTFS-Realtime of one feed (routing/core/realtime_config.py)
    feed = "eptc"
    trip_updates = "https://example.org/eptc/trip-updates.pb"
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from routing.core.driving_side import DRIVING_SIDES, default_driving_side
from routing.core.errors import BuildError, CityNotFound
from routing.core.home import seeds_dir
from routing.core.realtime_config import RealtimeSource, parse_realtime

_NAME_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")  # fullmatch: "$" accepts a trailing newline


MIN_NETWORK_NODES = 200  # default of [streets] min_network_nodes (GraphHopper's prepare.min_network_size)


@dataclass(frozen=True)
class RouteEmissionOverride:
    """A per-GTFS-route emission figure (OpenTripPlanner's emissions.txt row)."""

    route_id: str
    g_per_vehicle_km: float
    avg_passengers: float


@dataclass(frozen=True)
class CityConfig:
    """Everything ``city.toml`` says about one city, with paths resolved."""

    name: str
    folder: Path
    timezone: str
    osm: Path
    gtfs: tuple[Path, ...] = ()
    dem: Path | None = None
    title: str = ""
    factors: str = "desnz-2025"
    center: tuple[float, float] | None = None
    zoom: int = 13
    driving_side: str = "right"  # "right" or "left": city.toml's, else its time zone's country's
    route_emissions: tuple[RouteEmissionOverride, ...] = field(default_factory=tuple)
    realtime: tuple[RealtimeSource, ...] = field(default_factory=tuple)  # read at serve time, not hashed
    min_network_nodes: int = MIN_NETWORK_NODES

    @property
    def street_options(self) -> dict[str, Any]:
        """The options that change the compiled street graphs (part of the build hash)."""
        return {"min_network_nodes": self.min_network_nodes}

    @property
    def input_files(self) -> list[Path]:
        files = [self.osm, *self.gtfs]
        if self.dem is not None:
            files.append(self.dem)
        return files


def validate_city_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        raise BuildError(
            f"city name {name!r} is not valid: use lowercase letters, digits and '-'",
            argument="name",
        )
    return name


def validate_timezone(tz: str) -> str:
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise BuildError(
            f"time zone {tz!r} does not exist: use an IANA name such as 'America/Sao_Paulo'",
            argument="timezone",
        ) from exc
    return tz


def load_city(name: str, *, seeds: Path | None = None) -> CityConfig:
    """Read and validate ``seeds/<name>/city.toml``.

    Raises
    ------
    CityNotFound
        If the city has no folder or no ``city.toml``.
    BuildError
        If ``city.toml`` is malformed or names files that do not exist.
    """
    validate_city_name(name)
    folder = (seeds or seeds_dir()) / name
    path = folder / "city.toml"
    if not path.is_file():
        raise CityNotFound(f"no city {name!r}: {path} does not exist", argument="city")
    return city_from_toml(path)


def city_from_toml(path: Path) -> CityConfig:
    folder = path.parent
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BuildError(f"{path}: not valid TOML ({exc})", argument="city.toml") from exc
    name = validate_city_name(str(data.get("name", folder.name)))
    timezone = validate_timezone(str(data.get("timezone", "")))
    files = data.get("files") or {}
    if "osm" not in files:
        raise BuildError(f"{path}: [files] osm is missing", argument="osm")

    def _file(rel: Any, what: str) -> Path:
        p = (folder / str(rel)).resolve()
        if not p.is_file():
            raise BuildError(f"{path}: {what} file {rel!r} does not exist", argument=what)
        return p

    gtfs_rel = files.get("gtfs", [])
    if isinstance(gtfs_rel, str):
        gtfs_rel = [gtfs_rel]
    map_ = data.get("map") or {}
    center = map_.get("center")
    side = str(data.get("driving_side") or default_driving_side(timezone))
    if side not in DRIVING_SIDES:
        raise BuildError(f"{path}: driving_side must be 'right' or 'left', not {side!r}", argument="driving_side")
    overrides = tuple(
        _route_override(path, i, r) for i, r in enumerate((data.get("emissions") or {}).get("routes", []))
    )
    return CityConfig(
        name=name,
        folder=folder,
        title=str(data.get("title", name)),
        timezone=timezone,
        factors=str(data.get("factors", "desnz-2025")),
        osm=_file(files["osm"], "osm"),
        gtfs=tuple(_file(g, "gtfs") for g in gtfs_rel),
        dem=_file(files["dem"], "dem") if files.get("dem") else None,
        center=(float(center[0]), float(center[1])) if center else None,
        zoom=int(map_.get("zoom", 13)),
        driving_side=side,
        route_emissions=overrides,
        realtime=parse_realtime(data.get("realtime"), path=path),
        min_network_nodes=_min_network_nodes(path, data.get("streets") or {}),
    )


def _min_network_nodes(path: Path, streets: Any) -> int:
    value = streets.get("min_network_nodes", MIN_NETWORK_NODES) if isinstance(streets, dict) else None
    # bool is an int in Python; "true" nodes is a typo, not a count
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise BuildError(
            f"{path}: [streets] min_network_nodes must be a whole number of nodes >= 1, not {value!r}",
            argument="min_network_nodes",
        )
    return value


def list_cities(*, seeds: Path | None = None) -> list[str]:
    root = seeds or seeds_dir()
    if not root.is_dir():
        return []
    return sorted(p.parent.name for p in root.glob("*/city.toml"))


def _route_override(path: Path, i: int, row: Any) -> RouteEmissionOverride:
    """One ``[[emissions.routes]]`` entry, validated."""
    try:
        out = RouteEmissionOverride(
            route_id=str(row["route_id"]),
            g_per_vehicle_km=float(row["g_per_vehicle_km"]),
            avg_passengers=float(row["avg_passengers"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BuildError(
            f"{path}: emissions.routes entry {i + 1} needs route_id, g_per_vehicle_km and avg_passengers ({exc})",
            argument="route_emissions",
        ) from exc
    if out.g_per_vehicle_km < 0 or out.avg_passengers <= 0:
        raise BuildError(
            f"{path}: emissions.routes entry {i + 1}: g_per_vehicle_km must be ≥ 0 and avg_passengers > 0",
            argument="route_emissions",
        )
    return out

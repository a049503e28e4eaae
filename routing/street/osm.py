"""Read the street network from an OSM file (``.osm.pbf``, ``.osm``, ``.osm.bz2``) with pyosmium."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import osmium
import osmium.filter

from routing.errors import BuildError

# Tags the access and speed rules read; everything else is dropped while reading.
KEPT_TAGS = (
    "highway",
    "name",
    "ref",
    "oneway",
    "junction",
    "access",
    "foot",
    "bicycle",
    "vehicle",
    "motor_vehicle",
    "motorcar",
    "oneway:bicycle",
    "cycleway",
    "cycleway:left",
    "cycleway:right",
    "cycleway:both",
    "cycleway:left:oneway",
    "cycleway:right:oneway",
    "maxspeed",
    "area",
    "sidewalk",
    "sidewalk:both",
    "sidewalk:left",
    "sidewalk:right",
    "motorroad",
    "service",
)
OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz", ".o5m")


@dataclass
class OsmStreets:
    """The highway ways of an extract, with their node ids and coordinates."""

    way_ids: list[int] = field(default_factory=list)
    way_tags: list[dict[str, str]] = field(default_factory=list)
    way_nodes: list[list[int]] = field(default_factory=list)
    node_coords: dict[int, tuple[float, float]] = field(default_factory=dict)  # node id → (lat, lon)
    signals: set[int] = field(default_factory=set)  # node ids tagged highway=traffic_signals
    timestamp: str | None = None


def check_osm_file(path: Path) -> None:
    """Raise :class:`BuildError` unless ``path`` looks like an OSM file pyosmium can read."""
    name = path.name.lower()
    if not path.is_file():
        raise BuildError(f"OSM file {path} does not exist", argument="osm")
    if not name.endswith(OSM_SUFFIXES):
        raise BuildError(f"{path.name}: not an OSM file (expected .osm.pbf, .osm or .osm.bz2)", argument="osm")


def read_streets(path: Path) -> OsmStreets:
    """Read every ``highway=*`` way of an OSM file.

    Raises
    ------
    BuildError
        If the file is not OSM or holds no streets.
    """
    check_osm_file(path)
    out = OsmStreets()
    try:
        reader = osmium.io.Reader(str(path))
        header = reader.header()
        out.timestamp = header.get("osmosis_replication_timestamp") or None
        reader.close()
        fp = (
            osmium.FileProcessor(str(path))
            .with_locations()
            .with_filter(osmium.filter.EntityFilter(osmium.osm.NODE | osmium.osm.WAY))
        )
        for obj in fp:
            if isinstance(obj, osmium.osm.Node):
                if obj.tags.get("highway") == "traffic_signals":
                    out.signals.add(obj.id)
                continue
            if not isinstance(obj, osmium.osm.Way):
                continue
            tags = obj.tags
            if "highway" not in tags:
                continue
            refs: list[int] = []
            for n in obj.nodes:
                loc = n.location
                if not loc.valid():
                    continue
                refs.append(n.ref)
                out.node_coords[n.ref] = (loc.lat, loc.lon)
            if len(refs) < 2:
                continue
            out.way_ids.append(obj.id)
            out.way_tags.append({k: tags[k] for k in KEPT_TAGS if k in tags})
            out.way_nodes.append(refs)
    except RuntimeError as exc:
        raise BuildError(f"{path.name}: not a readable OSM file ({exc})", argument="osm") from exc
    if not out.way_ids:
        raise BuildError(f"{path.name}: the extract holds no streets (no highway=* ways)", argument="osm")
    return out

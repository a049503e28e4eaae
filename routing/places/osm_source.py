"""Read the names a person may search for from the city's OpenStreetMap file.

Three kinds come out of OSM: named streets (one entry per stretch of a name, with a representative
point and every vertex for reverse geocoding), named places and amenities (with their address when
tagged), and bare addresses (a house number on a street, without a name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import osmium

from routing.core.errors import BuildError

# Highways a person would name as a destination; platforms, proposals and construction are not.
STREET_HIGHWAYS = frozenset(
    {
        "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential",
        "living_street", "service", "pedestrian", "road", "motorway_link", "trunk_link",
        "primary_link", "secondary_link", "tertiary_link", "footway", "cycleway", "path", "steps",
        "track", "bridleway",
    }
)  # fmt: skip

# Tags that make a named object a place worth finding, in order of preference for its label.
_PLACE_KEYS = (
    "amenity", "shop", "tourism", "leisure", "office", "healthcare", "historic", "aeroway",
    "public_transport", "railway", "place", "craft", "club", "sport", "man_made", "building",
    "landuse", "natural",
)  # fmt: skip


@dataclass
class StreetWay:
    """One named highway way: its name, class and vertices as ``(lat, lon)``."""

    name: str
    highway: str
    coords: list[tuple[float, float]]


@dataclass
class NamedThing:
    """A named place or a bare address with a single point."""

    name: str
    kind: str  # "place" or "address"
    lat: float
    lon: float
    label: str  # e.g. "restaurant", "address"
    address: str = ""


@dataclass
class OsmNames:
    """Everything searchable read from one OSM file."""

    streets: list[StreetWay] = field(default_factory=list)
    things: list[NamedThing] = field(default_factory=list)
    ways_without_locations: int = 0


def _address(tags: osmium.osm.TagList) -> str:
    street = tags.get("addr:street", "")
    number = tags.get("addr:housenumber", "")
    return f"{street} {number}".strip() if street else ""


def _label(tags: osmium.osm.TagList) -> str | None:
    for key in _PLACE_KEYS:
        value = tags.get(key)
        if value and value != "no":
            return (value if value != "yes" else key).replace("_", " ")
    return None


class _Handler(osmium.SimpleHandler):
    def __init__(self) -> None:
        super().__init__()
        self.out = OsmNames()

    def _thing(self, tags: osmium.osm.TagList, lat: float, lon: float) -> None:
        name = tags.get("name")
        address = _address(tags)
        if name:
            label = _label(tags)
            if label is not None:
                self.out.things.append(NamedThing(name, "place", lat, lon, label, address))
        elif address and tags.get("addr:housenumber"):
            self.out.things.append(NamedThing(address, "address", lat, lon, "address", address))

    def node(self, n: osmium.osm.Node) -> None:
        if len(n.tags) and n.location.valid():
            self._thing(n.tags, n.location.lat, n.location.lon)

    def way(self, w: osmium.osm.Way) -> None:
        tags = w.tags
        if not len(tags):
            return
        coords = [(nd.lat, nd.lon) for nd in w.nodes if nd.location.valid()]
        if not coords:
            self.out.ways_without_locations += 1
            return
        highway = tags.get("highway")
        name = tags.get("name")
        if highway in STREET_HIGHWAYS and name:
            self.out.streets.append(StreetWay(name, highway, coords))
            return
        if highway is None:
            # A building or area: its vertex mean is inside or near it, good enough to route to.
            lat = sum(c[0] for c in coords) / len(coords)
            lon = sum(c[1] for c in coords) / len(coords)
            self._thing(tags, lat, lon)


def read_osm_names(path: Path) -> OsmNames:
    """Read streets, places and addresses from an ``.osm``, ``.osm.bz2`` or ``.osm.pbf`` file.

    Raises
    ------
    BuildError
        If the file cannot be parsed as OSM data.
    """
    handler = _Handler()
    try:
        handler.apply_file(str(path), locations=True)
    except RuntimeError as exc:
        raise BuildError(f"{path.name}: not readable as OpenStreetMap data ({exc})", argument="osm") from exc
    return handler.out

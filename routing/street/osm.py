"""Read the street network from an OSM file (``.osm.pbf``, ``.osm``, ``.osm.bz2``) with pyosmium."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import osmium
import osmium.filter

from routing.core.errors import BuildError
from routing.street.stepfree import node_blocks_wheelchair

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
    # step-free walking (routing.street.stepfree)
    "wheelchair",
    "ramp:wheelchair",
    "kerb",
    "incline",
    "footway",
    "crossing",
)
OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz", ".o5m")


@dataclass(frozen=True)
class Restriction:
    """One OSM turn restriction (a ``type=restriction`` relation), before it is matched to edges.

    ``via_node`` is set for a restriction through a node, ``via_ways`` (in the order the relation
    lists them) for one through ways; ``modes`` are the greenroute modes it binds.
    """

    relation: int
    only: bool  # only_* (every other turn is banned) rather than no_*
    from_way: int
    to_way: int
    via_node: int | None
    via_ways: tuple[int, ...]
    modes: frozenset[str]


# Which greenroute modes each restriction key binds (OSM wiki, Relation:restriction: ``restriction``
# applies to every vehicle, ``restriction:<vehicle>`` to that vehicle class and its subclasses).
_RESTRICTION_KEYS = {
    "restriction": frozenset({"drive", "bike"}),
    "restriction:vehicle": frozenset({"drive", "bike"}),
    "restriction:motor_vehicle": frozenset({"drive"}),
    "restriction:motorcar": frozenset({"drive"}),
    "restriction:bicycle": frozenset({"bike"}),
}
# ``except=`` values that exempt a greenroute mode (the wiki's list: psv, bicycle, hgv, motorcar, ...).
_EXCEPT_MODES = {
    "bicycle": "bike",
    "motorcar": "drive",
    "motor_vehicle": "drive",
    "vehicle": None,  # every vehicle is exempt: the restriction binds nobody we route
}


def parse_restriction(relation: int, tags: dict[str, str], members: list[tuple[str, int, str]]) -> Restriction | None:
    """A :class:`Restriction` from a relation's tags and (type, ref, role) members, or None.

    None when it is not a turn restriction greenroute can apply: another type, a value other than
    ``no_*`` / ``only_*``, a conditional restriction (``restriction:conditional``, not modelled), a
    missing or repeated ``from``/``to`` member (``no_entry``/``no_exit`` with several are skipped),
    no ``via`` or both kinds of ``via``, or an ``except=`` that exempts every mode it would bind.
    """
    if tags.get("type") != "restriction":
        return None
    modes: set[str] = set()
    value = None
    for key, binds in _RESTRICTION_KEYS.items():
        v = tags.get(key)
        if v and (v.startswith("no_") or v.startswith("only_")):
            modes |= binds
            value = value or v
    if value is None:
        return None
    for exempt in tags.get("except", "").split(";"):
        exempt = exempt.strip()
        if exempt in _EXCEPT_MODES:
            spared = _EXCEPT_MODES[exempt]
            modes = set() if spared is None else modes - {spared}
    if not modes:
        return None
    from_ways = [ref for kind, ref, role in members if kind == "w" and role == "from"]
    to_ways = [ref for kind, ref, role in members if kind == "w" and role == "to"]
    via_nodes = [ref for kind, ref, role in members if kind == "n" and role == "via"]
    via_ways = tuple(ref for kind, ref, role in members if kind == "w" and role == "via")
    if len(from_ways) != 1 or len(to_ways) != 1 or (len(via_nodes) == 1) == bool(via_ways) or len(via_nodes) > 1:
        return None  # malformed (the wiki allows several from/to only for no_entry/no_exit; skipped)
    return Restriction(
        relation=relation,
        only=value.startswith("only_"),
        from_way=from_ways[0],
        to_way=to_ways[0],
        via_node=via_nodes[0] if via_nodes else None,
        via_ways=via_ways,
        modes=frozenset(modes),
    )


@dataclass
class OsmStreets:
    """The highway ways of an extract, with their node ids and coordinates."""

    way_ids: list[int] = field(default_factory=list)
    way_tags: list[dict[str, str]] = field(default_factory=list)
    way_nodes: list[list[int]] = field(default_factory=list)
    node_coords: dict[int, tuple[float, float]] = field(default_factory=dict)  # node id → (lat, lon)
    signals: set[int] = field(default_factory=set)  # node ids tagged highway=traffic_signals
    wheelchair_barriers: set[int] = field(default_factory=set)  # node ids kerb=raised or wheelchair=no
    restrictions: list[Restriction] = field(default_factory=list)  # type=restriction relations
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
            .with_filter(osmium.filter.EntityFilter(osmium.osm.NODE | osmium.osm.WAY | osmium.osm.RELATION))
        )
        for obj in fp:
            if isinstance(obj, osmium.osm.Relation):
                if obj.tags.get("type") == "restriction":
                    members = [(m.type, m.ref, m.role) for m in obj.members]
                    found = parse_restriction(obj.id, {t.k: t.v for t in obj.tags}, members)
                    if found is not None:
                        out.restrictions.append(found)
                continue
            if isinstance(obj, osmium.osm.Node):
                if obj.tags.get("highway") == "traffic_signals":
                    out.signals.add(obj.id)
                if ("kerb" in obj.tags or "wheelchair" in obj.tags) and node_blocks_wheelchair(
                    {t.k: t.v for t in obj.tags}
                ):
                    out.wheelchair_barriers.add(obj.id)
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

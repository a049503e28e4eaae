"""Which OSM ways each mode may use, in which direction, and at what routing penalty.

Each ``*_access`` function takes a way's tags and returns ``(forward, backward)``: whether the mode
may travel along the way in its node order, and against it. :func:`walk_penalty` gives the factor
by which a walker's routing cost (not the time shown) of a way is raised.

The rules follow the OSM wiki's "OSM tags for routing/Access restrictions": a default per highway
type (its worldwide table), overridden by the tags, the most specific first — for walking
``foot`` then ``access``; for cycling ``bicycle``, ``vehicle``, ``access``; for driving
``motorcar``, ``motor_vehicle``, ``vehicle``, ``access``. Country tables differ in places (in
Germany trunk roads are closed to walkers and cyclists); the worldwide one is used everywhere,
since a build does not know its country.
"""

from __future__ import annotations

from collections.abc import Mapping

Tags = Mapping[str, str]

# Values that close a way to the mode. "agricultural", "forestry" and "delivery" admit only those
# uses, not a trip; "use_sidepath" means a parallel way must be used by law (OSRM's foot and
# bicycle profiles read it the same way); "psv"/"bus" admit only public transport.
NO = frozenset({"no", "private", "use_sidepath", "agricultural", "forestry", "delivery", "psv", "bus", "emergency"})
# Values that open it. "destination" and "customers" admit trips that start or end there, which
# is every trip a planner is asked for near them. "discouraged" is legal (the wiki: "legal, but
# officially discouraged"), so it opens the way, with a penalty for walkers and cyclists.
YES = frozenset({"yes", "designated", "permissive", "official", "destination", "customers", "discouraged"})

# Roads anyone may walk or cycle on unless a tag says otherwise: the wiki's worldwide table opens
# every road class but the motorway to foot and bicycle, trunk roads included.
_ROADS = frozenset(
    {
        "residential",
        "service",
        "living_street",
        "track",
        "unclassified",
        "tertiary",
        "tertiary_link",
        "secondary",
        "secondary_link",
        "primary",
        "primary_link",
        "trunk",
        "trunk_link",
        "road",
    }
)
_MOTORWAYS = frozenset({"motorway", "motorway_link"})
WALK_HIGHWAYS = _ROADS | {"footway", "path", "pedestrian", "steps", "corridor", "platform"}
# Closed to walkers by the worldwide table unless a foot tag opens them: motorways, and ways built
# for other modes (cycleway: bicycle only; bridleway: horses only).
WALK_IF_ALLOWED = _MOTORWAYS | {"cycleway", "bridleway"}
BIKE_HIGHWAYS = _ROADS | {"cycleway", "path"}
# Ways where cyclists need an explicit bicycle tag: riding on footways and pedestrian areas is not
# allowed by default (worldwide table), nor on motorways (bicycle=no there).
BIKE_IF_ALLOWED = _MOTORWAYS | {"footway", "pedestrian", "bridleway", "corridor", "platform"}
DRIVE_HIGHWAYS = _MOTORWAYS | {
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "road",
}
# Ways built for other modes that cars may use only where a motorcar or motor_vehicle tag opens them
# (a station forecourt mapped as a footway with motor_vehicle=yes; a track with motorcar=yes): the
# most specific tag wins, as everywhere (OSRM's car profile drives such ways too).
DRIVE_IF_ALLOWED = frozenset({"footway", "path", "pedestrian", "track", "cycleway", "bridleway"})
MODES = ("walk", "bike", "drive")

# Walking along a trunk road with no sidewalk is legal but unpleasant and risky: routes should take
# another way when one exists at a modest detour. Factors on the routing cost (the time shown stays
# the walking time), chosen so that a parallel street up to half as long again (1.5) — or, beside
# a road tagged sidewalk=no, up to three times as long (3.0) — is preferred; GraphHopper's foot
# profile likewise lowers the priority of trunk roads, more so without a sidewalk.
TRUNK_WALK_FACTOR = 1.5
TRUNK_NO_SIDEWALK_WALK_FACTOR = 3.0
# access=discouraged (a sign advising against it): the same mild detour as an untagged trunk road.
DISCOURAGED_FACTOR = 1.5
_SIDEWALK_KEYS = ("sidewalk", "sidewalk:both", "sidewalk:left", "sidewalk:right")
_SIDEWALK_ON_ROAD = frozenset({"yes", "both", "left", "right"})


def _oneway(tags: Tags) -> int:
    """+1 one way along the node order, -1 against it, 0 both ways."""
    value = tags.get("oneway", "").strip().lower()
    if value in ("yes", "true", "1"):
        return 1
    if value in ("-1", "reverse"):
        return -1
    if value in ("no", "false", "0"):
        return 0
    if tags.get("junction") in ("roundabout", "circular"):
        return 1
    if tags.get("highway") in _MOTORWAYS:
        return 1
    return 0


def _tagged(tags: Tags, keys: tuple[str, ...]) -> bool | None:
    """The first of ``keys`` with a known value decides (True open, False closed); None: none does.

    An unknown value (``foot=unknown``, a typo) says nothing, so the next, more general key decides.
    """
    for key in keys:
        value = tags.get(key, "").strip().lower()
        if value in NO:
            return False
        if value in YES:
            return True
    return None


def _motorroad(tags: Tags) -> bool:
    # motorroad=yes (a Kraftfahrstraße, an expressway) admits only fast motor vehicles: it implies
    # foot=no and bicycle=no (OSM wiki, Key:motorroad), unless a foot or bicycle tag says otherwise.
    return tags.get("motorroad") == "yes"


def _sidewalk_separate(tags: Tags) -> bool:
    """The road's sidewalks are mapped as their own footways (and none is on the road itself)."""
    values = [tags.get(k) for k in _SIDEWALK_KEYS]
    return "separate" in values and not any(v in _SIDEWALK_ON_ROAD for v in values)


def walk_access(tags: Tags) -> tuple[bool, bool]:
    highway = tags.get("highway")
    if highway not in WALK_HIGHWAYS and highway not in WALK_IF_ALLOWED:
        return False, False
    foot = _tagged(tags, ("foot",))
    if foot is not None:
        return foot, foot
    if highway in WALK_IF_ALLOWED or _motorroad(tags):
        return False, False
    # sidewalk=separate: the separately mapped footway carries the pedestrians, so the carriageway
    # is left out (as in OSRM's foot profile); walking it too would offer two parallel copies of one
    # walk and let a route cross between them anywhere, not at the crossings.
    if _sidewalk_separate(tags):
        return False, False
    general = _tagged(tags, ("access",))
    allowed = general is not False
    return allowed, allowed


def walk_penalty(tags: Tags) -> float:
    """Factor (>= 1) on a walker's routing cost of a way it may use; 1 for an ordinary street."""
    factor = 1.0
    if tags.get("highway") in ("trunk", "trunk_link"):
        sidewalks = [tags.get(k) for k in _SIDEWALK_KEYS]
        if not any(v in _SIDEWALK_ON_ROAD for v in sidewalks):
            # a trunk road tagged sidewalk=no is known to have none: walkers share the carriageway
            no = any(v in ("no", "none") for v in sidewalks)
            factor = TRUNK_NO_SIDEWALK_WALK_FACTOR if no else TRUNK_WALK_FACTOR
    if "discouraged" in (tags.get("foot"), tags.get("access")):
        factor = max(factor, DISCOURAGED_FACTOR)
    return factor


def bike_access(tags: Tags) -> tuple[bool, bool]:
    highway = tags.get("highway")
    if highway not in BIKE_HIGHWAYS and highway not in BIKE_IF_ALLOWED:
        return False, False
    if _dismount(tags):
        return False, False  # cyclists must get off and push (bike_push_access)
    bicycle = _tagged(tags, ("bicycle", "vehicle"))
    if bicycle is None:
        # motorways and motorroads are closed to cyclists by law (and by OSRM's and Valhalla's
        # bicycle profiles); footways and the like by the worldwide table; access=* for the rest.
        if highway in BIKE_IF_ALLOWED or _motorroad(tags):
            return False, False
        bicycle = _tagged(tags, ("access",)) is not False
    if not bicycle:
        return False, False
    oneway = _oneway(tags)
    if oneway == 0 or _bike_contraflow(tags):
        return True, True
    return (True, False) if oneway == 1 else (False, True)


def bike_push_access(tags: Tags) -> tuple[bool, bool]:
    """Directions in which a cyclist may push the bicycle along a way it may not ride that way.

    Someone pushing a bicycle is a pedestrian (Brazil's CTB art. 68 §1: "o ciclista desmontado
    empurrando a bicicleta equipara-se ao pedestre"; likewise the Vienna Convention art. 1): they may
    go wherever walking is allowed, against a one-way street on its sidewalk, along a footway, up
    steps, and must on ``bicycle=dismount`` (OSM wiki, Key:bicycle). OSRM's bicycle profile
    (``bike_push_handler``) and Valhalla's bicycle costing route the same way; without it a 12 m
    footway link or a one-way block forces a cyclist round kilometre-long detours. An explicit
    ``bicycle=no`` (a sign forbidding bicycles, e.g. a pedestrian zone) forbids pushing too.
    """
    walk = walk_access(tags)
    if not any(walk) or tags.get("bicycle", "").strip().lower() in NO - {"use_sidepath"}:
        return False, False
    ride = (False, False) if _dismount(tags) else bike_access(tags)
    return walk[0] and not ride[0], walk[1] and not ride[1]


def _dismount(tags: Tags) -> bool:
    return tags.get("bicycle", "").strip().lower() == "dismount"


def _bike_contraflow(tags: Tags) -> bool:
    if tags.get("oneway:bicycle", "").lower() in ("no", "false", "0"):
        return True
    for key in ("cycleway", "cycleway:left", "cycleway:right", "cycleway:both"):
        if tags.get(key, "").startswith("opposite"):
            return True
    return tags.get("cycleway:left:oneway") == "-1" or tags.get("cycleway:right:oneway") == "-1"


def drive_access(tags: Tags) -> tuple[bool, bool]:
    highway = tags.get("highway")
    if highway not in DRIVE_HIGHWAYS and not (
        highway in DRIVE_IF_ALLOWED and _tagged(tags, ("motorcar", "motor_vehicle")) is True
    ):
        return False, False
    if tags.get("service") in ("emergency_access",):
        return False, False
    if _tagged(tags, ("motorcar", "motor_vehicle", "vehicle", "access")) is False:
        return False, False
    if tags.get("area") == "yes":
        return False, False
    oneway = _oneway(tags)
    if oneway == 0:
        return True, True
    return (True, False) if oneway == 1 else (False, True)


ACCESS = {"walk": walk_access, "bike": bike_access, "drive": drive_access}
# Where a mode may also go on foot, more slowly (its edges are timed at the pushing speed).
PUSH_ACCESS = {"bike": bike_push_access}
# Routing-cost factors per mode; a mode without one routes on its travel times alone.
PENALTY = {"walk": walk_penalty}

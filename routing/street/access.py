"""Which OSM ways each mode may use, and in which direction.

Each ``*_access`` function takes a way's tags and returns ``(forward, backward)``: whether the mode
may travel along the way in its node order, and against it.
"""

from __future__ import annotations

from collections.abc import Mapping

Tags = Mapping[str, str]

NO = frozenset({"no", "private", "use_sidepath", "discouraged"})
YES = frozenset({"yes", "designated", "permissive", "official", "destination", "customers"})

# Roads anyone may walk or cycle on unless a tag says otherwise.
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
WALK_HIGHWAYS = _ROADS | {"footway", "path", "pedestrian", "steps", "corridor", "bridleway", "cycleway", "platform"}
BIKE_HIGHWAYS = _ROADS | {"cycleway", "path"}
# Ways where cyclists need an explicit bicycle=yes (riding on footways is not allowed by default).
BIKE_IF_ALLOWED = frozenset({"footway", "pedestrian", "bridleway", "corridor", "platform"})
DRIVE_HIGHWAYS = frozenset(
    {
        "motorway",
        "motorway_link",
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
)
MODES = ("walk", "bike", "drive")


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
    if tags.get("highway") in ("motorway", "motorway_link"):
        return 1
    return 0


def _general_access_denied(tags: Tags, *specific: str) -> bool:
    """True when ``access`` forbids the way and no more specific tag allows it again."""
    for key in specific:
        value = tags.get(key)
        if value is not None:
            return value in NO
    return tags.get("access") in NO


def walk_access(tags: Tags) -> tuple[bool, bool]:
    highway = tags.get("highway")
    if highway not in WALK_HIGHWAYS:
        return False, False
    if _general_access_denied(tags, "foot"):
        return False, False
    no_sidewalk = tags.get("sidewalk") in (None, "no", "none")
    if highway in ("trunk", "trunk_link") and tags.get("foot") not in YES and no_sidewalk:
        # Trunk roads without sidewalks are unsafe to walk along unless explicitly allowed.
        return False, False
    return True, True


def bike_access(tags: Tags) -> tuple[bool, bool]:
    highway = tags.get("highway")
    bicycle = tags.get("bicycle")
    if highway in BIKE_IF_ALLOWED:
        if bicycle not in YES:
            return False, False
    elif highway not in BIKE_HIGHWAYS:
        return False, False
    if _general_access_denied(tags, "bicycle", "vehicle"):
        return False, False
    oneway = _oneway(tags)
    if oneway == 0 or _bike_contraflow(tags):
        return True, True
    return (True, False) if oneway == 1 else (False, True)


def _bike_contraflow(tags: Tags) -> bool:
    if tags.get("oneway:bicycle", "").lower() in ("no", "false", "0"):
        return True
    for key in ("cycleway", "cycleway:left", "cycleway:right", "cycleway:both"):
        if tags.get(key, "").startswith("opposite"):
            return True
    return tags.get("cycleway:left:oneway") == "-1" or tags.get("cycleway:right:oneway") == "-1"


def drive_access(tags: Tags) -> tuple[bool, bool]:
    highway = tags.get("highway")
    if highway not in DRIVE_HIGHWAYS:
        return False, False
    if tags.get("service") in ("emergency_access",):
        return False, False
    if _general_access_denied(tags, "motorcar", "motor_vehicle", "vehicle"):
        return False, False
    if tags.get("area") == "yes":
        return False, False
    oneway = _oneway(tags)
    if oneway == 0:
        return True, True
    return (True, False) if oneway == 1 else (False, True)


ACCESS = {"walk": walk_access, "bike": bike_access, "drive": drive_access}

"""The compiled street format: the arrays of one mode's graph and the codes they use.

Written by :func:`routing.street.compile.compile_streets` at build time and memory-mapped by
:class:`routing.street.graph.StreetGraph` at query time; both read the names from here, so neither can
drift from the other and the query side never imports the compiler (which loads osmium).
"""

from __future__ import annotations

# <out>/street/<mode>/<name>.npy, each indexed as its comment says.
STREET_ARRAYS = (
    "node_osm",  # node → OSM node id
    "node_lat",  # node → latitude
    "node_lon",  # node → longitude
    "node_elev",  # node → elevation (m)
    "node_main",  # node → in a kept (large enough) strongly connected component
    "node_comp",  # node → strongly connected component id
    "cch_order",  # CCH contraction order (rank → node)
    "edge_tail",  # edge → tail node
    "edge_head",  # edge → head node
    "edge_ms",  # edge → travel time (integer milliseconds)
    "edge_cost",  # edge → routing cost (ms: travel time raised by access penalties, or by distance when driving)
    "edge_len",  # edge → length (m)
    "edge_dz",  # edge → elevation change (m)
    "edge_name",  # edge → street name id (-1 none)
    "edge_class",  # edge → highway class (index into HIGHWAY_CLASSES)
    "edge_way",  # edge → OSM way id
    "seg_u",  # segment → one end node (segments are undirected node pairs)
    "seg_v",  # segment → other end node
    "seg_fwd",  # segment → edge u→v, or -1
    "seg_bwd",  # segment → edge v→u, or -1
)
# The walk graph's own arrays: edge → usable step-free (routing.street.stepfree), bool.
WALK_ARRAYS = ("edge_stepfree",)
# The turn-expanded graph of the modes that honour turn restrictions (routing.street.turns).
TURN_ARRAYS = ("turn_edge", "turn_from", "turn_to", "turn_ms", "turn_order")
# The bike graph's edges a cyclist walks, pushing the bicycle (routing.street.access.bike_push_access).
PUSH_ARRAY = "edge_push"

# edge_class codes; an unnamed street is described by its class ("unnamed residential").
HIGHWAY_CLASSES = (
    "other",
    "motorway",
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "road",
    "track",
    "cycleway",
    "footway",
    "path",
    "pedestrian",
    "steps",
    "corridor",
    "bridleway",
    "platform",
)
UNNAMED_LABELS = tuple(f"unnamed {c}" for c in HIGHWAY_CLASSES)  # class code → a step's name

# Snapping indexes points every this many metres along each segment: a nearest-point query then
# needs only a nearest-neighbour search over those points (a grid of cells, routing.street.nearest),
# and the candidate segments are then measured exactly.
SNAP_SPACING_M = 20.0
# Sample points a snap measures: enough that the segments of the nearest ones include the nearest
# segment and its rivals of other components (routing.street.route.prefer_larger).
SNAP_CANDIDATES = 32

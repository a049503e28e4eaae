"""How fast people walk and how much longer than a straight line a walk is: one figure for every walk.

The street graph's walking speed (Tobler's function scaled to this on the flat), the walks between
stops and streets, the straight-line footpaths of stops off the street network and the planner's
walking limits all read these, so a walk takes the same time whichever of them computes it.
"""

from __future__ import annotations

#: km/h in one m/s.
KMH_PER_MPS = 3.6
#: Walking speed on the flat: 4.8 km/h (3 mph) is the usual planning figure for an adult's
#: unhurried pace (OpenTripPlanner's default walk speed, 1.33 m/s, is the same speed rounded);
#: Tobler's hiking function gives 5.04 km/h on the flat, a hiker's pace rather than a pedestrian's
#: with crossings and kerbs.
WALK_FLAT_KMH = 4.8
WALK_MPS = WALK_FLAT_KMH / KMH_PER_MPS
#: A walk where no street is known (a stop off the network, the way from a stop to its street) is
#: this many times the straight line: streets are not straight and blocks must be walked round.
STRAIGHT_DETOUR = 1.3

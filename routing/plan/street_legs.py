"""Street legs of the answer from street routes: timed, rounded as served, kept as values."""

from __future__ import annotations

from datetime import datetime, timedelta

from routing.core.answer import Leg, Option, Served
from routing.street.route import StreetRoute, rounded_like_python


def street_leg(r: StreetRoute, *, departure: datetime, secs: float, mode: str | None = None) -> Leg:
    """``r`` as a leg leaving at ``departure`` and taking ``secs`` (the route's own time, or the one
    the journey gives it); ``mode`` the leg's mode when not the graph's (a taxi drives the drive graph)."""
    xy, z = r.xy, r.elevation_array
    return Leg(
        mode=mode or r.mode,
        duration_s=round(secs, 1),
        distance_m=round(r.distance_m, 1),
        departure=departure,
        arrival=departure + timedelta(seconds=secs),
        coords=Served(rounded_like_python(xy, 6)),
        steps=r.steps,
        elevation=Served(rounded_like_python(z, 1)),
        elevation_gain_m=round(r.elevation_gain_m, 1),
        elevation_loss_m=round(r.elevation_loss_m, 1),
    )


def one_leg_option(leg: Leg, *, option_id: str, mode: str) -> Option:
    """The option of a street mode: its one ``leg``, with the leg's totals."""
    return Option(
        id=option_id,
        mode=mode,
        duration_s=leg.duration_s,
        distance_m=leg.distance_m,
        elevation_gain_m=leg.elevation_gain_m,
        elevation_loss_m=leg.elevation_loss_m,
        departure=leg.departure,
        arrival=leg.arrival,
        transfers=0,
        walk_distance_m=leg.distance_m if leg.mode == "walk" else 0.0,
        legs=(leg,),
    )

"""Which combined options differ from the plain transit options of the same answer.

A bike + transit or park-and-ride option that rides exactly the trips of a plain transit option and
is not at least ``MIN_GAIN_S`` quicker door to door only repeats it with a different first mile; it
is left out, and a notice says so. With no plain transit option to compare (transit not asked for,
or none found), every combined option is kept.

The choice is made on the journeys (their trip ids and door-to-door seconds), before the combined
options' legs are drawn, so the ones left out cost no street routing.
"""

from __future__ import annotations

from collections.abc import Sequence

from routing.core.answer import Notice, Option

MIN_GAIN_S = 60.0

#: The GTFS trip ids an option rides, in order.
Rides = tuple[str, ...]


def rides_of(option: Option) -> Rides:
    """The trip ids of an option's transit legs."""
    return tuple(leg.trip_id for leg in option.rides)


def distinct_from_plain(
    mode: str, combined: Sequence[tuple[Rides, float]], plain: Sequence[tuple[Rides, float]]
) -> tuple[tuple[int, ...], Notice | None]:
    """Which ``combined`` journeys ``(rides, duration_s)`` are worth listing (their indices, in
    order), and a notice for the rest (None when every one is kept)."""
    quickest: dict[Rides, float] = {}
    for rides, duration in plain:
        quickest[rides] = min(quickest.get(rides, float("inf")), float(duration))
    worth = [float(duration) < quickest.get(rides, float("inf")) - MIN_GAIN_S for rides, duration in combined]
    kept = tuple(i for i, ok in enumerate(worth) if ok)
    if len(kept) == len(combined):
        return kept, None
    dropped = len(combined) - len(kept)
    return kept, Notice(
        code="same_as_transit",
        message=f"{mode}: {dropped} journey{'s' if dropped > 1 else ''} not listed: the same rides as a "
        f"transit option, and not at least {MIN_GAIN_S:.0f} s quicker",
    )

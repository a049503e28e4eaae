"""Which combined options differ from the plain transit options of the same answer.

A bike + transit or park-and-ride option that rides exactly the trips of a plain transit option and
is not at least ``MIN_GAIN_S`` quicker door to door only repeats it with a different first mile; it
is left out, and a notice says so. With no plain transit option to compare (transit not asked for,
or none found), every combined option is kept.
"""

from __future__ import annotations

from typing import Any

MIN_GAIN_S = 60.0


def _rides(option: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(leg.get("trip_id")) for leg in option["legs"] if leg["mode"] == "transit")


def distinct_from_plain(
    mode: str, combined: list[dict[str, Any]], plain: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    """The combined options worth listing (renumbered ``<mode>-0``, ``-1`` ...) and a notice for the rest."""
    quickest: dict[tuple[str, ...], float] = {}
    for o in plain:
        key = _rides(o)
        quickest[key] = min(quickest.get(key, float("inf")), float(o["duration_s"]))
    kept = [o for o in combined if float(o["duration_s"]) < quickest.get(_rides(o), float("inf")) - MIN_GAIN_S]
    for k, o in enumerate(kept):
        o["id"] = f"{mode}-{k}"
    if len(kept) == len(combined):
        return kept, None
    dropped = len(combined) - len(kept)
    return kept, {
        "code": "same_as_transit",
        "message": f"{mode}: {dropped} journey{'s' if dropped > 1 else ''} not listed: the same rides as a "
        f"transit option, and not at least {MIN_GAIN_S:.0f} s quicker",
    }

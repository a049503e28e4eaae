"""Turn-by-turn instructions: consecutive edges merged per street, with the turn onto each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from routing.core.geo import bearing_deg


@dataclass(frozen=True)
class Piece:
    """A (possibly partial) edge of a route: metres, seconds and its end points."""

    edge: int
    name: str
    distance_m: float
    duration_s: float
    start: tuple[float, float]  # (lat, lon)
    end: tuple[float, float]


def turn_name(delta: float) -> str:
    """Name of a turn by the change of heading in degrees (-180..180, positive = right)."""
    a = abs(delta)
    if a < 20:
        return "continue"
    side = "right" if delta > 0 else "left"
    if a < 60:
        return f"slight {side}"
    if a < 140:
        return side
    if a < 170:
        return f"sharp {side}"
    return "u-turn"


def _heading(p: Piece) -> float | None:
    if p.start == p.end:
        return None
    return bearing_deg(p.start[0], p.start[1], p.end[0], p.end[1])


def build_steps(pieces: list[Piece]) -> list[dict[str, Any]]:
    """Merge pieces per street name into steps ``{name, turn, distance_m, duration_s, location}``."""
    steps: list[dict[str, Any]] = []
    last_heading: float | None = None
    for p in pieces:
        heading = _heading(p)
        if steps and steps[-1]["name"] == p.name:
            step = steps[-1]
            step["distance_m"] += p.distance_m
            step["duration_s"] += p.duration_s
        else:
            if not steps:
                turn = "depart"
            elif heading is None or last_heading is None:
                turn = "continue"
            else:
                turn = turn_name((heading - last_heading + 540.0) % 360.0 - 180.0)
            steps.append(
                {
                    "name": p.name,
                    "turn": turn,
                    "distance_m": p.distance_m,
                    "duration_s": p.duration_s,
                    "location": [round(p.start[1], 6), round(p.start[0], 6)],
                }
            )
        if heading is not None:
            last_heading = heading
    if pieces:
        end = pieces[-1].end
        steps.append(
            {
                "name": pieces[-1].name,
                "turn": "arrive",
                "distance_m": 0.0,
                "duration_s": 0.0,
                "location": [round(end[1], 6), round(end[0], 6)],
            }
        )
    for s in steps:
        s["distance_m"] = round(s["distance_m"], 1)
        s["duration_s"] = round(s["duration_s"], 1)
    return steps

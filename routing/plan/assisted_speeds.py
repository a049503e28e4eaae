"""Riding speeds of e-bikes and e-scooters on a slope, for retiming routes of the bike graph.

- E-bike (pedelec): 20 km/h on the flat. The motor assists up to 25 km/h, so hills slow it far less
  than a bicycle: uphill ``20 / (1 + 4 s)`` (about 16.7 km/h at 5 %, a bicycle does 10), never below
  8 km/h; downhill ``20 (1 + 2 |s|)``, capped at 25 km/h where the assistance stops and riders in town
  brake rather than pedal faster.
- E-scooter (stand-up, motor only): 18 km/h on the flat. Uphill the small motor slows as
  ``18 / (1 + 6 s)`` (about 13.8 km/h at 5 %), never below 6 km/h; downhill ``18 (1 + 2 |s|)``, capped
  at 20 km/h by the speed limiter of rental and road-legal scooters.

Slopes are rise over run, signed, as in :mod:`routing.street.speeds`; the arrays are per edge.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

EBIKE_FLAT_KMH = 20.0
EBIKE_ASSIST_KMH = 25.0
EBIKE_MIN_KMH = 8.0
ESCOOTER_FLAT_KMH = 18.0
ESCOOTER_MAX_KMH = 20.0
ESCOOTER_MIN_KMH = 6.0


def _kmh(
    slope: NDArray[np.float64], *, flat: float, climb: float, descend: float, lo: float, hi: float
) -> NDArray[np.float64]:
    s = np.asarray(slope, dtype=np.float64)
    up = np.maximum(lo, flat / (1.0 + climb * np.maximum(s, 0.0)))
    down = np.minimum(hi, flat * (1.0 + descend * np.maximum(-s, 0.0)))
    return np.where(s > 0, up, down)


def ebike_kmh(slope: NDArray[np.float64]) -> NDArray[np.float64]:
    """E-bike speed (km/h) on each slope."""
    return _kmh(slope, flat=EBIKE_FLAT_KMH, climb=4.0, descend=2.0, lo=EBIKE_MIN_KMH, hi=EBIKE_ASSIST_KMH)


def escooter_kmh(slope: NDArray[np.float64]) -> NDArray[np.float64]:
    """E-scooter speed (km/h) on each slope."""
    return _kmh(slope, flat=ESCOOTER_FLAT_KMH, climb=6.0, descend=2.0, lo=ESCOOTER_MIN_KMH, hi=ESCOOTER_MAX_KMH)


SPEEDS = {"ebike": ebike_kmh, "escooter": escooter_kmh}

"""Car parks of a compiled city, for park-and-ride (compiled by :mod:`routing.build.car_parks`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

FOLDER = "car_parks"  # <build>/car_parks/{lat,lon,kind}.npy
KINDS = ("park_ride", "parking", "parking_aisle")


@dataclass(frozen=True)
class CarParks:
    """Car parks as parallel arrays: position and kind (an index into :data:`KINDS`)."""

    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    kind: NDArray[np.int8]

    def __len__(self) -> int:
        return len(self.lat)


def load_car_parks(folder: Path) -> CarParks:
    """The car parks of a compiled city (none when its build has no car-parks part)."""
    built = folder / FOLDER
    if (built / "kind.npy").is_file():
        return CarParks(np.load(built / "lat.npy"), np.load(built / "lon.npy"), np.load(built / "kind.npy"))
    return CarParks(np.zeros(0), np.zeros(0), np.zeros(0, np.int8))

"""The user's own car: fuel, size and how many people travel in it."""

from __future__ import annotations

from dataclasses import dataclass

from routing.core.errors import InvalidParameter
from routing.emissions.modes import CAR_FUELS, CAR_SIZES

MIN_OCCUPANCY = 1
MAX_OCCUPANCY = 9


def _valid_cars() -> str:
    sizes = "|".join(CAR_SIZES)
    return f"FUEL or FUEL-SIZE with FUEL one of {', '.join(CAR_FUELS)} and SIZE one of {sizes}"


@dataclass(frozen=True)
class Vehicle:
    """The car used for driving legs.

    Parameters
    ----------
    car
        ``FUEL`` or ``FUEL-SIZE`` (e.g. ``"diesel-large"``, ``"electric"`` for the average size);
        ``None`` means the pack's default car (its ``default_car``: the average petrol car in
        ``desnz-2025``, ADEME's reference compact diesel car in ``ademe-impactco2``).
    occupancy
        People in the car, 1 to 9; a car factor (per vehicle-km) is divided by it.

    Raises
    ------
    InvalidParameter
        With argument ``"car"`` or ``"occupancy"`` and the valid values in the message.
    """

    car: str | None = None
    occupancy: int = 1

    def __post_init__(self) -> None:
        if self.car is not None:
            fuel, size = _split(self.car)
            if fuel not in CAR_FUELS or (size is not None and size not in CAR_SIZES):
                raise InvalidParameter(
                    f"car={self.car!r} is not a car: use {_valid_cars()}, e.g. 'diesel-large' or 'electric'",
                    argument="car",
                )
        occ = self.occupancy
        if not isinstance(occ, int) or isinstance(occ, bool) or not (MIN_OCCUPANCY <= occ <= MAX_OCCUPANCY):
            raise InvalidParameter(
                f"occupancy={occ!r} is not valid: use a whole number of people from {MIN_OCCUPANCY} to {MAX_OCCUPANCY}",
                argument="occupancy",
            )

    @classmethod
    def parse(cls, *, car: str | None = None, occupancy: str | int | None = None) -> Vehicle:
        """Build a vehicle from query or command-line text (empty means the default).

        Raises
        ------
        InvalidParameter
            As :class:`Vehicle`, also for occupancy text that is not a whole number.
        """
        car_value = car.strip().lower() if isinstance(car, str) and car.strip() else None
        if occupancy is None or (isinstance(occupancy, str) and not occupancy.strip()):
            return cls(car=car_value)
        if isinstance(occupancy, str):
            text = occupancy.strip()
            if not text.isdigit():
                raise InvalidParameter(
                    f"occupancy={occupancy!r} is not valid: use a whole number of people from "
                    f"{MIN_OCCUPANCY} to {MAX_OCCUPANCY}",
                    argument="occupancy",
                )
            return cls(car=car_value, occupancy=int(text))
        return cls(car=car_value, occupancy=occupancy)


def _split(car: object) -> tuple[str | None, str | None]:
    """Split ``FUEL-SIZE`` (fuels may contain '-', as in plugin-hybrid)."""
    if not isinstance(car, str):
        return None, None
    for size in CAR_SIZES:
        if car.endswith(f"-{size}"):
            return car[: -len(size) - 1], size
    return car, None


__all__ = ["MAX_OCCUPANCY", "MIN_OCCUPANCY", "Vehicle"]

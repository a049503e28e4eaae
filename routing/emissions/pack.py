"""A loaded emission-factor pack and its factors (see :mod:`routing.emissions.loader`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Factor:
    """One emission factor of a pack, with everything needed to cite it.

    ``value`` is in grams CO2e per ``unit`` ("g/vehicle-km" or "g/passenger-km"); when the pack
    has components (e.g. energy and construction) it is the sum of those the pack's scope includes.
    """

    mode: str
    value: float
    unit: str
    scope: str
    source: str
    year: int
    region: str
    pack: str
    label: str = ""
    note: str = ""
    status: str = ""
    components: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON-ready ``factor`` object of the plan answer."""
        out: dict[str, Any] = {
            "value": self.value,
            "unit": self.unit,
            "scope": self.scope,
            "source": self.source,
            "year": self.year,
            "region": self.region,
            "pack": self.pack,
            "mode": self.mode,
        }
        if self.label:
            out["label"] = self.label
        if self.components:
            out["components"] = dict(self.components)
        if self.status:
            out["status"] = self.status
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class FactorPack:
    """A validated pack: one scope, one region, cited sources, factors indexed by mode."""

    name: str
    title: str
    version: str
    scope: str
    scope_note: str
    year: int
    region: str
    default_car: str
    default_car_note: str
    path: Path
    status: str = ""
    status_note: str = ""
    notes: tuple[str, ...] = ()
    sources: tuple[Mapping[str, str], ...] = ()
    factors: Mapping[str, Factor] = field(default_factory=lambda: MappingProxyType({}))
    # The answer's factor objects, built once at load so annotating a plan only copies them.
    factor_dicts: Mapping[str, Mapping[str, Any]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )

    def factor(self, mode: str) -> Factor | None:
        """Return the factor of ``mode``, or ``None`` when the pack has none."""
        return self.factors.get(mode)


def pack_info(pack: FactorPack) -> dict[str, Any]:
    """Describe ``pack`` for the answer's ``data.factors`` (no factor values).

    Parameters
    ----------
    pack
        A pack from :func:`routing.emissions.load_pack`.

    Returns
    -------
    dict
        ``pack``, ``version``, ``title``, ``scope``, ``scope_note``, ``year``, ``region``,
        ``status``, ``default_car``, ``notes`` and ``sources``; JSON-ready.
    """
    info: dict[str, Any] = {
        "pack": pack.name,
        "version": pack.version,
        "title": pack.title,
        "scope": pack.scope,
        "scope_note": pack.scope_note,
        "year": pack.year,
        "region": pack.region,
        "default_car": pack.default_car.removeprefix("car-"),
        "default_car_note": pack.default_car_note,
        "notes": list(pack.notes),
        "sources": [dict(s) for s in pack.sources],
    }
    if pack.status:
        info["status"] = pack.status
        info["status_note"] = pack.status_note
    return info


__all__ = ["Factor", "FactorPack", "pack_info"]

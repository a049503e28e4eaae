"""Emissions: cited factor packs, the user's vehicle, CO2e per option and leg, calorie estimates.

Factors live in data files (``seeds/factors/*.toml``), never in code; every figure the answer
shows carries its factor's value, unit, scope, source, year, region and pack.
"""

from routing.emissions.annotate import annotate_options
from routing.emissions.calories import DEFAULT_BODY_MASS_KG, check_body_mass, leg_calories
from routing.emissions.leg_co2e import leg_co2e
from routing.emissions.loader import list_packs, load_pack
from routing.emissions.modes import CAR_FUELS, CAR_SIZES, KNOWN_MODES, route_type_mode
from routing.emissions.pack import Factor, FactorPack, pack_info
from routing.emissions.vehicle import Vehicle

__all__ = [
    "CAR_FUELS",
    "CAR_SIZES",
    "DEFAULT_BODY_MASS_KG",
    "KNOWN_MODES",
    "Factor",
    "FactorPack",
    "Vehicle",
    "annotate_options",
    "check_body_mass",
    "leg_calories",
    "leg_co2e",
    "list_packs",
    "load_pack",
    "pack_info",
    "route_type_mode",
]

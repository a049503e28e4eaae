"""The shipped packs reproduce their publishers' figures; listing and loading behave."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from routing.core.errors import FactorPackError
from routing.emissions import Vehicle, list_packs, load_pack, pack_info
from tests.answer_values import annotate_json

FACTORS = Path(__file__).resolve().parents[2] / "seeds" / "factors"


def _kg_for_100_km(pack_name: str, leg: dict) -> float:
    pack = load_pack(pack_name, folder=FACTORS)
    option = {"id": "x", "mode": leg["mode"], "legs": [dict(leg, distance_m=100_000.0)]}
    car = leg.get("car")
    [option] = annotate_json([option], pack=pack, vehicle=Vehicle(car=car))
    return option["co2e_g"] / 1000.0


# ADEME's own API tests (testa/transport.test.ts), a 100 km query, in kg.
@pytest.mark.parametrize(
    ("leg", "energy_only", "with_construction"),
    [
        ({"mode": "drive"}, 11.055776, 14.225341),
        ({"mode": "drive", "car": "electric"}, 1.208836, 6.736526),
        ({"mode": "transit", "route": {"id": "b", "type": 3}}, 11.35, None),
        ({"mode": "transit", "route": {"id": "t", "type": 0}}, 0.38, None),
        ({"mode": "transit", "route": {"id": "m", "type": 1}}, 0.42, None),
        ({"mode": "transit", "route": {"id": "r", "type": 109}}, 0.66, None),
    ],
)
def test_ademe_api_values_for_100_km(leg, energy_only, with_construction):
    assert round(_kg_for_100_km("ademe-impactco2-energy", leg), 6) == energy_only
    if with_construction is not None:
        assert round(_kg_for_100_km("ademe-impactco2", leg), 6) == with_construction


def test_ademe_life_cycle_table_values_per_km():
    pack = load_pack("ademe-impactco2", folder=FACTORS)
    expected = {
        "walk": 0.0,
        "bicycle": 0.17,
        "ebike": 10.95,
        "escooter": 24.9,
        "bus": 122.42,
        "bus-electric": 21.7,
        "tram": 4.28,
        "metro": 4.44,
        "suburban-rail": 9.78,
        "car-diesel": 142.25,
        "car-electric": 67.37,
    }
    for mode, grams in expected.items():
        assert round(pack.factors[mode].value, 2) == grams, mode
    assert pack.scope == "life-cycle"
    assert load_pack("ademe-impactco2-energy", folder=FACTORS).scope == "energy"


DESNZ_CARS = {
    "petrol": (162.72, 143.08, 174.74, 268.28),
    "diesel": (173.04, 143.40, 171.74, 210.07),
    "hybrid": (128.25, 114.13, 117.24, 156.50),
    "plugin-hybrid": (104.61, 56.69, 88.20, 114.30),
    "electric": (40.47, 36.88, 38.82, 42.05),
}


@pytest.mark.parametrize("fuel", sorted(DESNZ_CARS))
def test_desnz_car_per_km_values_by_fuel_and_size(fuel):
    pack = load_pack("desnz-2025", folder=FACTORS)
    average, small, medium, large = DESNZ_CARS[fuel]
    for car, grams in [
        (fuel, average),
        (f"{fuel}-small", small),
        (f"{fuel}-medium", medium),
        (f"{fuel}-large", large),
    ]:
        option = {"id": "drive", "mode": "drive", "legs": [{"mode": "drive", "distance_m": 1000.0}]}
        [option] = annotate_json([option], pack=pack, vehicle=Vehicle(car=car))
        assert option["co2e_g"] == pytest.approx(grams, abs=1e-9), car
        factor = option["legs"][0]["factor"]
        assert factor["unit"] == "g/vehicle-km"
        assert factor["scope"] == "direct"
        assert factor["year"] == 2025 and factor["region"] == "GB"
        assert "gov.uk" in factor["source"]
        assert factor["status"] == "provisional"


def test_desnz_default_car_is_average_petrol_and_transit_rows():
    pack = load_pack("desnz-2025", folder=FACTORS)
    assert pack.default_car == "car-petrol"
    rows = {
        "bus": 103.85,
        "coach": 27.76,
        "rail": 35.46,
        "tram": 28.60,
        "metro": 27.80,
        "ferry": 18.71,
        "taxi": 148.61,
        "motorbike": 113.67,
    }
    for mode, grams in rows.items():
        assert pack.factors[mode].value == grams
    for mode in ("aerial-lift", "funicular", "trolleybus", "cable-tram"):
        assert pack.factors[mode].value == 28.60
        assert "light rail" in pack.factors[mode].note
    assert "ebike" not in pack.factors and "escooter" not in pack.factors


def test_list_packs_is_json_ready_and_cites_sources():
    packs = list_packs(folder=FACTORS)
    names = [p["name"] for p in packs]
    assert {"desnz-2025", "ademe-impactco2", "ademe-impactco2-energy"} <= set(names)
    json.dumps(packs)
    for p in packs:
        assert "error" not in p
        assert p["sources"] and all(s["url"] for s in p["sources"])
        assert len(p["version"]) == 12
        for f in p["factors"]:
            assert {"value", "unit", "scope", "source", "year", "region", "pack", "mode"} <= set(f)
            assert f["scope"] == p["scope"]


def test_pack_info_names_pack_version_scope():
    pack = load_pack("desnz-2025", folder=FACTORS)
    info = pack_info(pack)
    assert info["pack"] == "desnz-2025"
    assert info["version"] == pack.version
    assert info["scope"] == "direct"
    assert info["status"] == "provisional"
    assert info["default_car"] == "petrol"
    json.dumps(info)


def test_unknown_pack_names_the_available_ones():
    with pytest.raises(FactorPackError) as err:
        load_pack("ecoinvent-3", folder=FACTORS)
    assert "desnz-2025" in err.value.message and "ademe-impactco2-energy" in err.value.message
    with pytest.raises(FactorPackError):
        load_pack("../desnz-2025", folder=FACTORS)


def test_cache_reloads_when_the_file_changes(tmp_path):
    shutil.copy(FACTORS / "desnz-2025.toml", tmp_path / "desnz-2025.toml")
    first = load_pack("desnz-2025", folder=tmp_path)
    assert load_pack("desnz-2025", folder=tmp_path) is first
    path = tmp_path / "desnz-2025.toml"
    path.write_text(path.read_text().replace("value = 162.72", "value = 160.0"))
    second = load_pack("desnz-2025", folder=tmp_path)
    assert second.factors["car-petrol"].value == 160.0
    assert second.version != first.version

"""CO2e and calories added to plan options: occupancy, sums, fallbacks, overrides, bad input."""

from __future__ import annotations

import copy
import dataclasses
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.core.city import RouteEmissionOverride
from routing.core.errors import FactorPackError, InvalidParameter
from routing.emissions import (
    Vehicle,
    annotate_options,
    leg_calories,
    load_pack,
    route_type_mode,
)
from routing.plan.answer_json import option_json
from tests.answer_values import annotate_json, typed_option

FACTORS = Path(__file__).resolve().parents[2] / "seeds" / "factors"
DESNZ = load_pack("desnz-2025", folder=FACTORS)
ADEME = load_pack("ademe-impactco2", folder=FACTORS)


def _drive(km: float) -> dict:
    return {
        "id": "drive",
        "mode": "drive",
        "distance_m": km * 1000,
        "legs": [{"mode": "drive", "distance_m": km * 1000, "duration_s": 600.0}],
    }


def _transit(*legs: dict) -> dict:
    return {"id": "transit-0", "mode": "transit", "legs": list(legs)}


def _ride(km: float, rtype: int, route_id: str = "eptc:T1") -> dict:
    return {"mode": "transit", "distance_m": km * 1000, "route": {"id": route_id, "short_name": "T1", "type": rtype}}


def _walk(m: float, s: float) -> dict:
    return {"mode": "walk", "distance_m": m, "duration_s": s}


@given(occupancy=st.integers(min_value=1, max_value=4), km=st.floats(0.1, 500))
def test_car_co2e_halves_when_occupancy_doubles(occupancy, km):
    alone, shared = _drive(km), _drive(km)
    [alone] = annotate_json([alone], pack=DESNZ, vehicle=Vehicle(occupancy=occupancy))
    [shared] = annotate_json([shared], pack=DESNZ, vehicle=Vehicle(occupancy=2 * occupancy))
    assert shared["co2e_g"] == pytest.approx(alone["co2e_g"] / 2, rel=1e-12)
    assert shared["legs"][0]["factor"]["occupancy"] == 2 * occupancy


@given(occupancy=st.integers(min_value=1, max_value=9), rtype=st.sampled_from([0, 1, 2, 3, 700]))
def test_transit_does_not_change_with_occupancy(occupancy, rtype):
    one, many = _transit(_ride(5, rtype)), _transit(_ride(5, rtype))
    [one] = annotate_json([one], pack=DESNZ)
    [many] = annotate_json([many], pack=DESNZ, vehicle=Vehicle(car="diesel", occupancy=occupancy))
    assert many["co2e_g"] == one["co2e_g"]


_LEG = st.one_of(
    st.builds(_walk, st.floats(0, 5000), st.floats(1, 5000)),
    st.builds(
        lambda km, t: _ride(km, t), st.floats(0, 80), st.sampled_from([0, 1, 2, 3, 4, 7, 11, 109, 200, 700, 900, 1700])
    ),
    st.builds(lambda m: {"mode": "bike", "distance_m": m, "duration_s": m / 4 + 1}, st.floats(0, 20000)),
    st.builds(lambda m: {"mode": "drive", "distance_m": m}, st.floats(0, 90000)),
)


@settings(max_examples=200)
@given(
    legs=st.lists(_LEG, min_size=1, max_size=6),
    pack=st.sampled_from(["desnz-2025", "ademe-impactco2", "ademe-impactco2-energy"]),
    occupancy=st.integers(1, 9),
)
def test_option_total_is_the_sum_of_its_legs(legs, pack, occupancy):
    option = _transit(*copy.deepcopy(legs))
    [option] = annotate_json([option], pack=load_pack(pack, folder=FACTORS), vehicle=Vehicle(occupancy=occupancy))
    grams = [leg["co2e_g"] for leg in option["legs"]]
    if any(g is None for g in grams):  # e.g. a ferry in ADEME's packs: no figure, never 0
        assert option["co2e_g"] is None and option["factor"]["missing"]
    else:
        assert all(g >= 0 for g in grams)
        assert option["co2e_g"] == math.fsum(grams)
    scopes = {leg["factor"]["scope"] for leg in option["legs"] if "scope" in leg["factor"]}
    assert len(scopes) <= 1  # one comparison never mixes scopes
    kcal = [leg["calories_kcal"] for leg in option["legs"] if "calories_kcal" in leg]
    if kcal:
        assert option["calories_kcal"] == math.fsum(kcal)


def test_golden_transit_option():
    option = _transit(_walk(400, 300), _ride(5.0, 3), _walk(100, 80))
    [option] = annotate_json([option], pack=DESNZ)
    assert option["legs"][1]["co2e_g"] == pytest.approx(519.25)  # 5 km x 103.85 g
    assert option["co2e_g"] == pytest.approx(519.25)
    assert option["factor"] == {"pack": "desnz-2025", "scope": "direct", "legs": "see each leg"}
    assert option["legs"][1]["factor"]["route_type"] == 3
    assert option["legs"][1]["factor"]["label"] == "local bus, average"


def test_unknown_route_type_fallback_is_disclosed():
    option = _transit(_ride(2.0, 1700))
    [option] = annotate_json([option], pack=DESNZ)
    factor = option["legs"][0]["factor"]
    assert factor["fallback"] == "route_type 1700 has no factor in desnz-2025; local bus, average used"
    assert option["co2e_g"] == pytest.approx(2 * 103.85)
    # a mapped mode the pack lacks, with a relative it has: monorail -> metro
    option = _transit(_ride(1.0, 12))
    [option] = annotate_json([option], pack=DESNZ)
    assert "route_type 12 (monorail)" in option["legs"][0]["factor"]["fallback"]
    assert option["co2e_g"] == pytest.approx(27.80)


def test_missing_factor_gives_none_not_zero():
    ferry = _transit(_walk(200, 150), _ride(3.0, 4))
    taxi = {"id": "taxi", "mode": "taxi", "legs": [{"mode": "taxi", "distance_m": 3000.0}]}
    [ferry, taxi] = annotate_json([ferry, taxi], pack=ADEME)
    assert ferry["legs"][1]["co2e_g"] is None
    assert ferry["legs"][1]["factor"]["missing"] == "route_type 4 (ferry) has no factor in ademe-impactco2"
    assert ferry["co2e_g"] is None
    assert ferry["factor"]["missing"].startswith("leg 2 (transit, route eptc:T1)")
    assert ferry["legs"][0]["co2e_g"] == 0.0  # the walk leg still has its figure
    assert taxi["co2e_g"] is None and "taxi" in taxi["factor"]["missing"]
    ebike = {"id": "ebike", "mode": "ebike", "legs": [{"mode": "ebike", "distance_m": 1000.0}]}
    [ebike] = annotate_json([ebike], pack=DESNZ)
    assert ebike["co2e_g"] is None and ebike["factor"]["pack"] == "desnz-2025"


def test_unusable_leg_data_is_missing_not_a_crash():
    legs = [
        {"mode": "transit", "distance_m": 1000.0, "route": {"id": "x", "type": "tram"}},
        {"mode": "transit", "distance_m": 1000.0, "route": {"id": "x", "type": None}},
        {"mode": "walk", "distance_m": float("nan")},
        {"mode": "walk", "distance_m": -1.0},
        {"mode": "hovercraft", "distance_m": 1000.0},
    ]
    for leg in legs:
        option = _transit(leg)
        [option] = annotate_json([option], pack=DESNZ)
        assert option["co2e_g"] is None and option["factor"]["missing"]


def test_per_route_override_is_used_for_raw_and_prefixed_ids():
    overrides = (RouteEmissionOverride("T1", 1200.0, 40.0),)
    option = _transit(_ride(10.0, 3, "eptc:T1"), _ride(10.0, 3, "eptc:T2"))
    [option] = annotate_json([option], pack=DESNZ, route_overrides=overrides)
    first, second = option["legs"]
    assert first["co2e_g"] == pytest.approx(10 * 1200 / 40)
    assert first["factor"]["value"] == 30.0
    assert "city.toml" in first["factor"]["source"]
    assert second["co2e_g"] == pytest.approx(10 * 103.85)
    exact = _transit(_ride(1.0, 3, "eptc:T1"))
    [exact] = annotate_json([exact], pack=DESNZ, route_overrides=(RouteEmissionOverride("eptc:T1", 500.0, 10.0),))
    assert exact["co2e_g"] == pytest.approx(50.0)
    with pytest.raises(FactorPackError) as err:
        [exact] = annotate_json([exact], pack=DESNZ, route_overrides=(RouteEmissionOverride("T1", 500.0, 0.0),))
    assert err.value.argument == "route_emissions"


@pytest.mark.parametrize(
    ("rtype", "mode"),
    [
        (0, "tram"),
        (1, "metro"),
        (2, "rail"),
        (3, "bus"),
        (4, "ferry"),
        (5, "cable-tram"),
        (6, "aerial-lift"),
        (7, "funicular"),
        (11, "trolleybus"),
        (12, "monorail"),
        (101, "rail"),
        (109, "suburban-rail"),
        (200, "coach"),
        (300, "suburban-rail"),
        (401, "metro"),
        (405, "monorail"),
        (700, "bus"),
        (715, "bus"),
        (800, "trolleybus"),
        (900, "tram"),
        (1000, "ferry"),
        (1200, "ferry"),
        (1300, "aerial-lift"),
        (1400, "funicular"),
        (1100, None),
        (1700, None),
        (8, None),
        (-3, None),
    ],
)
def test_route_type_mapping(rtype, mode):
    assert route_type_mode(rtype) == mode


def test_desnz_trolleybus_uses_light_rail_and_says_so():
    option = _transit(_ride(1.0, 11))
    [option] = annotate_json([option], pack=DESNZ)
    factor = option["legs"][0]["factor"]
    assert factor["value"] == 28.60 and "light rail" in factor["note"]


@pytest.mark.parametrize("car", ["", "tesla", "petrol-huge", "large", "diesel-", 7])
def test_bad_car_is_invalid_parameter(car):
    with pytest.raises(InvalidParameter) as err:
        Vehicle(car=car)
    assert err.value.argument == "car"
    assert "plugin-hybrid" in err.value.message and "small|medium|large" in err.value.message


@pytest.mark.parametrize("occupancy", [0, 10, -1, 2.5, True, "2"])
def test_bad_occupancy_is_invalid_parameter(occupancy):
    with pytest.raises(InvalidParameter) as err:
        Vehicle(occupancy=occupancy)
    assert err.value.argument == "occupancy" and "1 to 9" in err.value.message


def test_vehicle_parse_from_text():
    assert Vehicle.parse(car=" Diesel-Large ", occupancy="3") == Vehicle("diesel-large", 3)
    assert Vehicle.parse(car="", occupancy="") == Vehicle()
    with pytest.raises(InvalidParameter):
        Vehicle.parse(occupancy="two")


def test_calories_golden_and_labelled_estimate():
    # 1.4 m/s = 3.13 mph -> Compendium 17190, 3.5 MET; 70 kg for 1200 s -> 3.5 * 70 / 3 kcal
    option = {"id": "walk", "mode": "walk", "legs": [_walk(1680.0, 1200.0)]}
    [option] = annotate_json([option], pack=DESNZ)
    leg = option["legs"][0]
    assert leg["calories_kcal"] == pytest.approx(3.5 * 70 / 3)
    assert leg["calories"]["activity_code"] == "17190" and leg["calories"]["estimate"] is True
    assert "gross" in leg["calories"]["basis"]
    assert option["calories_kcal"] == leg["calories_kcal"]
    # 5 m/s = 11.2 mph -> 01020, 6.8 MET; 80 kg for half an hour
    kcal, method = leg_calories("bike", 9000.0, 1800.0, body_mass_kg=80.0)
    assert kcal == pytest.approx(6.8 * 80 * 0.5) and method["activity_code"] == "01020"
    assert leg_calories("walk", 100.0, 0.0, body_mass_kg=70.0) is None
    assert leg_calories("drive", 100.0, 10.0, body_mass_kg=70.0) is None


@given(mass=st.floats(20, 300), speed=st.floats(0.2, 12), seconds=st.floats(1, 20000))
def test_calories_grow_with_mass_and_time(mass, speed, seconds):
    base = leg_calories("bike", speed * seconds, seconds, body_mass_kg=mass)
    heavier = leg_calories("bike", speed * seconds, seconds, body_mass_kg=mass + 1)
    assert base is not None and heavier is not None and heavier[0] > base[0] > 0


@pytest.mark.parametrize("mass", [0, 19.9, 301, float("nan"), "70", True])
def test_bad_body_mass_is_invalid_parameter(mass):
    with pytest.raises(InvalidParameter) as err:
        annotate_json([_drive(1)], pack=DESNZ, body_mass_kg=mass)
    assert err.value.argument == "body_mass_kg"


def test_an_option_without_legs_is_invalid_parameter():
    option = dataclasses.replace(typed_option(_drive(1)), legs=())
    with pytest.raises(InvalidParameter) as err:
        annotate_options([option], pack=DESNZ)
    assert err.value.argument == "options"


def test_annotation_returns_new_options_and_leaves_its_input_alone() -> None:
    option = typed_option(_transit(_walk(400, 300), _ride(5.0, 3), _walk(100, 80)))
    before = option_json(option)
    [annotated] = annotate_options([option], pack=DESNZ)
    assert option.emissions is None and all(leg.emissions is None for leg in option.legs)
    assert option_json(option) == before  # nothing added to the input option or its legs
    served = option_json(annotated)
    assert served["co2e_g"] == pytest.approx(519.25)
    assert [leg["co2e_g"] for leg in served["legs"]][1] == pytest.approx(519.25)
    assert list(served)[: len(before)] == list(before)  # the input's keys first, in their order
    for old, new in zip(before["legs"], served["legs"], strict=True):
        assert list(new)[: len(old)] == list(old)

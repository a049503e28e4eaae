"""The time × CO2e frontier: flagged options are undominated, every other one is dominated by one."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from routing.core.answer import UNFLAGGED, Option, OptionEmissions
from routing.plan.answer_json import option_json
from routing.plan.frontier import dominates, flag_frontier, frontier_flags
from tests.answer_values import street_option

ORIGIN = "-30.0277,-51.2287"
DESTINATIONS = ("-30.0,-51.18", "-29.9975,-51.1985", "-30.0346,-51.2177")


def check_frontier(options: list[dict[str, Any]]) -> None:
    """The two properties of the issue, plus: options without a figure are left out of it."""
    placed = [o for o in options if o.get("co2e_g") is not None]
    pt = {id(o): (o["duration_s"], o["co2e_g"]) for o in placed}
    flagged = [o for o in placed if o["pareto"] is True]
    for o in flagged:
        assert not any(dominates(pt[id(q)], pt[id(o)]) for q in placed), o
    for o in placed:
        if o["pareto"] is False:
            assert any(dominates(pt[id(q)], pt[id(o)]) for q in flagged), o
    assert all(o["pareto"] is None for o in options if o.get("co2e_g") is None)
    if placed:
        assert flagged


values = st.floats(min_value=0, max_value=5000, allow_nan=False) | st.sampled_from([0.0, 10.0, 100.0])
options_strategy = st.lists(
    st.fixed_dictionaries({"duration_s": values, "co2e_g": st.none() | values}),
    max_size=25,
)


def _option(d: dict[str, Any]) -> Option:
    """A walk option of ``d``'s duration with ``d``'s CO2e (None: unknown)."""
    o = street_option(d.get("id", "walk"), secs=d["duration_s"])
    return dataclasses.replace(o, emissions=OptionEmissions(co2e_g=d["co2e_g"], factor={}))


@given(options_strategy)
def test_frontier_properties_on_random_option_sets(options: list[dict[str, Any]]) -> None:
    typed = [_option(d) for d in options]
    flagged = flag_frontier(typed)
    assert all(o.pareto is UNFLAGGED for o in typed)  # new values; the input is left as it was
    check_frontier([option_json(o) for o in flagged])


@given(st.lists(st.tuples(values, values), min_size=1, max_size=20))
def test_the_frontier_is_the_brute_force_set_of_undominated_points(points: list[tuple[float, float]]) -> None:
    flags = frontier_flags(points)
    for p, flag in zip(points, flags, strict=True):
        beaten = any(q[0] <= p[0] and q[1] <= p[1] and q != p for q in points)
        assert flag is (not beaten)


def test_hand_made_sets() -> None:
    opts = [
        {"id": "walk", "duration_s": 1800.0, "co2e_g": 0.0},
        {"id": "bike", "duration_s": 600.0, "co2e_g": 0.0},  # beats walk on time at the same CO2e
        {"id": "drive", "duration_s": 300.0, "co2e_g": 900.0},
        {"id": "taxi", "duration_s": 300.0, "co2e_g": 900.0},  # ties with drive: both stay
        {"id": "bus", "duration_s": 900.0, "co2e_g": 200.0},  # slower and dirtier than bike
        {"id": "ebike", "duration_s": 400.0, "co2e_g": None},  # no figure: no flag, beats nothing
    ]
    assert {o.id: o.pareto for o in flag_frontier([_option(d) for d in opts])} == {
        "walk": False,
        "bike": True,
        "drive": True,
        "taxi": True,
        "bus": False,
        "ebike": None,
    }
    assert frontier_flags([]) == []


def test_porto_alegre_answers_flag_the_frontier_across_every_mode(poa_client: FlaskClient) -> None:
    seen_modes: set[str] = set()
    for to in DESTINATIONS:
        body = poa_client.get(f"/api/plan?from={ORIGIN}&to={to}&at=2026-11-23T08:00&modes=all&pack=ademe-impactco2")
        assert body.status_code == 200
        options = body.get_json()["options"]
        seen_modes |= {o["mode"] for o in options}
        check_frontier(options)
        # One frontier over every mode: a per-mode frontier would flag the one walk option, always.
        assert any(o["pareto"] is False for o in options)
    assert {"walk", "bike", "ebike", "escooter", "transit", "drive"} <= seen_modes


def test_frontier_false_leaves_the_flag_out(poa_client: FlaskClient) -> None:
    body = poa_client.get(f"/api/plan?from={ORIGIN}&to={DESTINATIONS[2]}&modes=walk,drive&frontier=false").get_json()
    assert all("pareto" not in o for o in body["options"]) and body["request"]["frontier"] is False
    bad = poa_client.get(f"/api/plan?from={ORIGIN}&to={DESTINATIONS[2]}&frontier=maybe")
    assert bad.status_code == 400 and bad.get_json()["argument"] == "frontier"

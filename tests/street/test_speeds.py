"""Travel speeds: Tobler's hiking function, the cycling slope model and driving limits."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from routing.street import speeds
from routing.street.compile import compile_streets
from routing.street.graph import StreetGraph
from routing.street.osm import read_streets
from tests.street.osm_fixture import write_osm


def test_walking_is_4_8_kmh_on_the_flat_and_fastest_slightly_downhill() -> None:
    assert speeds.walk_kmh(0.0) == pytest.approx(4.8)
    assert speeds.walk_kmh(-0.05) > speeds.walk_kmh(0.0) > speeds.walk_kmh(0.10)
    assert speeds.walk_kmh(0.0, steps=True) == pytest.approx(2.4)
    # Tobler: 6 exp(-3.5 |s + 0.05|), so a 10 % climb costs a factor exp(-3.5 * 0.1).
    assert speeds.walk_kmh(0.10) / speeds.walk_kmh(0.0) == pytest.approx(math.exp(-0.35))


@given(st.floats(min_value=-0.4, max_value=0.4), st.floats(min_value=0.001, max_value=0.1))
def test_steeper_climbs_are_never_faster(slope: float, more: float) -> None:
    assert speeds.bike_kmh(slope + more) <= speeds.bike_kmh(slope)
    if slope >= -0.05:
        assert speeds.walk_kmh(slope + more) <= speeds.walk_kmh(slope)


def test_cycling_is_16_kmh_flat_slower_uphill_capped_downhill() -> None:
    assert speeds.bike_kmh(0.0) == pytest.approx(16.0)
    assert speeds.bike_kmh(0.05) == pytest.approx(10.0)
    assert speeds.bike_kmh(0.5) == speeds.BIKE_MIN_KMH
    assert speeds.bike_kmh(-0.5) == speeds.BIKE_MAX_KMH


@pytest.mark.parametrize(
    ("value", "kmh"),
    [("50", 50.0), ("30 mph", 30 * 1.609344), ("BR:urban", 50.0), ("60;40", 60.0), ("none", None), ("", None)],
)
def test_maxspeed_parsing(value: str, kmh: float | None) -> None:
    got = speeds.parse_maxspeed(value)
    assert got == (pytest.approx(kmh) if kmh is not None else None)


def test_drive_speed_uses_maxspeed_else_class_default() -> None:
    assert speeds.drive_kmh("residential", "60") == pytest.approx(60 * 0.8)  # the urban factor
    assert speeds.drive_kmh("residential", None) == pytest.approx(30 * 0.8)
    assert speeds.drive_kmh("secondary", None) == pytest.approx(60 * 0.8)
    # one factor on every class (OSRM's speed_reduction on every tagged limit)
    assert speeds.drive_kmh("motorway", "100") == pytest.approx(100 * 0.8)
    assert speeds.drive_kmh("nonsense", None) == speeds.drive_kmh("residential", None)


def test_turns_cost_more_across_oncoming_traffic_and_for_sharper_angles() -> None:
    angle = np.array([0.0, 15.0, 45.0, 110.0, -110.0, 150.0, -150.0, 90.0, 180.0])
    junction = np.array([True] * 7 + [False, False])
    u_turn = np.array([False] * 8 + [True])
    right = speeds.drive_turn_ms(angle, junction, u_turn, driving_side="right") / 1000.0
    left = speeds.drive_turn_ms(angle, junction, u_turn, driving_side="left") / 1000.0
    assert right[0] == right[1] == 0.0  # straight on, or a bend
    assert 0 < right[2] < right[3] == speeds.TURN_AWAY_S  # sharper costs more, up to TURN_FULL_DEG
    assert right[4] == speeds.TURN_ACROSS_S > right[3]  # a left turn crosses oncoming traffic
    assert right[5] == speeds.TURN_AWAY_S and right[6] == speeds.TURN_ACROSS_S
    assert right[7] == 0.0  # no junction: the road just bends
    assert right[8] == speeds.TURN_ACROSS_S + speeds.U_TURN_S
    # Where traffic keeps left, the right turn is the one across traffic.
    assert left[3] == speeds.TURN_ACROSS_S and left[4] == speeds.TURN_AWAY_S


def test_uphill_edges_take_longer_than_downhill_in_the_compiled_graph(tmp_path: Path) -> None:
    streets = read_streets(write_osm(tmp_path / "grid.osm"))

    def tilted(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        return (lon - lon.min()) * 50_000.0  # about 5 m up per 100 m block eastwards

    compile_streets(streets, tmp_path, elevation=tilted)
    for mode in ("walk", "bike"):
        g = StreetGraph.load(tmp_path / "street", mode)
        osm = np.asarray(g.node_osm)
        t = {(int(osm[a]), int(osm[b])): int(ms) for a, b, ms in zip(g.edge_tail, g.edge_head, g.edge_ms, strict=True)}
        assert t[(1, 2)] > t[(2, 1)], mode  # 1 → 2 goes east, uphill
        dz = {(int(osm[a]), int(osm[b])): float(z) for a, b, z in zip(g.edge_tail, g.edge_head, g.edge_dz, strict=True)}
        assert dz[(1, 2)] == pytest.approx(-dz[(2, 1)]) and dz[(1, 2)] > 4


def test_signals_cost_once_per_junction_and_less_on_the_main_road(tmp_path: Path) -> None:
    from tests.street.osm_writer import write_osm_xml

    lat, lon, d = -30.0, -51.2, 0.0009  # ~100 m
    nodes = {1: (lat, lon), 2: (lat, lon + d), 3: (lat, lon + d * 1.2), 4: (lat, lon + 2 * d), 5: (lat + d, lon + d)}
    ways = {
        1: ([1, 2, 3, 4], {"highway": "primary", "maxspeed": "50"}),
        2: ([5, 2], {"highway": "residential", "maxspeed": "50"}),
    }
    signals = {2: {"highway": "traffic_signals"}, 3: {"highway": "traffic_signals"}}
    compile_streets(
        read_streets(write_osm_xml(tmp_path / "s.osm", nodes, ways, node_tags=signals)), tmp_path, elevation=None
    )
    g = StreetGraph.load(tmp_path / "street", "drive")
    osm = np.asarray(g.node_osm)
    by = {(int(osm[a]), int(osm[b])): e for e, (a, b) in enumerate(zip(g.edge_tail, g.edge_head, strict=True))}

    def extra_s(a: int, b: int) -> float:
        e = by[(a, b)]
        return float(g.edge_ms[e]) / 1000.0 - float(g.edge_len[e]) / (50 * 0.8 / 3.6)

    assert extra_s(1, 2) == pytest.approx(speeds.SIGNAL_MAIN_S, abs=0.01)  # on the primary
    assert extra_s(5, 2) == pytest.approx(speeds.SIGNAL_MINOR_S, abs=0.01)  # on the side street
    assert extra_s(2, 3) == pytest.approx(0.0, abs=0.01)  # the second signal of the same junction
    assert extra_s(4, 3) == pytest.approx(speeds.SIGNAL_MAIN_S, abs=0.01)  # coming the other way
    assert extra_s(3, 4) == pytest.approx(0.0, abs=0.01)


@pytest.mark.parametrize(
    ("detour_kmh", "taken"),
    [
        (50, False),  # 144 s for 1.6 km against 150 s for 1 km: 6 s saved, the extra 0.6 km costs 9.6
        (70, True),  # 103 s: 47 s saved is worth the extra distance
    ],
)
def test_a_drive_takes_a_longer_faster_way_only_if_it_saves_more_than_the_distance_costs(
    tmp_path: Path, detour_kmh: int, taken: bool
) -> None:
    from routing.street.route import route_points
    from tests.street.osm_inline import DLAT, DLON, LAT0, LON0, compile_inline

    a, b = (LAT0, LON0), (LAT0, LON0 + 10 * DLON)  # 1 km apart
    nodes = {1: a, 2: b, 3: (LAT0 + 3 * DLAT, LON0), 4: (LAT0 + 3 * DLAT, LON0 + 10 * DLON)}
    ways = {
        1: ([1, 2], {"highway": "residential", "maxspeed": "30"}),  # 24 km/h driven: 150 s
        2: ([1, 3, 4, 2], {"highway": "primary", "maxspeed": str(detour_kmh)}),  # 300 m + 1 km + 300 m
    }
    g = compile_inline(tmp_path, nodes, ways, min_network_nodes=1)["drive"]
    r = route_points(g, a, b)
    direct_m = float(np.sum(np.asarray(g.edge_len)[np.asarray(g.edge_way) == 1]) / 2)
    assert r.distance_m == pytest.approx(direct_m * 1.6 if taken else direct_m, rel=0.01)
    # the answer's time is the travel time of the way taken, not its routing cost
    kmh = detour_kmh if taken else 30
    assert r.duration_s == pytest.approx(r.distance_m / (kmh * speeds.URBAN_SPEED_FACTOR / 3.6), abs=0.01)
    assert speeds.DRIVE_DISTANCE_S_PER_KM * 0.6 > 150 - 1600 / (50 * speeds.URBAN_SPEED_FACTOR / 3.6)  # a real case

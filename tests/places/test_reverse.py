"""Reverse geocoding: the street or place nearest a point."""

from __future__ import annotations

import pytest

from routing.core.errors import InvalidCoordinates
from routing.places import NothingNear, PlaceIndex


def test_point_on_avenida_ipiranga(porto_alegre: PlaceIndex) -> None:
    # A vertex of Avenida Ipiranga, offset by a few metres.
    street = porto_alegre.search("avenida ipiranga")[0]
    got = porto_alegre.reverse(float(street["lat"]) + 0.00003, float(street["lon"]))
    assert got["name"] == "Avenida Ipiranga"
    assert got["distance_m"] < 1000


def test_reverse_finds_the_street_along_its_length(porto_alegre: PlaceIndex) -> None:
    # Two points of Rua dos Andradas ~1.5 km apart (midway between two of its OSM vertices, moved
    # 4 m off the centre line): both are on that street, far from its one representative point.
    for lat, lon in [(-30.03275, -51.23799), (-30.02975, -51.22515)]:
        got = porto_alegre.reverse(lat - 0.00004, lon)
        assert got["name"] == "Rua dos Andradas"
        assert got["distance_m"] < 15


def test_stop_wins_over_the_street_it_stands_on(porto_alegre: PlaceIndex) -> None:
    stop = porto_alegre.search("sarandi toledo piza")[0]
    back = porto_alegre.reverse(float(stop["lat"]) + 0.00005, float(stop["lon"]))
    assert (back["name"], back["kind"]) == ("SARANDI TOLEDO PIZA", "stop")


def test_far_away_point(porto_alegre: PlaceIndex) -> None:
    with pytest.raises(NothingNear):
        porto_alegre.reverse(48.85, 2.35)


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 0.0), (0.0, 181.0), (float("nan"), 0.0), (0.0, float("inf"))])
def test_invalid_point(porto_alegre: PlaceIndex, lat: float, lon: float) -> None:
    with pytest.raises(InvalidCoordinates):
        porto_alegre.reverse(lat, lon)

"""Search of the Porto Alegre and Beatty place indexes."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routing.places import PlaceIndex


def _names(results: list[dict[str, object]]) -> list[object]:
    return [r["name"] for r in results]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("av ipirnga", "Avenida Ipiranga"),  # abbreviation and a missing letter
        ("AVENIDA IPIRANGA", "Avenida Ipiranga"),
        ("rua dos andradas", "Rua dos Andradas"),
        ("rua dos andrdas", "Rua dos Andradas"),  # typo
        ("av borges de medeiros", "Avenida Borges de Medeiros"),
        ("avenida independencia", "Avenida Independência"),  # no accent typed
        ("rua voluntarios da patria", "Rua Voluntários da Pátria"),
        ("r. jose do patrocinio", "Rua José do Patrocínio"),
    ],
)
def test_street_found_first(porto_alegre: PlaceIndex, query: str, expected: str) -> None:
    results = porto_alegre.search(query)
    assert results, query
    assert results[0]["name"] == expected
    assert results[0]["kind"] == "street"


def test_street_found_while_typing(porto_alegre: PlaceIndex) -> None:
    assert "Avenida Ipiranga" in _names(porto_alegre.search("av ipir"))


def test_stop_name_finds_the_stop(porto_alegre: PlaceIndex) -> None:
    results = porto_alegre.search("sarandi toledo piza")
    assert results[0]["name"] == "SARANDI TOLEDO PIZA"
    assert results[0]["kind"] == "stop"
    # The detail names the operator, from the feed's agency.txt.
    assert str(results[0]["detail"]).startswith("stop · Empresa Publica de Transportes")


def test_rail_station_from_second_feed(porto_alegre: PlaceIndex) -> None:
    kinds = {(r["name"], r["kind"]) for r in porto_alegre.search("mercado", limit=10)}
    assert any(kind == "stop" and "MERCADO" in str(name).upper() for name, kind in kinds)


def test_named_place(porto_alegre: PlaceIndex) -> None:
    assert porto_alegre.search("rodoviaria")[0]["kind"] == "place"


def test_result_shape_and_positions(porto_alegre: PlaceIndex) -> None:
    for r in porto_alegre.search("ipiranga"):
        assert set(r) == {"name", "kind", "lat", "lon", "detail"}
        assert -30.4 < float(r["lat"]) < -29.8 and -51.5 < float(r["lon"]) < -50.9


def test_one_result_per_name_and_kind(porto_alegre: PlaceIndex) -> None:
    results = porto_alegre.search("borges de medeiros", limit=20)
    keys = [(r["name"], r["kind"]) for r in results]
    assert len(keys) == len(set(keys))


def test_near_picks_the_closer_of_same_named_streets(porto_alegre: PlaceIndex) -> None:
    # Several streets are called "Rua A" in different districts; "near" chooses which one shows.
    far = porto_alegre.search("rua a", limit=1, near=(-29.99, -51.14))[0]
    close = porto_alegre.search("rua a", limit=1, near=(-30.11, -51.26))[0]
    assert far["name"] == close["name"] == "Rua A"
    assert (far["lat"], far["lon"]) != (close["lat"], close["lon"])


def test_limit(porto_alegre: PlaceIndex) -> None:
    assert len(porto_alegre.search("rua", limit=3)) == 3
    assert len(porto_alegre.search("rua", limit=10_000)) <= 50


@pytest.mark.parametrize("query", ["", "   ", "!!!", "zzzzqqqxxx", "a" * 5000, "🚲🚌", "\x00\n\t"])
def test_garbage_does_not_crash(porto_alegre: PlaceIndex, query: str) -> None:
    assert isinstance(porto_alegre.search(query), list)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_is_safe(porto_alegre: PlaceIndex, query: str) -> None:
    results = porto_alegre.search(query)
    assert len(results) <= 8


def test_fast(porto_alegre: PlaceIndex) -> None:
    queries = ["av ipirnga", "rua", "a", "rua dos andradas", "borges", "mercado", "sarandi", "r"]
    porto_alegre.search("warm up")
    t0 = time.perf_counter()
    rounds = 10
    for _ in range(rounds):
        for q in queries:
            porto_alegre.search(q, near=(-30.03, -51.22))
    per_query_ms = (time.perf_counter() - t0) * 1000 / (rounds * len(queries))
    assert per_query_ms < 5.0, per_query_ms


def test_beatty(beatty: PlaceIndex) -> None:
    # The GTFS sample feed's stop names meet the Beatty index too.
    assert beatty.search("amargosa valley")[0]["name"] == "Amargosa Valley (Demo)"

"""Which side traffic keeps to: city.toml's ``driving_side``, else the time zone's country's."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.core.city import city_from_toml
from routing.core.driving_side import default_driving_side
from routing.core.errors import BuildError


@pytest.mark.parametrize(
    ("tz", "side"),
    [
        ("America/Sao_Paulo", "right"),
        ("Europe/Vaduz", "right"),
        ("America/New_York", "right"),
        ("Europe/London", "left"),
        ("Asia/Tokyo", "left"),
        ("Australia/Sydney", "left"),
        ("Africa/Johannesburg", "left"),
        ("UTC", "right"),  # no country: the world's majority
    ],
)
def test_the_default_follows_the_time_zones_country(tz: str, side: str) -> None:
    assert default_driving_side(tz) == side


def _city(tmp_path: Path, extra: str, tz: str = "Europe/London") -> Path:
    (tmp_path / "x.osm").write_text("<osm/>", encoding="utf-8")
    path = tmp_path / "city.toml"
    path.write_text(f'name = "x"\ntimezone = "{tz}"\n{extra}\n[files]\nosm = "x.osm"\n', encoding="utf-8")
    return path


def test_city_toml_states_it_or_takes_the_default(tmp_path: Path) -> None:
    assert city_from_toml(_city(tmp_path, "")).driving_side == "left"
    assert city_from_toml(_city(tmp_path, 'driving_side = "right"')).driving_side == "right"
    with pytest.raises(BuildError) as err:
        city_from_toml(_city(tmp_path, 'driving_side = "middle"'))
    assert err.value.argument == "driving_side"

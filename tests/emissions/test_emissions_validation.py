"""A broken pack is refused at load with an error naming the file and line."""

from __future__ import annotations

import pytest

from routing.core.errors import FactorPackError
from routing.emissions import list_packs, load_pack
from tests.answer_values import annotate_json

GOOD = """\
[pack]
name = "tiny"
title = "Tiny test pack"
scope = "direct"
year = 2025
region = "XX"
default_car = "car-petrol"

[[source]]
id = "s"
publisher = "Test publisher"
title = "Test table"
url = "https://example.org/factors"

[[factor]]
mode = "car-petrol"
value = 170.0
unit = "g/vehicle-km"
source = "s"

[[factor]]
mode = "bus"
value = 100.0
unit = "g/passenger-km"
source = "s"
"""


def _write(tmp_path, text, name="tiny"):
    (tmp_path / f"{name}.toml").write_text(text)
    return tmp_path


def _error(tmp_path, text) -> str:
    with pytest.raises(FactorPackError) as err:
        load_pack("tiny", folder=_write(tmp_path, text))
    return err.value.message


def test_good_pack_loads(tmp_path):
    pack = load_pack("tiny", folder=_write(tmp_path, GOOD))
    assert pack.factors["bus"].value == 100.0
    assert pack.factors["bus"].source.startswith("Test publisher: Test table")


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ('mode = "bus"', 'mode = "hovercraft"', 22, "unknown mode"),
        ("value = 100.0", "value = -1.0", 23, ">= 0"),
        ('unit = "g/passenger-km"', 'unit = "kg/mile"', 24, "unit"),
        ('unit = "g/vehicle-km"', 'unit = "g/passenger-km"', 18, "does not suit"),
        ('source = "s"\n', 'source = "nowhere"\n', 19, "not a [[source]] id"),
        ("value = 100.0", 'value = 100.0\nscope = "life-cycle"', 24, "mixes scopes"),
        ("value = 100.0", "vaule = 100.0", 23, "unknown key 'vaule'"),
        ("value = 100.0", 'value = "many"', 23, ">= 0"),
        ('default_car = "car-petrol"', 'default_car = "car-diesel"', 7, "default_car"),
        ('name = "tiny"', 'name = "other"', 2, "differs from the file name"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path, old, new, line, words):
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    message = _error(tmp_path, text)
    assert f"tiny.toml:{line}:" in message
    assert words in message


def test_missing_sources_is_an_error(tmp_path):
    start = GOOD.index("[[source]]")
    end = GOOD.index("[[factor]]")
    message = _error(tmp_path, GOOD[:start] + GOOD[end:])
    assert "tiny.toml" in message and "no source" in message


def test_duplicate_mode_and_same_as_need_a_note(tmp_path):
    dup = GOOD + '\n[[factor]]\nmode = "bus"\nvalue = 1.0\nunit = "g/passenger-km"\nsource = "s"\n'
    assert "appears twice" in _error(tmp_path, dup)
    alias = GOOD + '\n[[factor]]\nmode = "tram"\nsame_as = "bus"\n'
    assert "note" in _error(tmp_path, alias)
    alias_bad = GOOD + '\n[[factor]]\nmode = "tram"\nsame_as = "metro"\nnote = "why"\n'
    assert "same_as 'metro'" in _error(tmp_path, alias_bad)


def test_not_toml_names_the_file(tmp_path):
    message = _error(tmp_path, GOOD + "\n[[factor\n")
    assert "tiny.toml" in message and "TOML" in message


COMPONENTS = GOOD.replace(
    'default_car = "car-petrol"', 'default_car = "car-petrol"\ncomponents = ["energy", "construction"]'
)


def test_components_must_match_the_pack(tmp_path):
    text = COMPONENTS.replace("value = 170.0", "components = { energy = 120.0, construction = 50.0 }")
    text = text.replace("value = 100.0", "components = { energy = 90.0 }")
    message = _error(tmp_path, text)
    assert "components must be exactly" in message and "tiny.toml:24:" in message


def test_variant_uses_a_subset_of_components(tmp_path):
    text = COMPONENTS.replace("value = 170.0", "components = { energy = 120.0, construction = 50.0 }")
    text = text.replace("value = 100.0", "components = { energy = 90.0, construction = 10.0 }")
    text += '\n[[variant]]\nname = "tiny-energy"\ntitle = "Energy"\nscope = "energy"\ncomponents = ["energy"]\n'
    folder = _write(tmp_path, text)
    assert load_pack("tiny", folder=folder).factors["car-petrol"].value == 170.0
    energy = load_pack("tiny-energy", folder=folder)
    assert energy.factors["car-petrol"].value == 120.0
    assert energy.factors["bus"].scope == "energy"
    bad = text.replace('components = ["energy"]\n', 'components = ["fuel"]\n')
    assert "subset" in _error(tmp_path, bad)


def test_list_packs_reports_a_broken_file_instead_of_hiding_it(tmp_path):
    _write(tmp_path, GOOD.replace("value = 100.0", "value = -5.0"))
    (listed,) = list_packs(folder=tmp_path)
    assert listed["name"] == "tiny" and "tiny.toml:23:" in listed["error"]


def test_a_pack_without_walking_counts_walking_as_zero_and_says_so(tmp_path):

    pack = load_pack("tiny", folder=_write(tmp_path, GOOD))
    option = {"id": "walk", "mode": "walk", "legs": [{"mode": "walk", "distance_m": 900.0, "duration_s": 700.0}]}
    bike = {"id": "bike", "mode": "bike", "legs": [{"mode": "bike", "distance_m": 900.0}]}
    [option, bike] = annotate_json([option, bike], pack=pack)
    assert option["co2e_g"] == 0.0
    assert option["factor"]["fallback"] == "tiny has no walking factor; walking counted as 0"
    assert bike["co2e_g"] is None and bike["legs"][0]["factor"]["missing"] == "tiny has no factor for bicycle"

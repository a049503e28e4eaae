"""The message catalogues: the same keys, forms and placeholders in every language, every key the page
uses present, the language chosen from the cookie or the browser, and the city's country."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from webapp.i18n import LANG_COOKIE, LANGUAGES, catalogue, choose_language, translate
from webapp.ui import SORT_KEYS, country_of_zone

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# t("key") / t.has("key") in the scripts, t("key") / t('key') in the template.
LITERAL_KEY = re.compile(r"""\bt(?:\.has)?\(\s*["']([a-z_]+\.[\w.+-]+)["']""")


def _forms(value: Any) -> dict[str, str]:
    return value if isinstance(value, dict) else {"": value}


def _placeholders(value: Any) -> set[str]:
    return {name for text in _forms(value).values() for name in PLACEHOLDER.findall(text)}


def test_every_language_has_the_same_keys_forms_and_placeholders() -> None:
    base = catalogue("en")
    for lang in LANGUAGES[1:]:
        other = catalogue(lang)
        assert set(other) == set(base), set(other) ^ set(base)
        for key, value in base.items():
            # Plural forms differ by language, but each has "other", and a plain message stays plain.
            assert isinstance(other[key], dict) == isinstance(value, dict), key
            assert not isinstance(value, dict) or "other" in other[key], key
            assert _placeholders(other[key]) == _placeholders(value), key
            assert all(text.strip() for text in _forms(other[key]).values()), key


def test_every_key_the_page_uses_is_in_the_catalogue() -> None:
    used: set[str] = set()
    for path in [*WEBAPP.glob("static/*.js"), WEBAPP / "templates" / "index.html"]:
        used |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    used = {key for key in used if not key.endswith("_")}  # a prefix the template completes (below)
    assert len(used) > 150  # the pattern does find the page's keys
    # Keys built from data: every value the code can put there.
    modes = ["walk", "bike", "ebike", "escooter", "transit", "bike+transit", "park+ride", "drive", "taxi"]
    used |= {f"mode.{m}" for m in modes} | {f"column.{k}" for k in SORT_KEYS} | {"column.option", "column.timeline"}
    used |= {f"column_short.{k}" for k in ("wait_s", "distance_m", "transfers", "walk_distance_m")}
    used |= {f"vehicle.fuel_{f}" for f in ("petrol", "diesel", "hybrid", "plugin-hybrid", "electric")}
    used |= {f"vehicle.size_{s}" for s in ("small", "medium", "large")} | {
        f"iso.mode_{m}" for m in modes[:1] + ["bike", "transit", "drive"]
    }
    used |= {f"form.{k}_{end}" for k in ("locate", "suggestions") for end in ("from", "to")}
    used |= {f"form.{end}{k}" for k in ("", "_placeholder", "_hint") for end in ("from", "to")}
    used |= {
        f"step.{turn}"
        for turn in ("left", "right", "slight_left", "slight_right", "sharp_left", "sharp_right", "u_turn")
    }
    used |= {
        f"error.{code}"
        for code in ("outside_area", "no_route", "invalid_parameter", "timeout", "overloaded", "network")
    }
    for lang in LANGUAGES:
        missing = used - set(catalogue(lang))
        assert not missing, (lang, sorted(missing))


def _request(**environ: Any) -> Request:
    return Request(EnvironBuilder(**environ).get_environ())


@pytest.mark.parametrize(
    ("accept", "cookie", "expected"),
    [
        ("pt-BR,pt;q=0.9,en;q=0.5", None, "pt-BR"),
        ("pt-PT", None, "pt-BR"),  # the one Portuguese there is
        ("de-DE, en;q=0.5, pt;q=0.3", None, "en"),
        ("fr", None, "en"),  # nothing asked for is available: the fallback
        (None, None, "en"),
        ("en-GB", "pt-BR", "pt-BR"),  # the remembered switch wins over the browser
        ("pt-BR", "xx", "pt-BR"),  # an unknown cookie value is ignored
    ],
)
def test_language_choice(accept: str | None, cookie: str | None, expected: str) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    if cookie:
        headers["Cookie"] = f"{LANG_COOKIE}={cookie}"
    assert choose_language(_request(headers=headers)) == expected


def test_translate_fills_placeholders_and_plurals_fall_back_to_other() -> None:
    assert translate("en", "unit.km", n="2.5") == "2.5 km"
    assert translate("pt-BR", "results.copy_failed", url="http://x/") == "Copie este link: http://x/"
    assert translate("en", "status.found") == "{n} options found."
    assert translate("en", "no.such.key") == "no.such.key"


def test_country_of_the_city_zone() -> None:
    assert country_of_zone("America/Sao_Paulo") == "BR"
    assert country_of_zone("Asia/Tokyo") == "JP"
    assert country_of_zone("Europe/Paris") == "FR"
    assert country_of_zone("Not/AZone") == ""


def test_page_rendered_in_the_chosen_language(poa_client: Any) -> None:
    pt = poa_client.get("/", headers={"Accept-Language": "pt-BR,pt;q=0.9"})
    html = pt.get_data(as_text=True)
    assert '<html lang="pt-BR">' in html and ">Comparar<" in html and 'data-country="BR"' in html
    assert pt.headers["Content-Language"] == "pt-BR" and "Accept-Language" in pt.headers["Vary"]
    en = poa_client.get("/", headers={"Accept-Language": "en-US"})
    assert ">Compare<" in en.get_data(as_text=True)

"""The map in dark mode: the base map drawn in its dark colours (vector tiles and the GeoJSON layers
alike), and every route stroke at least 3:1 against the map's background in both schemes."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import NO_WEBGL, SHARE_JS, city_today, contrast, plan_url, wait_for_basemap

pytestmark = pytest.mark.browser

# map.js: streets in LIGHT_BASE and DARK_BASE.
LIGHT_MINOR, LIGHT_MAJOR = (0xD2, 0xD1, 0xCB), (0xA9, 0xA7, 0xA0)
DARK_MINOR, DARK_MAJOR = (0x45, 0x44, 0x3F), (0x65, 0x63, 0x5D)
NON_TEXT_CONTRAST = 3.0  # WCAG 1.4.11: lines a person needs to read the map

ROUTES_JS = """() => [...document.querySelectorAll('path.route')].map(p => ({
  cls: p.getAttribute('class'), stroke: getComputedStyle(p).stroke,
}))"""
MAP_BG_JS = "() => getComputedStyle(document.querySelector('#map')).backgroundColor"


def _rgb(css: str) -> tuple[float, float, float]:
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def _open(browser: Any, server: str, *, scheme: str, webgl: bool = True) -> Any:
    context = browser.new_context(viewport={"width": 1366, "height": 850}, color_scheme=scheme)
    if not webgl:
        context.add_init_script(NO_WEBGL)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(plan_url(server, f"{city_today()}T17:00", sel="transit-0"))
    page.locator("#details-title").wait_for(timeout=60_000)
    wait_for_basemap(page)
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_route_stands_out_from_the_map(browser: Any, server: str, scheme: str) -> None:
    page = _open(browser, server, scheme=scheme)
    background = _rgb(page.evaluate(MAP_BG_JS))
    routes = page.evaluate(ROUTES_JS)
    modes = {re.search(r"route-(\S+)", r["cls"]).group(1) for r in routes}
    assert {"walk", "bike", "transit", "drive"} <= modes, modes
    for route in routes:
        ratio = contrast(_rgb(route["stroke"]), background)
        assert ratio >= NON_TEXT_CONTRAST, (scheme, route, round(ratio, 2))
    assert page.errors == []


@pytest.mark.parametrize("webgl", [True, False], ids=["vector", "geojson"])
def test_dark_page_draws_the_dark_base_map(browser: Any, server: str, output_dir: Path, webgl: bool) -> None:
    page = _open(browser, server, scheme="dark", webgl=webgl)
    assert page.locator("#map").get_attribute("data-basemap") == ("vector" if webgl else "geojson")
    shot = output_dir / "screenshots" / f"basemap-dark-{'vector' if webgl else 'geojson'}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.locator("#map").screenshot(path=str(shot))
    png = base64.b64encode(shot.read_bytes()).decode()
    share = {name: page.evaluate(SHARE_JS, [png, list(rgb)]) for name, rgb in
             {"dark minor": DARK_MINOR, "dark major": DARK_MAJOR, "light minor": LIGHT_MINOR,
              "light major": LIGHT_MAJOR}.items()}  # fmt: skip
    # Measured: about 5% of the map in each dark street colour, and the light ones 0.25% (the edges
    # of light names); with the light palette on the dark page they were 1% against 3% and 6%.
    assert share["dark minor"] > 0.03 and share["dark major"] > 0.03, share
    assert share["light minor"] < 0.01 and share["light major"] < 0.01, share
    assert page.errors == []

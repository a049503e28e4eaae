"""The offline base map in Chromium: vector tiles drawn by MapLibre (and the GeoJSON layers where
there is no WebGL), names drawn at city and street zoom, no other host asked."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from ui_helpers import NO_WEBGL, SHARE_JS, open_page

pytestmark = pytest.mark.browser

# Porto Alegre's default view is zoom 13 (seeds/porto-alegre/city.toml); three steps in is 16.
CITY_ZOOM, STREET_ZOOM = 13, 16


def _labels(page: Any) -> list[dict[str, Any]]:
    """The names on screen: text, kind, and whether the box lies inside the map."""
    return page.eval_on_selector_all(
        ".map-label",
        """(spans) => {
            const map = document.querySelector('#map').getBoundingClientRect();
            return spans.map((s) => {
                const r = s.getBoundingClientRect();
                const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
                return {text: s.textContent, kind: s.className, width: r.width,
                        inside: cx > map.left && cx < map.right && cy > map.top && cy < map.bottom,
                        colour: getComputedStyle(s).color, hidden: s.closest('[aria-hidden=true]') !== null};
            });
        }""",
    )


def _wait_labels(page: Any) -> list[dict[str, Any]]:
    page.locator(".map-label").first.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(400)  # the last moveend's redraw
    return _labels(page)


def _overlapping(page: Any) -> int:
    """Pairs of drawn names whose (turned) text boxes intersect by more than a few pixels."""
    return page.evaluate(
        """() => {
            const boxes = [...document.querySelectorAll('.map-label')].map((s) => s.getBoundingClientRect());
            let n = 0;
            for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                const a = boxes[i], b = boxes[j];
                const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (w > 6 && h > 6) n++;
            }
            return n;
        }"""
    )


def test_names_at_two_zooms_and_no_other_host(browser: Any, server: str, output_dir: Path) -> None:
    own = urlsplit(server).netloc
    page = open_page(browser, "about:blank", width=1366, height=850)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "/")
    page.locator("#load-status", has_text="Ready").wait_for(timeout=30_000)

    city = _wait_labels(page)
    shots = output_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    page.locator("#map").screenshot(path=str(shots / "basemap-porto-alegre-city-zoom.png"))
    assert len([lab for lab in city if lab["inside"]]) >= 5, city
    # Only the long avenues are named at city zoom: none of the names is a short side street's.
    assert all("street" in lab["kind"] for lab in city)

    for _ in range(STREET_ZOOM - CITY_ZOOM):
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(350)
    street = _wait_labels(page)
    page.locator("#map").screenshot(path=str(shots / "basemap-porto-alegre-street-zoom.png"))
    inside = [lab for lab in street if lab["inside"]]
    assert len(inside) >= 10, street
    assert {lab["text"] for lab in inside} - {lab["text"] for lab in city}, "no new name close up"
    assert any(lab["text"].startswith(("Rua ", "Avenida ", "Travessa ")) for lab in inside)
    assert all(lab["hidden"] for lab in street)  # decorative: the search box finds the same names
    assert _overlapping(page) == 0

    foreign = [u for u in requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own]
    assert any("/api/basemap/labels.json" in u for u in requests)
    # Drawn from the vector tiles (512 px tiles: Leaflet's zoom 16 is tile zoom 15, the deepest).
    assert page.locator("#map").get_attribute("data-basemap") == "vector"
    assert {"12", "15"} <= {u.split("/tiles/")[1].split("/")[0] for u in requests if "/tiles/" in u}
    assert not any(u.endswith(".geojson") for u in requests)
    assert foreign == [], foreign
    assert page.errors == []


MAJOR, MINOR = (0xA9, 0xA7, 0xA0), (0xD2, 0xD1, 0xCB)  # map.js LIGHT_BASE streets-major, -minor


def _drawn_map(browser: Any, server: str, *, webgl: bool, shot: Path) -> tuple[Any, list[str]]:
    page = open_page(browser, "about:blank", width=1366, height=850)
    if not webgl:
        page.context.add_init_script(NO_WEBGL)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "/")
    page.locator("#load-status", has_text="Ready").wait_for(timeout=30_000)
    page.wait_for_function("() => document.querySelector('#map').dataset.basemap")
    _wait_labels(page)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the last tiles' frame
    page.locator("#map").screenshot(path=str(shot))
    return page, requests


def test_vector_tiles_draw_what_the_geojson_layers_draw(browser: Any, server: str, output_dir: Path) -> None:
    """The same view drawn twice, by MapLibre from the build's tiles and by Leaflet from the GeoJSON
    layers: the streets cover about the same share of the map (the tiles lost or moved nothing)."""
    shots = output_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    vector, _ = _drawn_map(browser, server, webgl=True, shot=shots / "basemap-vector.png")
    plain, _ = _drawn_map(browser, server, webgl=False, shot=shots / "basemap-geojson.png")
    assert vector.locator("#map").get_attribute("data-basemap") == "vector"
    assert plain.locator("#map").get_attribute("data-basemap") == "geojson"
    for colour in (MAJOR, MINOR):
        shares = []
        for page, name in ((vector, "basemap-vector.png"), (plain, "basemap-geojson.png")):
            png = base64.b64encode((shots / name).read_bytes()).decode()
            shares.append(page.evaluate(SHARE_JS, [png, list(colour)]))
        assert min(shares) > 0.004, (colour, shares)
        assert 0.5 < shares[0] / shares[1] < 2.0, (colour, shares)
    assert vector.errors == [] and plain.errors == []


def test_paths_wait_for_street_zoom_without_webgl(browser: Any, server: str) -> None:
    page = open_page(browser, "about:blank", width=1366, height=850)
    page.context.add_init_script(NO_WEBGL)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "/")
    page.locator("#load-status", has_text="Ready").wait_for(timeout=30_000)
    _wait_labels(page)
    fetched = {urlsplit(u).path for u in requests}
    assert page.locator("#map").get_attribute("data-basemap") == "geojson"
    assert not any(p.startswith("/api/basemap/tiles/") for p in fetched)
    assert "/api/basemap/streets-major.geojson" in fetched
    assert "/api/basemap/paths.geojson" not in fetched

"""The page in Chromium: the reachable area for a clicked origin, and the time × CO2e chart of a plan."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

FROM, TO = "-30.027700,-51.228700", "-30.034600,-51.217700"


def _open(browser: Any, url: str) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    return page


def test_reachable_area_for_a_clicked_origin(chromium: Any, beyond_server: str) -> None:
    page = _open(chromium, beyond_server + "/")
    page.locator("#load-status", has_text="Ready").wait_for(timeout=30_000)
    page.locator("#iso-toggle").click()
    assert "Choose a start" in page.locator("#iso-status").inner_text()
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator("#iso-status", has_text="km²").wait_for(timeout=30_000)
    classes = page.eval_on_selector_all("path.isochrone", "ps => ps.map(p => p.getAttribute('class'))")
    assert len(classes) == 3 and all(any(f"isochrone-{m}" in c for c in classes) for m in (10, 20, 30))
    fills = page.eval_on_selector_all("path.isochrone", "ps => ps.map(p => p.getAttribute('fill'))")
    assert all(f.startswith("#") and f.lower() not in ("#ff0000", "#00ff00", "#008000") for f in fills)
    # Off, then on again for public transport at the chosen time.
    page.locator("#iso-toggle").click()
    assert page.locator("path.isochrone").count() == 0 and page.locator("#iso-status").inner_text() == ""
    page.select_option("#iso-mode", "transit")
    page.locator("#iso-toggle").click()
    page.locator("#iso-status", has_text="km²").wait_for(timeout=30_000)
    assert page.locator("path.isochrone").count() == 3
    assert page.errors == []


def test_time_co2e_chart_for_a_plan(chromium: Any, beyond_server: str) -> None:
    page = _open(chromium, f"{beyond_server}/?from={FROM}&to={TO}&when=depart&at=2026-11-23T08:00")
    page.locator(".option").first.wait_for(timeout=60_000)
    page.locator("#chart .chart-point").first.wait_for(timeout=10_000)
    answer = page.evaluate(f"fetch('/api/plan?from={FROM}&to={TO}&at=2026-11-23T08:00').then(r => r.json())")
    placed = [o for o in answer["options"] if o["co2e_g"] is not None]
    ids = page.eval_on_selector_all("#chart .chart-point", "gs => gs.map(g => g.dataset.id)")
    assert sorted(ids) == sorted(o["id"] for o in placed)
    front = [o for o in placed if o["pareto"]]
    assert page.locator("#chart polyline.chart-frontier").count() == (1 if len(front) > 1 else 0)
    if len(front) > 1:
        n = page.eval_on_selector("#chart polyline.chart-frontier", "p => p.getAttribute('points').split(' ').length")
        assert n == len(front)
    # The comparison list does not single out frontier options.
    cards = page.locator("#options").inner_html().lower()
    assert "pareto" not in cards and "frontier" not in cards
    assert page.locator("#chart figcaption").inner_text().count("not advice") == 1
    assert page.errors == []

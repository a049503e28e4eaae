"""Accessibility in Chromium: axe-core (vendored in tests/vendor/axe-core) finds no violation on the
empty page, the results, the details, the factor panel and the log page at both sizes; the whole
plan → compare → log flow works with the keyboard alone; every control is at least 24 × 24 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ui_helpers import city_today, plan_url

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
SIZES = [(1366, 850), (390, 844)]
VIOLATIONS_JS = """() => axe.run(document).then(r => r.violations.map(v =>
  ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))})))"""


def _axe(page: Any) -> list[dict[str, Any]]:
    # The page's CSP allows no injected script: these contexts bypass it for the axe script only.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(VIOLATIONS_JS)


def _context(browser: Any, width: int, height: int, **extra: Any) -> Any:
    return browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True, **extra)


def test_axe_finds_a_planted_violation(browser: Any, server: str) -> None:
    """The check can fail: an image without a text alternative is reported."""
    page = _context(browser, 800, 600).new_page()
    page.goto(server + "/")
    page.evaluate("document.body.append(Object.assign(document.createElement('img'), {src: 'data:,'}))")
    assert "image-alt" in {v["id"] for v in _axe(page)}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_axe_reports_no_violation(browser: Any, server: str, width: int, height: int, scheme: str) -> None:
    context = _context(browser, width, height, color_scheme=scheme)
    page = context.new_page()
    found: dict[str, list[dict[str, Any]]] = {}
    page.goto(server + "/")
    page.locator("#load-status", has_text="Ready").wait_for(timeout=30_000)
    found["empty"] = _axe(page)
    page.goto(plan_url(server, f"{city_today()}T22:30"))
    page.locator("tr.option").first.wait_for(timeout=60_000)
    found["results"] = _axe(page)
    page.locator('tr.option[data-mode="transit"] .select-option').first.click()
    page.locator("#details-title").wait_for()
    found["details"] = _axe(page)
    page.locator('tr.option[data-mode="drive"] .co2-button').click()
    page.locator("#factor-panel .calc-line").first.wait_for()
    found["factor panel"] = _axe(page)
    page.goto(server + "/log")
    found["log"] = _axe(page)
    context.close()
    assert {name: v for name, v in found.items() if v} == {}


def _tab_to(page: Any, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _type_and_choose(page: Any, text: str, wanted: str, end: str) -> None:
    page.keyboard.type(text, delay=30)
    page.locator(f"#{end}-list .suggestion").first.filter(has_text=wanted).wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def test_plan_compare_log_with_the_keyboard_alone(browser: Any, server: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 850})
    page = context.new_page()
    # Turn the log on.
    page.goto(server + "/log")
    _tab_to(page, "#turn-on")
    page.keyboard.press("Enter")
    page.locator("#key-done").wait_for()
    _tab_to(page, "#key-done")
    page.keyboard.press("Enter")
    page.locator(".count").wait_for()
    # Back to the planner by its link.
    _tab_to(page, "a.home")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("#load-status", has_text="Ready").wait_for(timeout=30_000)
    _tab_to(page, "#from-input")
    _type_and_choose(page, "rua dos andradas", "Rua dos Andradas", "from")
    _tab_to(page, "#to-input")
    _type_and_choose(page, "av ipiranga", "Avenida Ipiranga", "to")
    page.locator("tr.option").first.wait_for(timeout=60_000)
    # Compare: sort by CO2e from its column heading, then open a row and its factor panel.
    _tab_to(page, '.sort-button[data-key="co2e_g"]')
    page.keyboard.press("Enter")
    assert page.locator("th.h-co2e_g").get_attribute("aria-sort") == "ascending"
    _tab_to(page, 'tr.option[data-mode="drive"] .select-option')
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "details-title"
    _tab_to(page, 'tr.option[data-mode="drive"] .co2-button', limit=200)
    page.keyboard.press("Enter")
    assert page.locator("#factor-panel").evaluate("d => d.open")
    page.keyboard.press("Escape")
    # Log the selected option.
    _tab_to(page, "#details .log-button", limit=200)
    page.keyboard.press("Enter")
    page.locator("#details .log-status").filter(has_text="Added to your log.").wait_for(timeout=10_000)
    _tab_to(page, 'a[href="/log"]', limit=300)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".count").inner_text() == "1 entry"
    context.close()


TARGETS_JS = """
() => [...document.querySelectorAll('button, input, select, summary, [role="option"], .leaflet-control a')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .map(e => { const b = e.getBoundingClientRect(); return {what: e.outerHTML.slice(0, 80), w: b.width, h: b.height}; })
"""


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_tap_targets_are_at_least_24_px(browser: Any, server: str, width: int, height: int) -> None:
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(plan_url(server, f"{city_today()}T22:30"))
    page.locator("tr.option").first.wait_for(timeout=60_000)
    page.locator('tr.option[data-mode="transit"] .select-option').first.click()
    page.locator("#details-title").wait_for()
    page.locator("#edit-trip").click()
    targets = page.evaluate(TARGETS_JS)
    assert len(targets) > 40
    assert [t for t in targets if t["w"] < 24 or t["h"] < 24] == []

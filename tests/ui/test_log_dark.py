"""The log page in dark mode, as the planner: a dark page whose text keeps 4.5:1, and the weekly chart
(drawn by the server in light-page inks) on a light box of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ui_helpers import COLOURS_JS, city_today, contrast, luminance, plan_url

pytestmark = pytest.mark.browser

TEXTS = ["h1", "h2", "h3", "p", "label", "button", "a", "summary", ".count", ".entry .detail", ".totals th",
         ".totals td", ".legend li"]  # fmt: skip
BACKGROUND_JS = "s => { const c = getComputedStyle(document.querySelector(s)).backgroundColor; return c; }"


def _rgb(css: str) -> tuple[float, float, float]:
    r, g, b = (float(v) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return r, g, b


def test_log_page_in_dark_mode(browser: Any, server: str, output_dir: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    page.goto(server + "/log")
    assert luminance(_rgb(page.evaluate(BACKGROUND_JS, "body"))) < 0.05
    page.get_by_role("button", name="Turn on my log").click()
    page.get_by_role("button", name="I have noted it: show my log").click()
    # One entry, so that the weekly chart is drawn.
    page.goto(plan_url(server, f"{city_today()}T17:00"))
    page.locator("tr.option[data-mode=walk] .select-option").click()
    page.locator("#details .log-button").click()
    page.locator("#details .log-status").filter(has_text="Added to your log.").wait_for(timeout=10_000)
    page.goto(server + "/log")
    page.wait_for_selector("svg.chart")
    samples = page.evaluate(COLOURS_JS, TEXTS)
    assert len(samples) > 10
    for s in samples:
        assert contrast(tuple(s["fg"]), tuple(s["bg"])) >= 4.5, s
    # The chart's own dark text (#333) on its light box.
    assert luminance(_rgb(page.evaluate(BACKGROUND_JS, "svg.chart"))) > 0.8
    (output_dir / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(output_dir / "screenshots" / "log-dark.png"), full_page=True)
    context.close()

"""The comparison table in Chromium: every row in the first screen, waits and days, the factor panel,
earlier/later, recent places, print. Figures on the page are checked against the API's own answer."""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from ui_helpers import FROM, TO, city_today, grams, open_page, plan_url, wait_for_basemap

pytestmark = pytest.mark.browser

SHOTS = "screenshots"
ROWS_JS = """() => [...document.querySelectorAll('tr.option')].map(r => {
  const b = r.getBoundingClientRect();
  return {id: r.dataset.id, top: b.top, bottom: b.bottom};
})"""


def _answer(page: Any, at: str, **extra: str) -> dict[str, Any]:
    query = f"from={FROM}&to={TO}&at={at}" + "".join(f"&{k}={v}" for k, v in extra.items())
    return page.evaluate(f"fetch('/api/plan?{query}').then(r => r.json())")


def _shots(output_dir: Path) -> Path:
    folder = output_dir / SHOTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize(("width", "height", "wanted"), [(1366, 850, None), (390, 844, 4)])
def test_rows_in_the_first_screen(
    browser: Any, server: str, output_dir: Path, width: int, height: int, wanted: int | None
) -> None:
    page = open_page(browser, plan_url(server, f"{city_today()}T17:00"), width=width, height=height)
    page.locator("tr.option").first.wait_for(timeout=60_000)
    rows = page.evaluate(ROWS_JS)
    visible = [r for r in rows if r["top"] >= 0 and r["bottom"] <= height]
    if wanted is None:
        # The whole default answer (walk, bike, transit, bike+transit, park+ride, drive) above the fold.
        assert len(rows) >= 6 and len(visible) == len(rows), rows
    else:
        assert len(visible) >= wanted, rows
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wait_for_basemap(page)
    page.screenshot(path=str(_shots(output_dir) / f"results-{width}x{height}.png"))
    assert page.errors == []


def test_plan_compare_and_details_ask_no_other_host(browser: Any, server: str, output_dir: Path) -> None:
    """Everything the page loads and asks for, from the first paint to a row's details, its factor
    panel and a later page, comes from this server (scripts, styles, tiles, workers, data)."""
    own = urlsplit(server).netloc
    page = open_page(browser, "about:blank", width=390, height=844)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(plan_url(server, f"{city_today()}T17:00"))
    page.locator("tr.option").first.wait_for(timeout=60_000)
    page.locator("tr.option", has_text="Transit").first.click()
    page.locator("#details-title").wait_for()
    wait_for_basemap(page)
    page.screenshot(path=str(_shots(output_dir) / "details-390x844.png"))
    page.locator("tr.option .co2-button").first.click()
    page.locator("#factor-panel .calc-line").first.wait_for()
    page.keyboard.press("Escape")
    with page.expect_response(lambda r: "cursor=" in r.url and r.status == 200):
        page.locator("#later").click()
    page.wait_for_load_state("networkidle")
    assert any("/api/basemap/tiles/" in u for u in requests) and any("cursor=" in u for u in requests)
    foreign = [u for u in requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own]
    assert foreign == [], foreign
    assert page.errors == []


def test_no_sideways_scroll_at_320_px(browser: Any, server: str, output_dir: Path) -> None:
    page = open_page(browser, plan_url(server, f"{city_today()}T22:30"), width=320, height=640)
    page.locator("tr.option").first.wait_for(timeout=60_000)
    page.locator("tr.option .select-option").nth(2).click()
    page.locator("#details-title").wait_for()
    widest = page.evaluate(
        # The map's panes are larger than the map and clipped by it: the panel's contents are what must fit.
        "() => Math.max(...[...document.querySelectorAll('#panel *')].map(e => e.getBoundingClientRect().right))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert widest <= 320.5, widest
    wait_for_basemap(page)
    page.screenshot(path=str(_shots(output_dir) / "results-320.png"), full_page=True)


def _expected_wait(option: dict[str, Any], asked: str) -> str:
    seconds = (datetime.fromisoformat(option["departure"]) - datetime.fromisoformat(asked)).total_seconds()
    minutes = round(max(0.0, seconds) / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min" if minutes % 60 else f"{minutes // 60} h"


def test_early_morning_wait_and_the_next_day(browser: Any, server: str) -> None:
    """03:30: transit leaves over an hour later, and the row says how long the wait is; at 23:45 the first
    transit ride is the next morning, and the row says "tomorrow" (and only those rows do)."""
    today = city_today()
    page = open_page(browser, plan_url(server, f"{today}T03:30"), width=1366, height=850)
    page.locator("tr.option").first.wait_for(timeout=60_000)
    answer = _answer(page, f"{today}T03:30")
    asked = answer["request"]["at"]
    long_waits = 0
    for option in answer["options"]:
        row = page.locator(f'tr.option[data-id="{option["id"]}"]')
        assert row.locator(".c-wait").inner_text() == _expected_wait(option, asked), option["id"]
        long_waits += (
            datetime.fromisoformat(option["departure"]) - datetime.fromisoformat(asked)
        ).total_seconds() > 3600
    assert long_waits >= 1, "the early-morning case should have a transit option that leaves over an hour later"
    # The timeline draws that wait to scale: its share of the bar is wait / longest span.
    transit = next(o for o in answer["options"] if o["mode"] == "transit")
    share = page.locator(f'tr.option[data-id="{transit["id"]}"] .tl-wait').first.evaluate(
        "e => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width"
    )
    spans = [
        (datetime.fromisoformat(o["arrival"]) - datetime.fromisoformat(asked)).total_seconds()
        for o in answer["options"]
    ]
    wait = (datetime.fromisoformat(transit["departure"]) - datetime.fromisoformat(asked)).total_seconds()
    assert share == pytest.approx(wait / max(spans), abs=0.02)

    page.goto(plan_url(server, f"{today}T23:45"))
    page.locator("tr.option").first.wait_for(timeout=60_000)
    answer = _answer(page, f"{today}T23:45")
    tomorrow_rows = 0
    for option in answer["options"]:
        text = page.locator(f'tr.option[data-id="{option["id"]}"] .c-times').inner_text()
        next_day = option["departure"][:10] != today
        # A walk that starts at 23:45 ends after midnight: its arrival says "tomorrow" too.
        assert ("tomorrow" in text) == (next_day or option["arrival"][:10] != today), (option["id"], text)
        tomorrow_rows += next_day
    assert tomorrow_rows >= 1
    # Sorting by departure puts the next day's departures after tonight's.
    page.locator('.sort-button[data-key="departure"]').click()
    order = page.eval_on_selector_all("tr.option", "rs => rs.map(r => r.dataset.id)")
    leaves = {o["id"]: datetime.fromisoformat(o["departure"]) for o in answer["options"]}
    assert [leaves[i] for i in order] == sorted(leaves.values())
    assert page.errors == []


VEHICLE = json.dumps({"fuel": "electric", "size": "", "occupancy": "3", "pack": ""})


def test_factor_panel_from_a_co2e_value(browser: Any, server: str, output_dir: Path) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 850})
    context.add_init_script(f"window.localStorage.setItem('greenroute.vehicle', {json.dumps(VEHICLE)})")
    page = context.new_page()
    page.goto(plan_url(server, f"{city_today()}T17:00"))
    page.locator("tr.option").first.wait_for(timeout=60_000)
    answer = _answer(page, f"{city_today()}T17:00", car="electric", occupancy="3")
    drive = next(o for o in answer["options"] if o["mode"] == "drive")
    factor = drive["factor"]
    # The API's own figure, checked by hand: distance × factor ÷ people.
    assert factor["unit"] == "g/vehicle-km" and factor["occupancy"] == 3
    assert drive["co2e_g"] == pytest.approx(drive["distance_m"] / 1000 * factor["value"] / 3, rel=1e-6)

    button = page.locator('tr.option[data-mode="drive"] .co2-button')
    assert grams(button.inner_text()) == pytest.approx(drive["co2e_g"], abs=0.5)
    button.click()
    panel = page.locator("#factor-panel")
    panel.wait_for()
    text = panel.inner_text()
    km = f"{drive['distance_m'] / 1000:.2f}"
    assert re.search(
        rf"{re.escape(km)} km × {factor['value']:.2f} g/vehicle-km ÷ 3 people in the car = [\d.]+ g CO2e", text
    ), text
    for word in (
        "Factor",
        "Scope",
        "Year",
        "2025",
        "Source",
        "Region of the pack",
        "United Kingdom (GB)",
        "Brazil (BR)",
    ):
        assert word in text, word
    link = panel.locator(".source a").first
    assert link.get_attribute("href") in factor["source"] and link.get_attribute("href").startswith("https://")
    assert panel.evaluate("d => d.open") is True
    wait_for_basemap(page)
    page.screenshot(path=str(_shots(output_dir) / "factor-panel.png"))
    page.keyboard.press("Escape")
    assert panel.evaluate("d => d.open") is False
    assert page.evaluate("document.activeElement.classList.contains('co2-button')")

    # A transit option: the sum of its legs, each leg with its own factor.
    transit = next(o for o in answer["options"] if o["mode"] == "transit")
    page.locator(f'tr.option[data-id="{transit["id"]}"] .co2-button').click()
    lines = panel.locator(".calc-line").all_inner_texts()
    assert len(lines) == len(transit["legs"])
    total = sum(leg["co2e_g"] for leg in transit["legs"])
    assert total == pytest.approx(transit["co2e_g"], abs=0.01)
    assert grams(panel.locator(".calc-total").inner_text()) == pytest.approx(transit["co2e_g"], abs=0.5)
    context.close()


def _rows(page: Any) -> dict[str, str]:
    return dict(page.eval_on_selector_all("tr.option", "rs => rs.map(r => [r.dataset.id, r.innerText])"))


def _cursor_answer(page: Any, cursor: str) -> dict[str, Any]:
    return page.evaluate("c => fetch('/api/plan?cursor=' + encodeURIComponent(c)).then(r => r.json())", cursor)


def test_later_and_earlier_follow_the_answers_cursors(browser: Any, server: str) -> None:
    """Later asks for the answer's ``page.next``, Earlier for ``page.previous``; the transit rows are
    that answer's, and every other mode of the comparison is still there, asked for the same hour."""
    today = city_today()
    page = open_page(browser, plan_url(server, f"{today}T17:00"), width=1366, height=850)
    page.locator("tr.option").first.wait_for(timeout=60_000)
    answer = _answer(page, f"{today}T17:00")
    modes = {o["mode"] for o in answer["options"]}
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/plan" in r.url else None)
    page.locator("#later").click()
    page.wait_for_function("() => !/T17(%3A|:)00/.test(location.search)")
    page.locator("#load-status", has_text="found").wait_for()
    cursors = [re.search(r"cursor=([^&]+)", u) for u in asked]
    assert [c.group(1) for c in cursors if c] == [answer["page"]["next"]]
    later = _cursor_answer(page, answer["page"]["next"])
    first = min(datetime.fromisoformat(o["departure"]) for o in answer["options"] if o["mode"] == "transit")
    later_transit = [o for o in later["options"] if o["mode"] == "transit"]
    assert later_transit and min(datetime.fromisoformat(o["departure"]) for o in later_transit) > first
    rows = _rows(page)
    assert {o["id"] for o in later["options"]} <= set(rows)
    for option in later_transit:
        local = datetime.fromisoformat(option["departure"]).strftime("%I:%M %p")  # the page's English clock
        assert local in rows[option["id"]], (option["id"], rows[option["id"]])
    shown = page.evaluate("() => [...document.querySelectorAll('tr.option')].map(r => r.dataset.id)")
    assert {i.split("-")[0] for i in shown} >= {m for m in modes}, (shown, modes)
    # The address follows the hour now shown: the first departure of the page.
    at = re.search(r"at=([^&]+)", page.url).group(1).replace("%3A", ":")
    assert at[11:16] == min(datetime.fromisoformat(o["departure"]) for o in later["options"]).strftime("%H:%M")

    asked.clear()
    page.locator("#earlier").click()
    page.wait_for_function("at => !location.search.includes(at)", arg=at.replace(":", "%3A"))
    page.locator("#load-status", has_text="found").wait_for()
    cursors = [re.search(r"cursor=([^&]+)", u) for u in asked]
    assert [c.group(1) for c in cursors if c] == [later["page"]["previous"]]
    earlier = _cursor_answer(page, later["page"]["previous"])
    for option in (o for o in earlier["options"] if o["mode"] == "transit"):
        assert datetime.fromisoformat(option["departure"]).strftime("%I:%M %p") in _rows(page)[option["id"]]
    assert page.errors == []


def test_recent_places_stay_in_this_browser_until_forgotten(browser: Any, server: str) -> None:
    page = open_page(browser, f"{server}/?from={FROM}&to={TO}&fn=Start+place&tn=End+place", width=1366, height=850)
    page.locator("tr.option").first.wait_for(timeout=60_000)
    stored = page.evaluate("JSON.parse(localStorage.getItem('greenroute.recent'))")
    assert [p["name"] for p in stored] == ["End place", "Start place"]
    page.locator("#edit-trip").click()
    page.locator("#clear").click()
    page.locator("#from-input").focus()
    page.locator("#from-list .suggestion").first.wait_for()
    assert page.locator("#from-list .suggestion").all_inner_texts()[0].startswith("End place")
    page.locator("#from-list .suggestion", has_text="Start place").click()
    assert page.locator("#from-input").input_value() == "Start place"
    page.locator("#forget-places").click()
    assert page.evaluate("localStorage.getItem('greenroute.recent')") is None
    assert page.locator("#forget-places").is_hidden()


def test_print_layout_has_every_option(browser: Any, server: str, output_dir: Path) -> None:
    page = open_page(browser, plan_url(server, f"{city_today()}T17:00", sel="transit-0"), width=1000, height=1400)
    page.locator("tr.option").first.wait_for(timeout=60_000)
    page.locator("#details-title").wait_for()
    page.emulate_media(media="print")
    rows = page.locator("tr.option")
    assert rows.count() >= 6
    assert all(rows.nth(i).is_visible() for i in range(rows.count()))
    assert page.locator("#details .legs").is_visible() and page.locator("#map").is_visible()
    assert page.locator("#plan-form").is_hidden() and page.locator(".toolbar").first.is_hidden()
    wait_for_basemap(page)
    page.screenshot(path=str(_shots(output_dir) / "print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert math.ceil(len(pdf) / 1024) > 10  # a real document, not an empty page


@pytest.mark.parametrize("width", [800, 1024, 1280])
def test_table_fits_the_panel_beside_the_map(browser: Any, server: str, width: int) -> None:
    """Between phone and wide screen the rows fold like on a phone rather than scroll sideways."""
    page = open_page(browser, plan_url(server, f"{city_today()}T22:30"), width=width, height=850)
    page.locator("tr.option").first.wait_for(timeout=60_000)
    scroll, client = page.evaluate(
        "() => { const p = document.getElementById('panel'); return [p.scrollWidth, p.clientWidth]; }"
    )
    assert scroll <= client
    rows = page.evaluate(ROWS_JS)
    assert all(r["bottom"] <= 850 for r in rows), rows


def test_current_location_and_copy_link(browser: Any, server: str) -> None:
    """The browser's position (granted, and faked here) becomes the start for this request; the
    copied link is the page's own address with the query."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 850},
        geolocation={"latitude": -30.0277, "longitude": -51.2287},
        permissions=["geolocation", "clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.goto(f"{server}/?to={TO}")
    page.locator("#load-status", has_text="Ready").wait_for(timeout=30_000)
    page.locator("#from-locate").click()
    page.locator("tr.option").first.wait_for(timeout=60_000)
    assert page.locator("#from-input").input_value() == "My location"
    assert "from=-30.027700%2C-51.228700" in page.url or "from=-30.027700,-51.228700" in page.url
    # Used for this request only: not kept among the recent places.
    recent = page.evaluate("JSON.parse(localStorage.getItem('greenroute.recent') || '[]')")
    assert recent and all(p["name"] != "My location" for p in recent)
    page.locator("#copy-link").click()
    page.locator("#copy-status", has_text="Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == page.url

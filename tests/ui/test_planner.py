"""The planner page in Chromium: search, map click, comparison, sorting, details, shared URL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from ui_helpers import COLOURS_JS, contrast, grams, open_page

pytestmark = pytest.mark.browser

MODES = ("walk", "bike", "transit", "drive")  # always asked for; combined modes may join them
ORDER = ("walk", "bike", "ebike", "escooter", "transit", "bike+transit", "park+ride", "drive", "taxi")
DURATION = re.compile(r"^\d+ (min|h)")


_open = open_page


def _pick_suggestion(page: Any, end: str, typed: str, wanted: str) -> None:
    box = page.locator(f"#{end}-input")
    box.click()
    box.press_sequentially(typed, delay=30)
    page.locator(f"#{end}-list .suggestion", has_text=wanted).first.wait_for()
    page.locator(f"#{end}-list .suggestion", has_text=wanted).first.click()
    assert box.input_value() == wanted


def _plan_by_search_and_click(page: Any) -> None:
    page.locator("#load-status", has_text="Ready").wait_for(timeout=30_000)
    _pick_suggestion(page, "from", "rua dos andrdas", "Rua dos Andradas")
    # The destination: a click on the map east-south-east of the start (the map is centred on it).
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 160, box["y"] + box["height"] / 2 + 90)
    page.locator(".option").first.wait_for(timeout=60_000)


def _cards(page: Any) -> list[dict[str, Any]]:
    """Each row of the comparison: its option id, mode and the text of its figures."""
    return page.eval_on_selector_all(
        "tr.option",
        """rows => rows.map(r => ({
            id: r.dataset.id, mode: r.dataset.mode,
            facts: {Duration: r.querySelector('.c-duration').textContent,
                    Distance: r.querySelector('.c-distance').textContent,
                    CO2e: r.querySelector('.co2-button').textContent}
        }))""",
    )


def test_full_planning_session(browser: Any, server: str, output_dir: Path) -> None:
    page = _open(browser, server + "/")
    _plan_by_search_and_click(page)
    assert page.locator("#to-input").input_value() not in ("", "Looking up the name of this point…")

    cards = _cards(page)
    modes = [c["mode"] for c in cards]
    errors = [r.inner_text() for r in page.locator("tr.option-failed").all()]
    for mode in MODES:
        assert mode in modes, f"no {mode} option on the page; mode errors shown: {errors!r}"
    # Fixed order by mode, and said so.
    assert modes == sorted(modes, key=ORDER.index)
    note = page.locator("#order-note").inner_text()
    assert "fixed order by mode: walk, bike, transit" in note and "drive" in note
    for card in cards:
        assert DURATION.match(card["facts"]["Duration"]), card
        assert re.search(r"\d", card["facts"]["Distance"]), card
        assert grams(card["facts"]["CO2e"]) is not None, card
    # No judging words anywhere on the page.
    text = page.locator("body").inner_text().lower()
    for word in ("best", "greenest", "recommended", "eco-friendly", "eco friendly"):
        assert word not in text

    page.select_option("#sort-key", "co2e_g")
    assert "Sorted by CO2e" in page.locator("#order-note").inner_text()
    values = [grams(c["facts"]["CO2e"]) for c in _cards(page)]
    known = [v for v in values if v is not None]
    assert known == sorted(known)
    page.select_option("#sort-dir", "desc")
    known = [v for v in (grams(c["facts"]["CO2e"]) for c in _cards(page)) if v is not None]
    assert known == sorted(known, reverse=True)
    page.select_option("#sort-dir", "asc")
    # The column headings sort too: a second press turns the order around.
    page.locator('.sort-button[data-key="duration_s"]').click()
    assert page.locator("th.h-duration_s").get_attribute("aria-sort") == "ascending"
    minutes = [c["facts"]["Duration"] for c in _cards(page)]
    page.locator('.sort-button[data-key="duration_s"]').click()
    assert page.locator("th.h-duration_s").get_attribute("aria-sort") == "descending"
    assert [c["facts"]["Duration"] for c in _cards(page)] == minutes[::-1] or len(set(minutes)) < len(minutes)
    page.locator('.sort-button[data-key="co2e_g"]').click()
    assert page.select_option("#sort-key", "co2e_g") == ["co2e_g"]

    # Hovering a row emphasises its line on the map; its name selects it.
    first = page.locator("tr.option").first
    first.hover()
    first.locator(".select-option").click()
    details = page.locator("#details")
    details.wait_for()
    assert "Details:" in details.inner_text()
    assert first.locator(".select-option").get_attribute("aria-pressed") == "true"
    assert page.locator("#options").is_visible()  # the comparison stays on the page
    calc = page.locator("#calculation")
    calc_text = calc.inner_text()
    assert re.search(r"g/(passenger|vehicle)-km", calc_text)
    assert "Source" in calc_text and "Pack" in calc_text
    assert "porto-alegre.osm.pbf" in calc_text
    assert "null" not in details.inner_text() and "undefined" not in details.inner_text()
    page.screenshot(path=str(output_dir / "planner-desktop.png"))
    assert page.errors == []

    # The URL holds the query: reloading it reproduces the comparison, the sort and the details.
    shared = page.url
    query = parse_qs(urlsplit(shared).query)
    assert {"from", "to", "sort", "sel"} <= set(query)
    selected = query["sel"][0]
    again = _open(browser, shared)
    again.locator(".option").first.wait_for(timeout=60_000)
    assert again.locator("#from-input").input_value() == "Rua dos Andradas"
    assert "Sorted by CO2e" in again.locator("#order-note").inner_text()
    assert [c["mode"] for c in _cards(again)] == [c["mode"] for c in _cards(page)]
    assert again.locator(f'.option[data-id="{selected}"]').get_attribute("class").endswith("selected")
    assert again.locator("#details").is_visible()

    phone = _open(browser, shared, width=360, height=740)
    phone.locator(".option").first.wait_for(timeout=60_000)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(output_dir / "planner-phone.png"), full_page=True)
    phone.screenshot(path=str(output_dir / "planner-phone-top.png"))
    assert phone.errors == []


def test_page_talks_only_to_its_own_server(browser: Any, server: str) -> None:
    own = urlsplit(server).netloc
    page = _open(browser, "about:blank")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "/")
    _plan_by_search_and_click(page)
    page.select_option("#sort-key", "duration_s")
    page.locator(".option .select-option").first.click()
    page.locator(".option .co2-button").first.click()
    page.locator("#factor-panel .close-panel").click()
    page.locator("#details .log-button").click()
    page.locator("#details .log-status").filter(has_text=re.compile(r"\w")).wait_for()
    page.reload()
    page.locator(".option").first.wait_for(timeout=60_000)
    foreign = [u for u in requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own]
    assert requests, "no request was recorded"
    assert foreign == [], foreign
    assert page.errors == []


def test_csp_header_allows_no_other_origin(browser: Any, server: str) -> None:
    page = _open(browser, "about:blank")
    response = page.goto(server + "/")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "http" not in csp and "*" not in csp


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("from=-29.0,-50.0&to=-30.0346,-51.2177", "#from-error", "outside the area"),
        ("from=-30.0346,-51.2177&to=-29.0,-50.0", "#to-error", "outside the area"),
        (
            "from=-30.0297,-51.2270&to=-30.0346,-51.2177&when=depart&at=2019-02-30T08:00",
            "#at-error",
            "Choose a date and a time",
        ),
    ],
)
def test_errors_next_to_the_field(browser: Any, server: str, query: str, field: str, words: str) -> None:
    page = _open(browser, f"{server}/?{query}")
    error = page.locator(field)
    error.wait_for(timeout=30_000)
    assert words in error.inner_text()
    # The status says the trip could not be planned, not "Ready".
    assert "could not be planned" in page.locator("#load-status").inner_text()


def test_keyboard_search_and_empty_date(browser: Any, server: str) -> None:
    page = _open(browser, server + "/")
    page.locator("#load-status", has_text="Ready").wait_for(timeout=30_000)
    box = page.locator("#to-input")
    box.focus()
    box.press_sequentially("av ipirnga", delay=30)
    # Wait for the answer to the whole text, not one to a prefix typed on the way.
    page.locator("#to-list .suggestion").first.filter(has_text="Avenida Ipiranga").wait_for()
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "to-list-0"
    box.press("Enter")
    assert box.input_value() == "Avenida Ipiranga"
    page.check('input[name="when"][value="depart"]')
    page.fill("#date", "")
    page.locator("#plan-button").click()
    assert "Choose where you start" in page.locator("#from-error").inner_text()
    assert "Choose a date and a time" not in page.locator("#at-error").inner_text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast(browser: Any, server: str, output_dir: Path, scheme: str) -> None:
    page = _open(browser, server + "/?from=-30.0297,-51.2270&to=-30.0346,-51.2177", color_scheme=scheme)
    page.locator(".option").first.wait_for(timeout=60_000)
    (output_dir / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(output_dir / "screenshots" / f"results-{scheme}.png"))
    samples = page.evaluate(
        COLOURS_JS,
        ["h1", "label", ".hint", ".lead", ".options td", ".options th", "button", ".order-note", ".footer", ".legend"],
    )
    assert samples
    for s in samples:
        ratio = contrast(tuple(s["fg"]), tuple(s["bg"]))
        assert ratio >= 4.5, s

"""The page in Brazilian Portuguese: no English word left in any state of the page, Intl numbers, and
a language switch that is remembered."""

from __future__ import annotations

import re
from typing import Any

import pytest
from ui_helpers import city_today, grams, open_page, plan_url

from webapp.i18n import catalogue

pytestmark = pytest.mark.browser

WORD = re.compile(r"[^\W\d_]{3,}")
RIDE_WITH_STOPS_AT = "2019-05-06T12:00"

# Every text node, attribute a person can meet (labels, titles, placeholders) and <option>, except
# what is marked as written in another language (a factor pack's notes, sources) and code (file names).
TEXT_JS = """
() => {
  const out = [document.title];
  const foreign = (el) => { const l = el.closest('[lang]'); return l && l.lang !== document.documentElement.lang; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || p.closest('script, style, code') || foreign(p)) continue;
    out.push(n.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (foreign(el)) continue;
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  }
  return out.join('\\n');
}
"""


def _words(value: Any) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {w.lower() for text in texts for w in WORD.findall(re.sub(r"\{\w+\}", " ", text))}


def english_only_words() -> set[str]:
    """Words of the English catalogue that the Portuguese one never uses (so not "CO2e", "min")."""
    en = set().union(*(_words(v) for v in catalogue("en").values()))
    pt = set().union(*(_words(v) for v in catalogue("pt-BR").values()))
    return en - pt


def _english_left(page: Any) -> set[str]:
    text = page.evaluate(TEXT_JS)
    return {w.lower() for w in WORD.findall(text)} & english_only_words()


def test_english_word_list_is_meaningful() -> None:
    words = english_only_words()
    assert {"walk", "transfers", "tomorrow", "source", "calculated"} <= words
    assert not words & {"co2e", "min", "greenroute"}


def _open_a_rides_stops(page: Any) -> None:
    """Open the details of the first transit option whose ride passes stops, and its stop list.

    Each transit option is tried in turn, so that a change in which option comes first does not
    hide the list.
    """
    options = page.locator('tr.option[data-mode="transit"] .select-option')
    for i in range(options.count()):
        options.nth(i).click()
        page.locator("#details-title").wait_for()
        stops = page.locator("#details details.stops summary")
        if stops.count():
            stops.first.click()
            return
    raise AssertionError(f"none of the {options.count()} transit options passes a stop between its ends")


def test_brazilian_portuguese_page_has_no_english_left(browser: Any, server: str) -> None:
    pt = {"locale": "pt-BR", "extra_http_headers": {"Accept-Language": "pt-BR,pt;q=0.9"}}
    page = open_page(browser, server + "/", width=1366, height=850, **pt)
    page.locator("#load-status", has_text="Pronto").wait_for(timeout=30_000)
    assert page.evaluate("document.documentElement.lang") == "pt-BR"
    assert _english_left(page) == set()

    # The results (with a next-day transit row), the details of a transit option, the factor panel.
    page.goto(plan_url(server, f"{city_today()}T23:45"))
    page.locator("tr.option").first.wait_for(timeout=60_000)
    assert "amanhã" in page.locator("#options").inner_text()
    assert _english_left(page) == set()
    # A ride's stop list: on a Monday noon inside the bus feed's dates, where the ride passes five
    # stops (today's journeys, on the feed day standing in for today, may pass none).
    page.goto(plan_url(server, RIDE_WITH_STOPS_AT))
    page.locator("tr.option").first.wait_for(timeout=60_000)
    _open_a_rides_stops(page)
    assert _english_left(page) == set()
    page.locator('tr.option[data-mode="drive"] .co2-button').click()
    page.locator("#factor-panel .calc-line").first.wait_for()
    assert "÷" not in page.locator("#factor-panel .calc-line").first.inner_text()  # one person: no division
    assert _english_left(page) == set()
    page.keyboard.press("Escape")
    # Numbers in the locale's own way: a decimal comma.
    distances = page.locator("tr.option .c-distance").all_inner_texts()
    assert any(re.fullmatch(r"\d+,\d km", d) for d in distances), distances
    co2 = page.locator('tr.option[data-mode="drive"] .co2-button').inner_text()
    assert grams(co2, lang="pt-BR") is not None

    # An error from the API, shown by its code in the page's language.
    page.goto(f"{server}/?from=-29.0,-50.0&to=-30.0346,-51.2177")
    page.locator("#from-error").wait_for(timeout=30_000)
    assert "fora da área" in page.locator("#from-error").inner_text()
    assert _english_left(page) == set()
    assert page.errors == []


def test_language_switch_is_remembered(browser: Any, server: str) -> None:
    page = open_page(browser, server + "/", width=1366, height=850, locale="en-US")
    page.locator("#load-status", has_text="Ready").wait_for(timeout=30_000)
    assert page.locator('[data-lang-choice="en"]').get_attribute("aria-pressed") == "true"
    with page.expect_navigation():
        page.locator('[data-lang-choice="pt-BR"]').click()
    page.locator("#load-status", has_text="Pronto").wait_for(timeout=30_000)
    assert page.locator("#plan-button").inner_text() == "Comparar"
    # Another visit in the same browser keeps the choice, whatever the browser asks for.
    again = page.context.new_page()
    again.goto(server + "/")
    assert again.locator("#plan-button").inner_text() == "Comparar"
    assert again.locator('[data-lang-choice="pt-BR"]').get_attribute("aria-pressed") == "true"

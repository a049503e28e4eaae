"""The time × CO2e chart on a phone: with the default Porto Alegre answer (6 options) at 390×844 and
320×640, in English and in Portuguese (longer names), no two texts of the chart meet, none runs past
the chart, no label covers a point, and every point keeps a label whose whole name is in its title.
The placement itself is also tried on crowded synthetic points in the page (labelplace.js)."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import FROM, TO, city_today, open_page, plan_url

pytestmark = pytest.mark.browser

SHOTS = "screenshots"
EPS = 0.5  # px: rounding of the browser's boxes
MIN_TEXT_PX = 11.0  # a label's rendered height: the 12px type, not a scaled-down chart

# Every text of the chart (numbers, axis names, point labels) and every point, as the page lays them out.
LAYOUT_JS = """() => {
  const rect = (n) => { const b = n.getBoundingClientRect(); return {x: b.left, y: b.top, w: b.width, h: b.height}; };
  const svg = document.querySelector('#chart svg');
  return {
    svg: rect(svg),
    texts: [...svg.querySelectorAll('text')].map(t => ({
      text: t.textContent, label: t.classList.contains('chart-label'), ...rect(t),
    })),
    points: [...svg.querySelectorAll('.chart-point')].map(g => ({
      id: g.dataset.id,
      title: g.querySelector('title').textContent,
      label: g.querySelector('.chart-label') ? g.querySelector('.chart-label').textContent : null,
      dot: rect(g.querySelector('circle')),
    })),
    note: document.querySelector('#chart .chart-missing').textContent,
  };
}"""


def _meet(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["w"] - EPS
        and b["x"] < a["x"] + a["w"] - EPS
        and a["y"] < b["y"] + b["h"] - EPS
        and b["y"] < a["y"] + a["h"] - EPS
    )


def _inside(a: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        a["x"] >= outer["x"] - EPS
        and a["y"] >= outer["y"] - EPS
        and a["x"] + a["w"] <= outer["x"] + outer["w"] + EPS
        and a["y"] + a["h"] <= outer["y"] + outer["h"] + EPS
    )


LANGS = {"en": {"locale": "en-US"}, "pt-BR": {"locale": "pt-BR", "extra_http_headers": {"Accept-Language": "pt-BR"}}}


@pytest.mark.parametrize("lang", ["en", "pt-BR"])
@pytest.mark.parametrize(("width", "height"), [(390, 844), (320, 640)])
def test_chart_labels_never_meet_on_a_phone(
    browser: Any, server: str, output_dir: Path, width: int, height: int, lang: str
) -> None:
    page = open_page(browser, plan_url(server, f"{city_today()}T17:00"), width=width, height=height, **LANGS[lang])
    page.locator("#chart .chart-point").first.wait_for(timeout=60_000)
    answer = page.evaluate(f"fetch('/api/plan?from={FROM}&to={TO}&at={city_today()}T17:00').then(r => r.json())")
    layout = page.evaluate(LAYOUT_JS)
    assert len(answer["options"]) == 6 and all(o["co2e_g"] is not None for o in answer["options"])
    assert sorted(p["id"] for p in layout["points"]) == sorted(o["id"] for o in answer["options"])

    # The chart itself fits the phone's width.
    assert layout["svg"]["x"] >= -EPS and layout["svg"]["x"] + layout["svg"]["w"] <= width + EPS, layout["svg"]
    texts = layout["texts"]
    assert len(texts) >= 6 + 8  # six labels, three numbers on each axis, two axis names
    for a, b in combinations(texts, 2):
        assert not _meet(a, b), (a, b)
    for text in texts:
        assert _inside(text, layout["svg"]), text
        assert text["h"] >= MIN_TEXT_PX, text
    for point in layout["points"]:
        # Every point keeps its label here; a cut name ends in "…" and its title has the whole name.
        assert point["label"], (point, layout["note"])
        shown = point["label"].removesuffix("…")
        assert point["title"].startswith(shown), point
        for text in texts:
            if text["label"]:
                assert not _meet(text, point["dot"]), (text, point)
    folder = output_dir / SHOTS
    folder.mkdir(parents=True, exist_ok=True)
    page.locator("#chart").scroll_into_view_if_needed()
    page.locator("#chart").screenshot(path=str(folder / f"chart-{lang}-{width}x{height}.png"))
    assert page.errors == []


# Runs in the page: labelplace.js on points crowded into one corner and on points on one spot.
PLACE_JS = """async ([points, w, h]) => {
  const { placeLabels } = await import('/static/labelplace.js');
  const items = points.map(([x, y], i) => ({ x, y, w: 60 + 7 * (i % 4), h: 14 }));
  const bounds = { x: 40, y: 0, w: w - 40, h: h - 30 };
  const obstacles = [{ x: 0, y: h - 30, w, h: 30 }];
  const spots = placeLabels(items, { bounds, obstacles, points: points.map(([x, y]) => ({ x, y })), radius: 4 });
  return { bounds, obstacles, boxes: spots.map((s, i) => s && { x: s.x, y: s.y, w: items[i].w, h: items[i].h }) };
}"""


@pytest.mark.parametrize(
    ("points", "placed"),
    [
        # Four points a few px apart in the corner (walk, transit, bike + transit of a short trip).
        ([(280.0, 160.0), (290.0, 156.0), (284.0, 148.0), (272.0, 162.0), (120.0, 40.0), (60.0, 150.0)], 6),
        ([(150.0, 100.0)] * 5, 5),  # one spot: every label on its own leader line
        ([(45.0, 5.0), (295.0, 5.0), (45.0, 165.0), (295.0, 165.0)], 4),  # the chart's corners
        # A point walled in by five others has no free way out for a leader: it is left unlabelled
        # (and named under the chart) rather than written over its neighbours.
        ([(280.0, 160.0), (288.0, 158.0), (284.0, 150.0), (276.0, 162.0), (290.0, 140.0), (270.0, 155.0)], 4),
    ],
    ids=["corner-cluster", "one-spot", "corners", "walled-in"],
)
def test_label_placement_keeps_labels_apart(
    browser: Any, server: str, points: list[tuple[float, float]], placed: int
) -> None:
    page = open_page(browser, server + "/", width=400, height=400)
    out = page.evaluate(PLACE_JS, [points, 300, 200])
    boxes = [b for b in out["boxes"] if b is not None]
    assert len(boxes) >= placed, out["boxes"]
    for a, b in combinations(boxes, 2):
        assert not _meet(a, b), (a, b)
    for box in boxes:
        assert _inside(box, out["bounds"]), box
        assert not any(_meet(box, o) for o in out["obstacles"])
        for x, y in points:
            assert not _meet(box, {"x": x - 4, "y": y - 4, "w": 8, "h": 8}), (box, x, y)

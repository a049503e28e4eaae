"""Helpers shared by the browser tests: opening a page, reading numbers back from it, colour contrast."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

# Porto Alegre's two points used across the browser tests, and the city's time zone.
FROM, TO = "-30.027700,-51.228700", "-30.034600,-51.217700"
CITY_ZONE = ZoneInfo("America/Sao_Paulo")

_CO2 = re.compile(r"([\d.,]+)\s*(kg|g) CO2e")


def grams(text: str, *, lang: str = "en") -> float | None:
    """``"416 g CO2e"`` -> 416.0, ``"1.2 kg CO2e"`` (``"1,2 kg CO2e"`` in pt-BR) -> 1200.0, else None."""
    m = _CO2.search(text)
    if not m:
        return None
    digits = m.group(1)
    digits = digits.replace(".", "").replace(",", ".") if lang == "pt-BR" else digits.replace(",", "")
    return float(digits) * (1000.0 if m.group(2) == "kg" else 1.0)


def city_today() -> str:
    """Today's date in Porto Alegre, as the page's date input holds it."""
    return datetime.now(CITY_ZONE).date().isoformat()


def open_page(browser: Any, url: str, *, width: int = 1280, height: int = 800, **context: Any) -> Any:
    """A new page at ``url`` that records script errors and CSP complaints in ``page.errors``."""
    page = browser.new_context(viewport={"width": width, "height": height}, **context).new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on(
        "console",
        lambda m: page.errors.append(m.text) if m.type == "error" and "Content Security" in m.text else None,
    )
    page.goto(url)
    return page


def plan_url(server: str, at: str | None = None, **extra: str) -> str:
    query = f"from={FROM}&to={TO}" + (f"&when=depart&at={at}" if at else "")
    query += "".join(f"&{k}={v}" for k, v in extra.items())
    return f"{server}/?{query}"


def _channel(c: float) -> float:
    c /= 255.0
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: tuple[float, float, float]) -> float:
    r, g, b = (_channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: tuple[float, float, float], bg: tuple[float, float, float]) -> float:
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# Runs in the page: the text colour and the first opaque background behind each visible element.
COLOURS_JS = """
(selectors) => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const out = [];
  for (const sel of selectors) {
    for (const node of document.querySelectorAll(sel)) {
      if (!node.offsetParent || !node.textContent.trim()) continue;
      const fg = parse(getComputedStyle(node).color);
      let bg = null;
      for (let n = node; n; n = n.parentElement) {
        const c = parse(getComputedStyle(n).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c.slice(0, 3); break; }
      }
      out.push({ sel, text: node.textContent.trim().slice(0, 30), fg: fg.slice(0, 3), bg: bg || [255, 255, 255] });
    }
  }
  return out;
}
"""


def wait_for_basemap(page: Any) -> None:
    """Until the base map (vector tiles or GeoJSON layers) and its names are drawn: for screenshots."""
    page.wait_for_function("() => document.querySelector('#map').dataset.basemap")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)  # the frame after the last tile


# A browser without WebGL: the page must fall back to drawing the GeoJSON layers.
NO_WEBGL = """(() => {
  const real = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
    return /webgl/i.test(kind) ? null : real.call(this, kind, ...rest);
  };
})();"""

# The share of the map's pixels within a few levels of a colour (the base-map style's street colour).
SHARE_JS = """async ([png, rgb]) => {
  const img = new Image();
  img.src = 'data:image/png;base64,' + png;
  await img.decode();
  const c = document.createElement('canvas');
  c.width = img.width; c.height = img.height;
  const x = c.getContext('2d');
  x.drawImage(img, 0, 0);
  const d = x.getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - rgb[0]) < 8 && Math.abs(d[i + 1] - rgb[1]) < 8 && Math.abs(d[i + 2] - rgb[2]) < 8) n++;
  }
  return n / (c.width * c.height);
}"""

"""Helpers shared by the browser tests: reading numbers back from the page, colour contrast."""

from __future__ import annotations

import re

_CO2 = re.compile(r"([\d.]+)\s*(kg|g) CO2e")


def grams(text: str) -> float | None:
    """``"416 g CO2e"`` -> 416.0, ``"1.2 kg CO2e"`` -> 1200.0, anything else -> None."""
    m = _CO2.search(text)
    if not m:
        return None
    return float(m.group(1)) * (1000.0 if m.group(2) == "kg" else 1.0)


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

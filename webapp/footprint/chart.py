"""The per-period chart of the log page, drawn as SVG on the server (no chart library).

Colours only tell modes apart: a fixed set of neutral hues, no red/green, nothing that reads as
good or bad.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from webapp.footprint.log_text import LogText

# Each metric's name and unit as catalogue keys (``logpage.<key>``) or, for units, as written.
METRICS: dict[str, tuple[str, str]] = {
    "distance": ("metric_distance", "km"),
    "co2e": ("metric_co2e", "kg"),
    "duration": ("metric_duration", "h"),
    "trips": ("metric_trips", "unit_trips"),
}
PALETTE = (
    "#3d5a80",
    "#98c1d9",
    "#6c757d",
    "#8d6a9f",
    "#c2b280",
    "#293241",
    "#adb5bd",
    "#5c677d",
)
# Narrow on purpose: on a 360 px screen the text still reads at about 9 px.
_W, _H = 480, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 6, 12, 30
_FONT = 13


def metric_name(metric: str, text: LogText) -> tuple[str, str]:
    """The name and unit of ``metric`` in the page's language."""
    name, unit = METRICS[metric]
    return text.t(name), text.t(unit) if unit.startswith("unit_") else unit


def mode_colours(buckets: list[dict[str, Any]]) -> dict[str, str]:
    """A colour per mode, stable for a given set of modes (alphabetical order)."""
    modes: set[str] = set()
    for bucket in buckets:
        modes.update(bucket["by_mode"])
        modes.update(bucket["trips_by_mode"])
    return {mode: PALETTE[i % len(PALETTE)] for i, mode in enumerate(sorted(modes))}


def values(bucket: dict[str, Any], metric: str) -> dict[str, float]:
    """The chart value of each mode in ``bucket`` for ``metric`` (in the unit of METRICS)."""
    if metric == "trips":
        return {m: float(n) for m, n in bucket["trips_by_mode"].items()}
    key, scale = {
        "distance": ("distance_m", 1000.0),
        "co2e": ("co2e_g", 1000.0),
        "duration": ("duration_s", 3600.0),
    }[metric]
    return {m: fig[key] / scale for m, fig in bucket["by_mode"].items()}


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 10 ** len(str(int(value))) / 10
    for mult in (1, 2, 2.5, 5, 10):
        if value <= step * mult:
            return step * mult
    return step * 10


def _fmt(value: float, text: LogText) -> str:
    return text.number(value, digits=0 if value >= 10 or value == int(value) else 1)


def render(buckets: list[dict[str, Any]], *, metric: str, period: str, text: LogText) -> Markup:
    """An ``<svg>`` of stacked bars, one per period, one segment per mode.

    Parameters
    ----------
    buckets
        Contiguous periods, oldest first (see ``summary.contiguous``).
    metric
        One of ``METRICS``.
    period
        ``"week"`` or ``"month"``, for the title.
    text
        The page's language: title, month names, mode names and decimal separator.
    """
    name, unit = metric_name(metric, text)
    months = text.t("months").split()
    colours = mode_colours(buckets)
    per_bucket = [values(b, metric) for b in buckets]
    top = _nice_max(max((sum(v.values()) for v in per_bucket), default=0.0))
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    title = text.t("chart_title", metric=name, period=text.t(f"period_{period}"), unit=unit)
    parts = [
        f'<svg class="chart" viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(_describe(buckets, per_bucket, unit, text))}</desc>',
    ]
    for i in range(5):
        value = top * i / 4
        y = _TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d0d4d9" stroke-width="1"/>'
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="{_FONT}" '
            f'fill="#333">{_fmt(value, text)}</text>'
        )
    slot = plot_w / max(len(buckets), 1)
    bar_w = min(48.0, slot * 0.7)
    for i, (bucket, vals) in enumerate(zip(buckets, per_bucket, strict=True)):
        x = _LEFT + slot * i + (slot - bar_w) / 2
        y = _TOP + plot_h
        for mode in sorted(vals):
            height = plot_h * vals[mode] / top
            if height <= 0:
                continue
            y -= height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{height:.1f}" '
                f'fill="{colours[mode]}"><title>{escape(bucket["period"])}, {escape(text.mode(mode))}: '
                f"{_fmt(vals[mode], text)} {escape(unit)}</title></rect>"
            )
        tag = bucket["period"]
        label = tag[5:] if period == "week" else months[int(tag[5:7]) - 1]
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{_H - _BOTTOM + 16}" text-anchor="middle" '
            f'font-size="{_FONT}" fill="#333">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _describe(buckets: list[dict[str, Any]], per_bucket: list[dict[str, float]], unit: str, text: LogText) -> str:
    rows = []
    for bucket, vals in zip(buckets, per_bucket, strict=True):
        inner = ", ".join(f"{text.mode(m)} {_fmt(v, text)}" for m, v in sorted(vals.items())) or text.t("chart_none")
        rows.append(f"{bucket['period']}: {inner} {unit}")
    return "; ".join(rows)

// Elevation profile of the street legs of a walk or bike option, as an SVG drawn from
// leg.elevation (metres, one per geometry coordinate).
import { distance, el, num } from "./format.js";
import { t } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 320;
const H = 110;
const PAD = { left: 38, right: 8, top: 8, bottom: 22 };

// The profile's x axis needs the distance to every point of the geometry; the answer gives only
// each leg's total, and sending a distance per point would grow every answer for one chart.
// The same sphere and formula as routing/core/geo.py (EARTH_RADIUS_M, haversine_m).
function haversine(a, b) {
  const r = 6371008.8;
  const p1 = (a[1] * Math.PI) / 180;
  const p2 = (b[1] * Math.PI) / 180;
  const dp = p2 - p1;
  const dl = ((b[0] - a[0]) * Math.PI) / 180;
  const h = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function profilePoints(legs) {
  const points = [];
  let along = 0;
  for (const leg of legs) {
    const coords = leg.geometry && leg.geometry.coordinates;
    const elevation = leg.elevation;
    if (!Array.isArray(coords) || !Array.isArray(elevation) || elevation.length !== coords.length) continue;
    coords.forEach((c, i) => {
      if (i > 0) along += haversine(coords[i - 1], c);
      if (Number.isFinite(elevation[i])) points.push([along, elevation[i]]);
    });
  }
  return points;
}

function svgNode(tag, attrs, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  return node;
}

export function elevationProfile(legs) {
  const points = profilePoints(legs);
  if (points.length < 2) return null;
  const total = points[points.length - 1][0] || 1;
  const heights = points.map((p) => p[1]);
  const low = Math.min(...heights);
  const high = Math.max(...heights);
  const span = Math.max(high - low, 10);
  const x = (d) => PAD.left + (d / total) * (W - PAD.left - PAD.right);
  const y = (h) => H - PAD.bottom - ((h - low) / span) * (H - PAD.top - PAD.bottom);
  const label = t("elevation.label", { start: num(heights[0]), end: num(heights[heights.length - 1]), low: num(low), high: num(high), length: distance(total) });
  const svg = svgNode("svg", { viewBox: `0 0 ${W} ${H}`, class: "elevation", role: "img", "aria-label": label });
  const line = points.map(([d, h]) => `${x(d).toFixed(1)},${y(h).toFixed(1)}`).join(" ");
  svg.append(
    svgNode("polygon", { class: "elev-area", points: `${x(0)},${H - PAD.bottom} ${line} ${x(total)},${H - PAD.bottom}` }),
    svgNode("polyline", { class: "elev-line", points: line }),
    svgNode("line", { class: "elev-axis", x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom }),
    svgNode("text", { class: "elev-label", x: PAD.left - 4, y: y(low) + 4, "text-anchor": "end" }, t("unit.m", { n: num(low) })),
    svgNode("text", { class: "elev-label", x: PAD.left - 4, y: y(low + span) + 8, "text-anchor": "end" }, t("unit.m", { n: num(low + span) })),
    svgNode("text", { class: "elev-label", x: PAD.left, y: H - 6 }, "0"),
    svgNode("text", { class: "elev-label", x: W - PAD.right, y: H - 6, "text-anchor": "end" }, distance(total)),
  );
  return el("figure", { class: "elevation-figure" }, svg, el("figcaption", { text: label }));
}

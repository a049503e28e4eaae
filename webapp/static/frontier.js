// The time × CO2e chart: every option with a CO2e figure as a point, and the frontier (the options
// no other option beats on both) joined by a line. Neutral ink only; it describes the set, it does
// not pick an option.
import * as fmt from "./format.js";
import { t } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 360;
const H = 220;
const PAD = { left: 52, right: 12, top: 12, bottom: 40 };

function svgEl(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  return node;
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v);
}

export function renderChart(figure, answer) {
  const options = (answer.options || []).filter((o) => typeof o.co2e_g === "number" && Number.isFinite(o.co2e_g));
  const missing = (answer.options || []).filter((o) => !options.includes(o));
  figure.hidden = options.length === 0;
  if (!options.length) return;
  const maxT = niceMax(Math.max(...options.map((o) => o.duration_s / 60)));
  const maxC = niceMax(Math.max(...options.map((o) => o.co2e_g)));
  const x = (o) => PAD.left + ((o.duration_s / 60) / maxT) * (W - PAD.left - PAD.right);
  const y = (o) => H - PAD.bottom - (o.co2e_g / maxC) * (H - PAD.top - PAD.bottom);
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart-svg", role: "img", "aria-labelledby": "chart-title" });
  svg.append(svgEl("title", { id: "chart-title" }, t("chart.title")));
  const axes = svgEl("g", { class: "chart-axes" });
  axes.append(svgEl("line", { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom }));
  axes.append(svgEl("line", { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom }));
  for (const f of [0, 0.5, 1]) {
    const tx = PAD.left + f * (W - PAD.left - PAD.right);
    const ty = H - PAD.bottom - f * (H - PAD.top - PAD.bottom);
    axes.append(svgEl("text", { x: tx, y: H - PAD.bottom + 14, "text-anchor": "middle" }, fmt.duration(f * maxT * 60)));
    axes.append(svgEl("text", { x: PAD.left - 4, y: ty + 4, "text-anchor": "end" }, fmt.num(f * maxC)));
  }
  axes.append(svgEl("text", { x: (W + PAD.left) / 2, y: H - 6, "text-anchor": "middle" }, t("column.duration_s")));
  axes.append(svgEl("text", { x: 12, y: PAD.top + (H - PAD.top - PAD.bottom) / 2, "text-anchor": "middle", transform: `rotate(-90 12 ${PAD.top + (H - PAD.top - PAD.bottom) / 2})` }, t("chart.co2_axis")));
  svg.append(axes);
  const front = options.filter((o) => o.pareto === true).sort((a, b) => a.duration_s - b.duration_s || a.co2e_g - b.co2e_g);
  if (front.length > 1) {
    svg.append(svgEl("polyline", { class: "chart-frontier", points: front.map((o) => `${x(o).toFixed(1)},${y(o).toFixed(1)}`).join(" ") }));
  }
  for (const o of options) {
    const g = svgEl("g", { class: "chart-point", "data-id": o.id });
    g.append(svgEl("circle", { cx: x(o).toFixed(1), cy: y(o).toFixed(1), r: 4 }));
    g.append(svgEl("title", {}, `${fmt.optionTitle(o)}: ${fmt.duration(o.duration_s)}, ${fmt.co2e(o.co2e_g)}`));
    // Labels in the right half are written leftwards, so that they stay inside the chart.
    const right = x(o) > W / 2;
    g.append(svgEl("text", { x: (x(o) + (right ? -6 : 6)).toFixed(1), y: (y(o) - 5).toFixed(1), "text-anchor": right ? "end" : "start" }, fmt.modeName(o.mode)));
    svg.append(g);
  }
  const note = missing.length
    ? t("chart.missing", { options: missing.map((o) => fmt.optionTitle(o)).join(", ") })
    : "";
  figure.querySelector(".chart-plot").replaceChildren(svg);
  figure.querySelector(".chart-missing").textContent = note;
}

// The time × CO2e chart: every option with a CO2e figure as a point, and the frontier (the options
// no other option beats on both) joined by a line. Neutral ink only; it describes the set, it does
// not pick an option.
//
// The chart is drawn at the size it is shown (one SVG unit = one CSS pixel), so its type stays
// readable on a phone, and drawn again when that size changes. Labels go where labelplace.js finds
// room; a name too long for the plot ends in "…" (the point's title keeps the whole of it).
import * as fmt from "./format.js";
import { t } from "./i18n.js";
import { placeLabels } from "./labelplace.js";

const SVG = "http://www.w3.org/2000/svg";
const MIN_W = 240;
const MAX_W = 480; // the chart's widest, px: it sits in the results panel under the table
const ASPECT = 0.6;
const MIN_H = 200;
const MAX_H = 280;
const RADIUS = 4;
const GAP = 6; // between an axis and its numbers, px
// A label may take at most this share of the plot's width before it is cut with an ellipsis.
const MAX_LABEL_SHARE = 0.5;
// Width of one character for text the browser cannot measure yet (the chart drawn while hidden), em.
const EM_PER_CHAR = 0.6;
const FALLBACK_FONT_PX = 12;

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

// A text's size in the chart's pixels; an estimate while the chart is not laid out.
function size(node) {
  const box = node.getBBox();
  if (box.width > 0) return { w: box.width, h: box.height };
  const font = parseFloat(getComputedStyle(node).fontSize) || FALLBACK_FONT_PX;
  return { w: node.textContent.length * font * EM_PER_CHAR, h: font * 1.25 };
}

function boxOf(node) {
  const b = node.getBBox();
  return { x: b.x, y: b.y, w: b.width, h: b.height };
}

// The label's text, cut with "…" until it is at most `max` px wide.
function fitText(node, full, max) {
  node.textContent = full;
  let { w } = size(node);
  for (let n = full.length - 1; w > max && n > 1; n -= 1) {
    node.textContent = `${full.slice(0, n).trimEnd()}…`;
    ({ w } = size(node));
  }
  return size(node);
}

function draw(figure, answer) {
  const plot = figure.querySelector(".chart-plot");
  const options = (answer.options || []).filter((o) => typeof o.co2e_g === "number" && Number.isFinite(o.co2e_g));
  const missing = (answer.options || []).filter((o) => !options.includes(o));
  figure.hidden = options.length === 0;
  const notes = [];
  if (missing.length) notes.push(t("chart.missing", { options: missing.map((o) => fmt.optionTitle(o)).join(", ") }));
  if (!options.length) {
    plot.replaceChildren();
    figure.querySelector(".chart-missing").textContent = notes.join(" ");
    return;
  }
  const W = Math.round(Math.min(MAX_W, Math.max(MIN_W, plot.clientWidth || MIN_W)));
  const H = Math.round(Math.min(MAX_H, Math.max(MIN_H, W * ASPECT)));
  figure.dataset.drawnWidth = String(W);
  const svg = svgEl("svg", {
    width: W,
    height: H,
    viewBox: `0 0 ${W} ${H}`,
    class: "chart-svg",
    role: "img",
    "aria-labelledby": "chart-title",
    "aria-describedby": "chart-desc",
  });
  svg.append(svgEl("title", { id: "chart-title" }, t("chart.title")));
  const described = options.map((o) => `${fmt.optionTitle(o)}: ${fmt.duration(o.duration_s)}, ${fmt.co2e(o.co2e_g)}`);
  svg.append(svgEl("desc", { id: "chart-desc" }, described.join("; ")));
  // In the page from here on, so that every text can be measured before it is placed.
  plot.replaceChildren(svg);

  const maxT = niceMax(Math.max(...options.map((o) => o.duration_s / 60)));
  const maxC = niceMax(Math.max(...options.map((o) => o.co2e_g)));
  const axes = svgEl("g", { class: "chart-axes" });
  svg.append(axes);
  const text = (content, attrs = {}) => {
    const node = svgEl("text", { "dominant-baseline": "central", ...attrs }, content);
    axes.append(node);
    return node;
  };
  const fractions = [0, 0.5, 1];
  const yTicks = fractions.map((f) => text(fmt.num(f * maxC), { "text-anchor": "end" }));
  const xTicks = fractions.map((f) => text(fmt.duration(f * maxT * 60)));
  const xTitle = text(t("column.duration_s"), { "text-anchor": "middle" });
  const yTitle = text(t("chart.co2_axis"), { "text-anchor": "middle" });
  const lineH = size(xTitle).h;
  const tickW = Math.max(...yTicks.map((n) => size(n).w));
  const pad = { top: lineH / 2 + 2, right: 2, bottom: 2 * lineH + GAP + 4, left: 2 + lineH + GAP + tickW + GAP };
  const left = pad.left;
  const right = W - pad.right;
  const top = pad.top;
  const bottom = H - pad.bottom;
  const x = (o) => left + ((o.duration_s / 60) / maxT) * (right - left);
  const y = (o) => bottom - (o.co2e_g / maxC) * (bottom - top);

  axes.prepend(
    svgEl("line", { x1: left, y1: bottom, x2: right, y2: bottom }),
    svgEl("line", { x1: left, y1: top, x2: left, y2: bottom }),
  );
  fractions.forEach((f, i) => {
    yTicks[i].setAttribute("x", String(left - GAP));
    yTicks[i].setAttribute("y", String(bottom - f * (bottom - top)));
    // The first and last numbers of the time axis are aligned to its ends, so that neither runs
    // past the chart's edge nor into the CO2e axis's zero.
    xTicks[i].setAttribute("text-anchor", ["start", "middle", "end"][i]);
    xTicks[i].setAttribute("x", String(left + f * (right - left)));
    xTicks[i].setAttribute("y", String(bottom + GAP + lineH / 2));
  });
  xTitle.setAttribute("x", String((left + right) / 2));
  xTitle.setAttribute("y", String(H - 2 - lineH / 2));
  const midY = (top + bottom) / 2;
  const titleX = 2 + lineH / 2;
  yTitle.setAttribute("x", String(titleX));
  yTitle.setAttribute("y", String(midY));
  yTitle.setAttribute("transform", `rotate(-90 ${titleX} ${midY})`);

  const front = options.filter((o) => o.pareto === true).sort((a, b) => a.duration_s - b.duration_s || a.co2e_g - b.co2e_g);
  if (front.length > 1) {
    svg.append(svgEl("polyline", { class: "chart-frontier", points: front.map((o) => `${x(o).toFixed(1)},${y(o).toFixed(1)}`).join(" ") }));
  }
  const points = options.map((o) => ({ x: x(o), y: y(o) }));
  const groups = options.map((o, i) => {
    const g = svgEl("g", { class: "chart-point", "data-id": o.id });
    g.append(svgEl("circle", { cx: points[i].x.toFixed(1), cy: points[i].y.toFixed(1), r: RADIUS }));
    g.append(svgEl("title", {}, described[i]));
    svg.append(g);
    return g;
  });
  const maxLabel = MAX_LABEL_SHARE * (right - left);
  const labels = options.map((o, i) => {
    const node = svgEl("text", { class: "chart-label", "dominant-baseline": "central" });
    groups[i].append(node);
    return { node, ...fitText(node, fmt.modeName(o.mode), maxLabel) };
  });
  // The most crowded points choose first, while the spots right beside them are still free.
  const crowd = (i) => points.filter((p) => Math.hypot(p.x - points[i].x, p.y - points[i].y) < 4 * lineH).length;
  const order = options.map((_, i) => i).sort((a, b) => crowd(b) - crowd(a) || a - b);
  const spots = placeLabels(
    options.map((_, i) => ({ ...points[i], w: labels[i].w, h: labels[i].h })),
    {
      bounds: { x: left + 1, y: 0, w: W - left - 1, h: bottom - 1 },
      obstacles: [...yTicks, ...xTicks, xTitle].map(boxOf),
      lines: front.slice(1).map((o, k) => [{ x: x(front[k]), y: y(front[k]) }, { x: x(o), y: y(o) }]),
      points,
      radius: RADIUS,
    },
    order,
  );
  const unlabelled = [];
  order.forEach((i) => {
    const spot = spots[i];
    const { node } = labels[i];
    if (!spot) {
      node.remove();
      unlabelled.push(fmt.modeName(options[i].mode));
      return;
    }
    node.setAttribute("x", spot.x.toFixed(1));
    node.setAttribute("y", (spot.y + labels[i].h / 2).toFixed(1));
    if (spot.leader) {
      const { x1, y1, x2, y2 } = spot.leader;
      groups[i].insertBefore(svgEl("line", { class: "chart-leader", x1, y1, x2, y2 }), node);
    }
  });
  if (unlabelled.length) notes.push(t("chart.unlabelled", { options: unlabelled.join(", ") }));
  figure.querySelector(".chart-missing").textContent = notes.join(" ");
}

export function renderChart(figure, answer) {
  figure.chartAnswer = answer;
  figure.hidden = false;
  draw(figure, answer);
  if (!figure.chartObserver && "ResizeObserver" in window) {
    // Drawn again at the new width (a phone turned, a window resized, the panel shown again).
    figure.chartObserver = new ResizeObserver(() => {
      const plot = figure.querySelector(".chart-plot");
      const wanted = Math.round(Math.min(MAX_W, Math.max(MIN_W, plot.clientWidth || MIN_W)));
      if (figure.chartAnswer && plot.clientWidth && String(wanted) !== figure.dataset.drawnWidth) draw(figure, figure.chartAnswer);
    });
    figure.chartObserver.observe(figure.querySelector(".chart-plot"));
  }
}

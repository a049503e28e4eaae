// The comparison: one card per option, in a fixed mode order unless the person sorts it.
import * as fmt from "./format.js";

const { el } = fmt;

export const SORT_LABELS = {
  duration_s: "duration",
  departure: "departure time",
  arrival: "arrival time",
  distance_m: "distance",
  co2e_g: "CO2e",
  transfers: "transfers",
  walk_distance_m: "walking distance",
  calories_kcal: "calories",
};

function sortValue(option, key) {
  const v = option[key];
  if (key === "departure" || key === "arrival") {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function fixedOrder(options) {
  const rank = (o) => {
    const i = fmt.FIXED_ORDER.indexOf(o.mode);
    return i < 0 ? fmt.FIXED_ORDER.length : i;
  };
  // Stable: transit journeys keep the order the planner gave them.
  return options.map((o, i) => [o, i]).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([o]) => o);
}

export function sortOptions(options, key, dir) {
  const base = fixedOrder(options);
  if (!key) return base;
  const sign = dir === "desc" ? -1 : 1;
  return base
    .map((o, i) => [o, i])
    .sort((a, b) => {
      const va = sortValue(a[0], key);
      const vb = sortValue(b[0], key);
      // Options without the figure (e.g. no calories for driving) go last either way.
      if (va == null && vb == null) return a[1] - b[1];
      if (va == null) return 1;
      if (vb == null) return -1;
      return (va - vb) * sign || a[1] - b[1];
    })
    .map(([o]) => o);
}

export function orderNote(key, dir, options = []) {
  if (!key) {
    const shown = fmt.FIXED_ORDER.filter((m) => options.some((o) => o.mode === m)).map((m) => fmt.modeName(m).toLowerCase());
    return `Listed in a fixed order by mode: ${(shown.length ? shown : ["walk", "bike", "transit", "drive"]).join(", ")}.`;
  }
  const which = dir === "desc" ? "largest or latest first" : "smallest or earliest first";
  return `Sorted by ${SORT_LABELS[key]}, ${which}, as you chose.`;
}

function fact(label, value, extra = null) {
  return [el("dt", { text: label }), el("dd", {}, el("span", { class: "value", text: value }), extra)];
}

function co2Bar(value, max) {
  if (value == null || !(max > 0)) return null;
  const bar = el("span", { class: "co2-bar", "aria-hidden": "true" }, el("span", { class: "co2-fill" }));
  bar.firstChild.style.width = `${Math.max(0, Math.min(100, (value / max) * 100)).toFixed(1)}%`;
  return bar;
}

function optionCard(option, maxCo2, handlers, selectedId) {
  const title = fmt.optionTitle(option);
  const co2Text = option.co2e_g == null && option.factor && option.factor.missing
    ? `not available (${option.factor.missing})`
    : fmt.co2e(option.co2e_g);
  const facts = el(
    "dl",
    { class: "facts" },
    fact("Duration", fmt.duration(option.duration_s)),
    fact("Leave – arrive", `${fmt.clock(option.departure)} – ${fmt.clock(option.arrival)}`),
    fact("Distance", fmt.distance(option.distance_m)),
    fact("CO2e", co2Text, co2Bar(option.co2e_g, maxCo2)),
    fact("Transfers", fmt.count(option.transfers)),
    fact("Walking", fmt.distance(option.walk_distance_m)),
    fact("Calories", option.calories_kcal == null ? "–" : fmt.kcal(option.calories_kcal)),
  );
  const status = el("span", { class: "log-status", role: "status" });
  // Places are left out of the log unless the person asks for them, entry by entry.
  const keepId = `keep-places-${option.id}`;
  const keep = el("input", { type: "checkbox", id: keepId, class: "keep-places" });
  const card = el(
    "li",
    { class: `option mode-${option.mode}${option.id === selectedId ? " selected" : ""}`, "data-id": option.id, "data-mode": option.mode },
    el("h3", { class: "option-title", text: title }),
    facts,
    el(
      "div",
      { class: "actions" },
      el("button", {
        type: "button", class: "details-button", "aria-pressed": option.id === selectedId ? "true" : "false",
        text: "Details", "aria-label": `Details of ${title}`, onclick: () => handlers.onSelect(option.id, true),
      }),
      el("button", {
        type: "button", class: "log-button secondary", text: "Add to my log", "aria-label": `Add ${title} to my log`,
        onclick: () => handlers.onLog(option, status, keep.checked),
      }),
      el("label", { class: "keep-places-label", for: keepId }, keep, " also keep the places"),
      status,
    ),
  );
  card.addEventListener("mouseenter", () => handlers.onHover(option.id));
  card.addEventListener("mouseleave", () => handlers.onHover(null));
  card.addEventListener("focusin", () => handlers.onHover(option.id));
  card.addEventListener("focusout", () => handlers.onHover(null));
  return card;
}

export function renderOptions(list, answer, { key, dir, selectedId }, handlers) {
  const options = sortOptions(answer.options || [], key, dir);
  const values = options.map((o) => o.co2e_g).filter((v) => typeof v === "number" && Number.isFinite(v));
  const maxCo2 = values.length ? Math.max(...values) : 0;
  list.replaceChildren(...options.map((o) => optionCard(o, maxCo2, handlers, selectedId)));
}

export function renderModeErrors(list, answer) {
  const entries = Object.entries(answer.errors || {});
  list.replaceChildren(
    ...entries.map(([mode, problem]) =>
      el("li", { class: "mode-error", "data-mode": mode }, el("strong", { text: `${fmt.modeName(mode)}: ` }), problem.message || problem.error),
    ),
  );
  list.hidden = entries.length === 0;
}

export function renderNotices(box, answer) {
  const notices = answer.notices || [];
  box.replaceChildren(...notices.map((n) => el("p", { class: "notice", role: "note", "data-code": n.code, text: n.message })));
  box.hidden = notices.length === 0;
}

// The comparison: a table with one row per option, in a fixed mode order unless the person sorts it
// by a column. Modes that found nothing keep a row of their own saying why, in plain words.
import * as fmt from "./format.js";
import { t } from "./i18n.js";
import { modeIcon } from "./icons.js";
import { canceledText, rowNotes } from "./live.js";
import { spanSeconds, timelineBar, waitSeconds } from "./timeline.js";

const { el } = fmt;

// The sortable columns, in the table's order; the keys are the answer's fields (or "wait_s").
export const SORT_KEYS = ["departure", "arrival", "duration_s", "wait_s", "co2e_g", "distance_m", "transfers", "walk_distance_m", "calories_kcal"];

function sortValue(option, key, answer) {
  if (key === "wait_s") return waitSeconds(option, answer);
  const v = option[key];
  if (key === "departure" || key === "arrival") {
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? ms : null;
  }
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function rank(mode) {
  const i = fmt.FIXED_ORDER.indexOf(mode);
  return i < 0 ? fmt.FIXED_ORDER.length : i;
}

export function fixedOrder(options) {
  // Stable: transit journeys keep the order the planner gave them.
  return options.map((o, i) => [o, i]).sort((a, b) => rank(a[0].mode) - rank(b[0].mode) || a[1] - b[1]).map(([o]) => o);
}

export function sortOptions(options, key, dir, answer = {}) {
  const base = fixedOrder(options);
  if (!key) return base;
  const sign = dir === "desc" ? -1 : 1;
  return base
    .map((o, i) => [o, i, sortValue(o, key, answer)])
    .sort((a, b) => {
      // Options without the figure (e.g. no calories for driving) go last either way.
      if (a[2] == null && b[2] == null) return a[1] - b[1];
      if (a[2] == null) return 1;
      if (b[2] == null) return -1;
      return (a[2] - b[2]) * sign || a[1] - b[1];
    })
    .map(([o]) => o);
}

export function orderNote(key, dir, options = []) {
  if (!key) {
    const shown = fmt.FIXED_ORDER.filter((m) => options.some((o) => o.mode === m)).map((m) => fmt.modeName(m).toLowerCase());
    return t("order.fixed", { modes: shown.join(", ") });
  }
  const label = t(`column.${key}`);
  // "duration" in a sentence, but "CO2e" stays as written.
  const column = /[A-Z].*[A-Z]/.test(label) ? label : label.toLowerCase();
  return t(dir === "desc" ? "order.sorted_desc" : "order.sorted_asc", { column });
}

// The plain-words reason a mode found nothing, by the error's stable code.
export function failureText(mode, problem) {
  const code = (problem && problem.error) || "";
  const key = `failure.${code}`;
  const lead = code && t.has(key) ? t(key) : t("failure.other");
  return lead.replace("{mode}", fmt.modeName(mode).toLowerCase());
}

// "22:30 – 22:52"; a day other than the day asked for is named once above the times it concerns
// ("tomorrow" / "Wed 2 Dec"), or before the arrival alone when only that falls on another day.
function leaveArrive(option, answer, today) {
  const reference = fmt.day((answer.request && answer.request.at) || "") || today;
  const leaveDay = fmt.dayWord(fmt.day(option.departure), reference, today);
  const arriveDay = fmt.dayWord(fmt.day(option.arrival), reference, today);
  const cell = el("td", { class: "c-times" });
  if (leaveDay) cell.append(el("span", { class: "day-word", text: leaveDay }));
  const arrive = arriveDay && arriveDay !== leaveDay ? `${arriveDay} ${fmt.clock(option.arrival)}` : fmt.clock(option.arrival);
  cell.append(el("span", { class: "clock", text: `${fmt.clock(option.departure)} – ${arrive}` }));
  return cell;
}

function optionRow(option, answer, ctx) {
  const { selectedId, handlers, scale, today } = ctx;
  const title = fmt.optionTitle(option);
  const selected = option.id === selectedId;
  const wait = waitSeconds(option, answer);
  const co2 = option.co2e_g == null ? t("co2.not_available") : fmt.co2e(option.co2e_g);
  const row = el(
    "tr",
    { class: `option mode-${option.mode}${selected ? " selected" : ""}`, "data-id": option.id, "data-mode": option.mode },
    el(
      "th",
      { scope: "row", class: "c-option" },
      el(
        "button",
        { type: "button", class: "select-option", "aria-pressed": selected ? "true" : "false", onclick: () => handlers.onSelect(option.id, true) },
        modeIcon(option.mode),
        el("span", { class: "option-name", text: title }),
      ),
      rowNotes(option, answer),
    ),
    leaveArrive(option, answer, today),
    el("td", { class: "c-duration", "data-label": t("column.duration_s"), text: fmt.duration(option.duration_s) }),
    el("td", { class: "c-wait", "data-label": t("column_short.wait_s"), text: wait == null ? "–" : fmt.duration(wait) }),
    el(
      "td",
      { class: "c-co2", "data-label": t("column.co2e_g") },
      el("button", {
        type: "button", class: "co2-button", "aria-haspopup": "dialog", text: co2,
        title: t("co2.open_panel"), onclick: (e) => handlers.onFactor(option, e.currentTarget),
      }),
    ),
    el("td", { class: "c-distance", "data-label": t("column_short.distance_m"), text: fmt.distance(option.distance_m) }),
    el("td", { class: "c-transfers", "data-label": t("column_short.transfers"), text: fmt.count(option.transfers) }),
    el("td", { class: "c-walk", "data-label": t("column_short.walk_distance_m"), text: fmt.distance(option.walk_distance_m) }),
    el("td", { class: "c-timeline" }, timelineBar(option, answer, scale)),
  );
  // The whole row selects (a larger target for a pointer); its first button does so for the keyboard.
  row.addEventListener("click", (e) => {
    if (!e.target.closest("button, a, input")) handlers.onSelect(option.id, false);
  });
  row.addEventListener("mouseenter", () => handlers.onHover(option.id));
  row.addEventListener("mouseleave", () => handlers.onHover(null));
  return row;
}

function failedRow(mode, problem) {
  return el(
    "tr",
    { class: `option-failed mode-${mode}`, "data-mode": mode },
    el("th", { scope: "row", class: "c-option" }, el("span", { class: "failed-name" }, modeIcon(mode), el("span", { text: fmt.modeName(mode) }))),
    el("td", { class: "c-failure", colspan: "8", text: failureText(mode, problem) }),
  );
}

function headerCell(key, label, sort) {
  const active = sort.key === key;
  const direction = active ? (sort.dir === "desc" ? "descending" : "ascending") : null;
  return el(
    "th",
    { scope: "col", class: `h-${key}`, "aria-sort": direction },
    el(
      "button",
      { type: "button", class: "sort-button", "data-key": key, onclick: () => sort.onSort(key) },
      label,
      el("span", { class: "sort-mark", "aria-hidden": "true", text: active ? (sort.dir === "desc" ? " ▼" : " ▲") : "" }),
    ),
  );
}

// Leave and arrive share a column; each is a sort of its own.
function timesHeader(sort) {
  const button = (key) => headerCell(key, t(`column.${key}`), sort).firstChild;
  const active = sort.key === "departure" || sort.key === "arrival";
  return el(
    "th",
    { scope: "col", class: "h-times", "aria-sort": active ? (sort.dir === "desc" ? "descending" : "ascending") : null },
    button("departure"),
    el("span", { "aria-hidden": "true", text: "–" }),
    button("arrival"),
  );
}

export function renderOptions(table, answer, { key, dir, selectedId, today }, handlers) {
  const options = sortOptions(answer.options || [], key, dir, answer);
  const scale = Math.max(0, ...options.map((o) => spanSeconds(o, answer)));
  const sort = { key, dir, onSort: handlers.onSort };
  const head = el(
    "thead",
    {},
    el(
      "tr",
      {},
      el("th", { scope: "col", class: "h-option" }, el("button", { type: "button", class: "sort-button", onclick: () => sort.onSort("") }, t("column.option"), el("span", { class: "sort-mark", "aria-hidden": "true", text: key ? "" : " ▲" }))),
      timesHeader(sort),
      ["duration_s", "wait_s", "co2e_g", "distance_m", "transfers", "walk_distance_m"].map((k) => headerCell(k, t(`column.${k}`), sort)),
      el("th", { scope: "col", class: "h-timeline", text: t("column.timeline") }),
    ),
  );
  const ctx = { selectedId, handlers, scale, today };
  const rows = options.map((o) => optionRow(o, answer, ctx));
  const failures = Object.entries(answer.errors || {});
  for (const [mode, problem] of failures) {
    const row = failedRow(mode, problem);
    // In the fixed order a failed mode sits where its options would; sorted, it goes last.
    const at = key ? -1 : options.findIndex((o) => rank(o.mode) > rank(mode));
    if (at < 0) rows.push(row);
    else rows.splice(rows.indexOf(rows.find((r) => r.dataset.id === options[at].id)), 0, row);
  }
  table.replaceChildren(el("caption", { class: "visually-hidden", text: t("results.caption") }), head, el("tbody", {}, rows));
}

// A stale feed's message names the day used and the days the feed covers: said again in the
// page's language from those dates; any other notice by its code, else in the server's words.
const ISO_DAY = /\d{4}-\d{2}-\d{2}/g;
function noticeText(notice, key) {
  const days = String(notice.message || "").match(ISO_DAY) || [];
  if (notice.code === "stale_feed" && days.length === 3) {
    const feed = String(notice.message).split(":")[0];
    return t("notice.stale_feed_days", { feed, used: days[0], start: days[1], end: days[2] });
  }
  if (notice.code === "realtime_canceled" && notice.route) return canceledText(notice);
  return t.has(key) ? t(key) : fmt.dataText(notice.message);
}

// The notes of an answer (e.g. timetables of another period used) folded under one line that says
// how many there are and what the first is about, so that the rows stay in the first screen.
export function renderNotices(box, answer) {
  const notices = answer.notices || [];
  box.hidden = notices.length === 0;
  if (!notices.length) {
    box.replaceChildren();
    return;
  }
  const first = notices[0];
  const lead = t.has(`notice.${first.code}`) ? t(`notice.${first.code}`) : t("notice.other");
  box.replaceChildren(
    el(
      "details",
      { class: "notice" },
      el("summary", {}, notices.length > 1 ? t("notice.summary", { n: notices.length, lead }) : lead),
      el("ul", {}, notices.map((n) => el("li", { "data-code": n.code }, noticeText(n, `notice.${n.code}`)))),
    ),
  );
}

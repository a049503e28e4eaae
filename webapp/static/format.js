// Plain, unit-bearing text for the numbers of an answer, formatted with Intl for the page's
// language. No wording here judges an option.
import { LANG, has, t } from "./i18n.js";

// The planner's fixed order of modes, as /api/health serves it (routing/plan/request.py MODE_ORDER):
// filled by setModeOrder before anything is drawn, so the page keeps no list of its own.
export const FIXED_ORDER = [];
export function setModeOrder(modes) {
  FIXED_ORDER.splice(0, FIXED_ORDER.length, ...(Array.isArray(modes) ? modes : []));
}

// The city's time zone: answers carry city-local times, shown as such whatever the browser's zone.
let timeZone = "UTC";
export function setTimeZone(zone) {
  timeZone = zone || "UTC";
}

const numberFormats = new Map();
function number(value, digits = 0) {
  const key = digits;
  if (!numberFormats.has(key)) {
    numberFormats.set(key, new Intl.NumberFormat(LANG, { maximumFractionDigits: digits, minimumFractionDigits: digits }));
  }
  return numberFormats.get(key).format(value);
}

export function num(value, digits = 0) {
  return value == null || !Number.isFinite(value) ? "–" : number(value, digits);
}

export function modeName(mode) {
  const key = `mode.${mode}`;
  return has(key) ? t(key) : String(mode);
}

export function duration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return "–";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t("unit.min", { n: number(minutes) });
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? t("unit.h_min", { h: number(h), m: number(m) }) : t("unit.h", { h: number(h) });
}

export function distance(metres) {
  if (metres == null || !Number.isFinite(metres)) return "–";
  if (metres < 1000) return t("unit.m", { n: number(Math.round(metres)) });
  return t("unit.km", { n: number(metres / 1000, metres < 10000 ? 1 : 0) });
}

function parsed(iso) {
  if (!iso || typeof iso !== "string") return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

let clockFormat = null;
// "08:05" in the city's time zone, in the locale's own way of writing a time.
export function clock(iso) {
  const date = parsed(iso);
  if (!date) return "–";
  if (!clockFormat || clockFormat.resolvedOptions().timeZone !== timeZone) {
    clockFormat = new Intl.DateTimeFormat(LANG, { hour: "2-digit", minute: "2-digit", timeZone });
  }
  return clockFormat.format(date);
}

// The city-local calendar day of an answer's time, as written in it ("2026-11-22").
export function day(iso) {
  return iso && iso.length >= 10 ? iso.slice(0, 10) : "";
}

function utcDay(text) {
  const [y, m, d] = text.split("-").map(Number);
  return Date.UTC(y, m - 1, d);
}

const DAY_MS = 24 * 3600 * 1000;
const dayFormat = new Intl.DateTimeFormat(LANG, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
// The day of `iso` said against `reference` (both "YYYY-MM-DD"): "" on the same day, "tomorrow",
// else the weekday and date.
export function dayWord(isoDay, reference, today = reference) {
  if (!isoDay || !reference || isoDay === reference) return "";
  if (today && utcDay(isoDay) - utcDay(today) === DAY_MS) return t("day.tomorrow");
  return dayFormat.format(new Date(utcDay(isoDay)));
}

export function shortDay(isoDay) {
  return isoDay ? dayFormat.format(new Date(utcDay(isoDay))) : "";
}

export function longDay(isoDay) {
  if (!isoDay) return "";
  return new Intl.DateTimeFormat(LANG, { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(utcDay(isoDay)),
  );
}

export function co2e(grams) {
  if (grams == null || !Number.isFinite(grams)) return t("co2.not_available");
  if (grams >= 10000) return t("unit.kg_co2e", { n: number(grams / 1000, 1) });
  if (grams >= 100) return t("unit.g_co2e", { n: number(Math.round(grams)) });
  return t("unit.g_co2e", { n: number(grams, grams < 10 && grams > 0 ? 1 : 0) });
}

export function kcal(value) {
  if (value == null || !Number.isFinite(value)) return "–";
  return t("unit.kcal", { n: number(Math.round(value)) });
}

export function count(n) {
  return n == null || !Number.isFinite(n) ? "–" : number(n);
}

export function optionTitle(option) {
  const base = modeName(option.mode);
  if (!["transit", "bike+transit", "park+ride"].includes(option.mode)) return base;
  const routes = (option.legs || [])
    .filter((leg) => leg.mode === "transit" && leg.route)
    .map((leg) => leg.route.short_name || leg.route.long_name || leg.route.id);
  return routes.length ? `${base} ${routes.join(" → ")}` : base;
}

// Create an element with attributes and children; text is always set as text, never as HTML.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Text that comes from the data (a factor pack's note, a server message) in the language it was
// written in: marked so, not passed off as the page's language.
export function dataText(text, tag = "span", lang = "en") {
  return el(tag, { lang: lang === LANG ? null : lang, text });
}

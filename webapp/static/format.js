// Plain, unit-bearing text for the numbers of an answer. No wording here judges an option.

export const MODE_NAMES = {
  walk: "Walk", bike: "Bike", ebike: "E-bike", escooter: "E-scooter", transit: "Transit",
  "bike+transit": "Bike + transit", "park+ride": "Park and ride", drive: "Drive", taxi: "Taxi",
};
// The planner's fixed order (routing/plan_request.py MODE_ORDER).
export const FIXED_ORDER = ["walk", "bike", "ebike", "escooter", "transit", "bike+transit", "park+ride", "drive", "taxi"];

export function modeName(mode) {
  return MODE_NAMES[mode] || String(mode).replace(/(^|[-+_])(\w)/g, (_, sep, c) => (sep ? " " : "") + c.toUpperCase());
}

export function duration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return "–";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

export function distance(metres) {
  if (metres == null || !Number.isFinite(metres)) return "–";
  if (metres < 1000) return `${Math.round(metres)} m`;
  return `${(metres / 1000).toFixed(metres < 10000 ? 1 : 0)} km`;
}

// Times in the answer carry the city's offset ("2026-11-22T08:00:00-03:00"): show them as written,
// so they are city-local whatever the browser's own time zone.
export function clock(iso) {
  if (!iso || typeof iso !== "string" || iso.length < 16) return "–";
  return iso.slice(11, 16);
}

export function day(iso) {
  return iso && iso.length >= 10 ? iso.slice(0, 10) : "";
}

export function co2e(grams) {
  if (grams == null || !Number.isFinite(grams)) return "not available";
  if (grams >= 10000) return `${(grams / 1000).toFixed(1)} kg CO2e`;
  if (grams >= 100) return `${Math.round(grams)} g CO2e`;
  return `${grams.toFixed(grams < 10 && grams > 0 ? 1 : 0)} g CO2e`;
}

export function kcal(value) {
  if (value == null || !Number.isFinite(value)) return "–";
  return `about ${Math.round(value)} kcal`;
}

export function count(n) {
  return n == null || !Number.isFinite(n) ? "–" : String(n);
}

export function optionTitle(option) {
  const base = modeName(option.mode);
  if (!["transit", "bike+transit", "park+ride"].includes(option.mode)) return base;
  const routes = (option.legs || [])
    .filter((leg) => leg.mode === "transit" && leg.route)
    .map((leg) => leg.route.short_name || leg.route.long_name || leg.route.id);
  return routes.length ? `${base}: ${routes.join(" → ")}` : base;
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
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

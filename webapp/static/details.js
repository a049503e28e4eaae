// The selected option in detail: legs, stops, steps, elevation, how its CO2e was calculated, and
// "Add to my log". Headings go h2 (the option), h3 (each leg, the calculation), h4 (inside those).
import { elevationProfile } from "./elevation.js";
import { calculationBlock } from "./factor.js";
import * as fmt from "./format.js";
import { t } from "./i18n.js";
import { legDelays, legExtras, timeLine } from "./live.js";

// Options whose climbs the traveller feels (own power or a small motor): they get an elevation
// profile. A choice of this page, not a planner list.
const PROFILE_MODES = ["walk", "bike", "ebike", "escooter"];

const { el } = fmt;

const ROUTE_TYPES = { 0: "tram", 1: "metro", 2: "train", 3: "bus", 4: "ferry", 5: "cable_tram", 6: "aerial_lift", 7: "funicular", 11: "trolleybus", 12: "monorail" };
const ROUTE_FAMILIES = { 1: "train", 2: "coach", 4: "metro", 7: "bus", 8: "trolleybus", 9: "tram", 10: "ferry", 13: "aerial_lift" };
const TURNS = new Set(["left", "right", "slight left", "slight right", "sharp left", "sharp right", "u-turn"]);

function routeTypeName(type) {
  const kind = ROUTE_TYPES[type] || ROUTE_FAMILIES[Math.floor(Number(type) / 100)];
  return kind ? t(`vehicle.${kind}`) : fmt.modeName("transit");
}

// Unnamed ways come as "unnamed footway" (the OSM class): said as a plain "unnamed way".
function wayName(name) {
  return !name || String(name).startsWith("unnamed") ? t("step.unnamed") : name;
}

function stepText(step) {
  const name = wayName(step.name);
  const turn = step.turn || "";
  if (turn === "depart") return t("step.depart", { name });
  if (turn === "arrive") return t("step.arrive");
  if (TURNS.has(turn)) return t(`step.${turn.replace(/[ -]/g, "_")}`, { name });
  return t("step.continue", { name });
}

function streetLeg(leg) {
  const steps = (leg.steps || []).map((s) =>
    el("li", {}, stepText(s), s.distance_m ? el("span", { class: "muted", text: ` — ${fmt.distance(s.distance_m)}` }) : null),
  );
  return steps.length ? el("ol", { class: "steps", "aria-label": t("details.steps") }, steps) : null;
}

function transitLeg(leg) {
  const route = leg.route || {};
  const delays = legDelays(leg);
  const name = [route.short_name, route.long_name].filter(Boolean).join(" ");
  const parts = [
    el(
      "p",
      {},
      el("strong", { text: `${routeTypeName(route.type)} ${name}`.trim() }),
      leg.headsign ? ` ${t("details.towards", { headsign: leg.headsign })}` : "",
      route.agency ? el("span", { class: "muted", text: ` · ${route.agency}` }) : null,
    ),
    timeLine("details.board", leg.from_stop ? leg.from_stop.name : "–", leg.departure, delays.board, delays.boardMin),
  ];
  const between = leg.intermediate_stops || [];
  if (between.length) {
    parts.push(
      el(
        "details",
        { class: "stops" },
        el("summary", { text: t("details.stops_between", { n: between.length }) }),
        el("ol", {}, between.map((s) => el("li", {}, s.name || "–", s.arrival ? el("span", { class: "muted", text: ` ${fmt.clock(s.arrival)}` }) : null))),
      ),
    );
  }
  parts.push(timeLine("details.alight", leg.to_stop ? leg.to_stop.name : "–", leg.arrival, delays.alight, delays.alightMin));
  if (leg.stay_seated) parts.push(el("p", { class: "muted", text: t("details.stay_seated") }));
  parts.push(...legExtras(leg));
  return parts;
}

function legItem(leg) {
  const head = [fmt.modeName(leg.mode), `${fmt.clock(leg.departure)} – ${fmt.clock(leg.arrival)}`, fmt.duration(leg.duration_s), fmt.distance(leg.distance_m)].join(" · ");
  const park = leg.car_park ? el("p", { class: "muted", text: t("details.car_park") }) : null;
  return el("li", { class: `leg leg-${leg.mode}` }, el("h3", { text: head }), leg.mode === "transit" ? transitLeg(leg) : [park, streetLeg(leg)]);
}

function sha(text) {
  return text ? `sha256 ${String(text).slice(0, 12)}…` : "";
}

function dataVersions(data) {
  if (!data) return null;
  const items = [];
  const join = (...bits) => bits.filter(Boolean).join(", ");
  if (data.city) items.push(el("li", { text: t("data.city", { city: data.city }) }));
  // File names, hashes and versions are names, not words of a language: set as code.
  const item = (key, ...bits) => el("li", {}, t(key, { what: "" }).trim(), " ", el("code", { text: join(...bits) }));
  if (data.osm) items.push(item("data.osm", data.osm.file, data.osm.timestamp, sha(data.osm.sha256)));
  for (const g of data.gtfs || []) {
    const start = g.start || g.feed_start;
    const end = g.end || g.feed_end;
    items.push(item("data.gtfs", g.name, g.file, sha(g.sha256)));
    if (start && end) items[items.length - 1].append(` (${t("data.covers", { start, end })})`);
  }
  if (data.factors) items.push(item("data.factors", data.factors.pack, data.factors.version));
  if (data.dem && data.dem.file) items.push(item("data.dem", data.dem.file, sha(data.dem.sha256)));
  return el("ul", { class: "data-versions" }, items);
}

export function renderDetails(section, option, answer, { onClose, onLog, country }) {
  const title = fmt.optionTitle(option);
  const summary = [`${fmt.clock(option.departure)} – ${fmt.clock(option.arrival)}`, fmt.duration(option.duration_s), fmt.distance(option.distance_m), fmt.co2e(option.co2e_g)].join(" · ");
  const streetLegs = (option.legs || []).filter((l) => PROFILE_MODES.includes(l.mode));
  const profile = PROFILE_MODES.includes(option.mode) ? elevationProfile(streetLegs) : null;
  const gain = Number.isFinite(option.elevation_gain_m)
    ? el("p", { class: "muted", text: t("details.climb", { up: fmt.num(option.elevation_gain_m), down: fmt.num(option.elevation_loss_m || 0) }) })
    : null;
  const status = el("span", { class: "log-status", role: "status" });
  const keep = el("input", { type: "checkbox", id: "keep-places", class: "keep-places" });
  // replaceChildren would write a missing piece (no profile, no climb) as the text "null".
  const parts = [
    el(
      "div",
      { class: "details-head" },
      el("h2", { id: "details-title", tabindex: "-1", text: t("details.title", { option: title }) }),
      el("button", { type: "button", class: "secondary", id: "close-details", text: t("details.close"), onclick: onClose }),
    ),
    el("p", { class: "details-summary", text: summary }),
    el(
      "div",
      { class: "actions" },
      el("button", { type: "button", class: "log-button secondary", text: t("log.add"), onclick: () => onLog(option, status, keep.checked) }),
      el("label", { class: "keep-places-label", for: "keep-places" }, keep, ` ${t("log.keep_places")}`),
      status,
    ),
    el("ol", { class: "legs" }, (option.legs || []).map(legItem)),
    profile,
    gain,
    el(
      "section",
      { class: "calculation", id: "calculation", "aria-labelledby": "calc-title" },
      el("h3", { id: "calc-title", text: t("details.calc_title") }),
      el("p", { class: "muted", text: t("panel.method") }),
      calculationBlock(option, answer, country, 4),
      el("h4", { text: t("details.data_used") }),
      dataVersions(answer.data),
    ),
  ];
  section.replaceChildren(...parts.filter((p) => p != null));
  section.hidden = false;
}

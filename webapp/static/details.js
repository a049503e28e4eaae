// The selected option in detail: legs, stops, steps, elevation and how its CO2e was calculated.
import { elevationProfile } from "./elevation.js";
import * as fmt from "./format.js";

const { el } = fmt;

const ROUTE_TYPES = {
  0: "Tram", 1: "Metro", 2: "Train", 3: "Bus", 4: "Ferry", 5: "Cable tram", 6: "Aerial lift",
  7: "Funicular", 11: "Trolleybus", 12: "Monorail",
};
const STREET_MODES = new Set(["walk", "bike", "drive", "ebike", "escooter", "taxi"]);

function routeTypeName(type) {
  if (type in ROUTE_TYPES) return ROUTE_TYPES[type];
  const family = Math.floor(Number(type) / 100);
  return { 1: "Train", 2: "Coach", 4: "Metro", 7: "Bus", 8: "Trolleybus", 9: "Tram", 10: "Ferry", 13: "Aerial lift" }[family] || "Transit";
}

function stepText(step) {
  const name = step.name || "unnamed way";
  const turn = step.turn || "";
  if (turn === "depart") return `Start on ${name}`;
  if (turn === "arrive") return "Arrive";
  if (turn === "continue" || turn === "straight") return `Continue on ${name}`;
  return `Turn ${turn} onto ${name}`;
}

function streetLeg(leg) {
  const steps = (leg.steps || []).map((s) =>
    el("li", {}, stepText(s), s.distance_m ? el("span", { class: "muted", text: ` — ${fmt.distance(s.distance_m)}` }) : null),
  );
  return steps.length ? el("ol", { class: "steps", "aria-label": "Turn by turn" }, steps) : null;
}

function transitLeg(leg) {
  const route = leg.route || {};
  const name = [route.short_name, route.long_name].filter(Boolean).join(" ");
  const parts = [
    el("p", {}, el("strong", { text: `${routeTypeName(route.type)} ${name}`.trim() }), leg.headsign ? ` towards ${leg.headsign}` : "", route.agency ? el("span", { class: "muted", text: ` · ${route.agency}` }) : null),
    el("p", { text: `Board at ${leg.from_stop ? leg.from_stop.name : "–"} at ${fmt.clock(leg.departure)}` }),
  ];
  const between = leg.intermediate_stops || [];
  if (between.length) {
    parts.push(
      el(
        "details",
        { class: "stops" },
        el("summary", { text: `${between.length} stop${between.length === 1 ? "" : "s"} in between` }),
        el("ol", {}, between.map((s) => el("li", {}, s.name, s.arrival ? el("span", { class: "muted", text: ` ${fmt.clock(s.arrival)}` }) : null))),
      ),
    );
  }
  parts.push(el("p", { text: `Get off at ${leg.to_stop ? leg.to_stop.name : "–"} at ${fmt.clock(leg.arrival)}` }));
  if (leg.stay_seated) parts.push(el("p", { class: "muted", text: "The vehicle continues as this service: stay on board." }));
  return parts;
}

function legItem(leg) {
  const head = `${fmt.modeName(leg.mode)} · ${fmt.clock(leg.departure)} – ${fmt.clock(leg.arrival)} · ${fmt.duration(leg.duration_s)} · ${fmt.distance(leg.distance_m)}`;
  return el("li", { class: `leg leg-${leg.mode}` }, el("h4", { text: head }), leg.mode === "transit" ? transitLeg(leg) : streetLeg(leg));
}

function factorText(factor) {
  if (!factor) return "no factor given";
  if (factor.missing) return `no factor: ${factor.missing}`;
  const bits = [`${factor.value} ${factor.unit}`];
  if (factor.scope) bits.push(`scope: ${factor.scope}`);
  if (factor.source) bits.push(`source: ${factor.source}${factor.year ? ` (${factor.year})` : ""}`);
  else if (factor.year) bits.push(`year ${factor.year}`);
  if (factor.pack) bits.push(`pack: ${factor.pack}`);
  if (factor.note) bits.push(factor.note);
  return bits.join(" · ");
}

function dataVersions(data) {
  if (!data) return null;
  const items = [];
  if (data.city) items.push(el("li", { text: `City: ${data.city}` }));
  if (data.osm) items.push(el("li", { text: `OpenStreetMap: ${data.osm.file || ""}${data.osm.timestamp ? `, data of ${data.osm.timestamp}` : ""}${data.osm.sha256 ? `, sha256 ${String(data.osm.sha256).slice(0, 12)}…` : ""}` }));
  for (const g of data.gtfs || []) {
    items.push(el("li", { text: `Timetable: ${g.file || ""}${g.feed_start ? `, covers ${g.feed_start} to ${g.feed_end}` : ""}${g.sha256 ? `, sha256 ${String(g.sha256).slice(0, 12)}…` : ""}` }));
  }
  if (data.factors) items.push(el("li", { text: `Emission factors: ${data.factors.pack || ""}${data.factors.version ? ` version ${data.factors.version}` : ""}` }));
  if (data.dem) items.push(el("li", { text: `Elevation: ${data.dem.file || JSON.stringify(data.dem)}` }));
  return el("ul", { class: "data-versions" }, items);
}

function calculation(option, answer) {
  const legs = option.legs && option.legs.length ? option.legs : [option];
  const rows = legs.map((leg) =>
    el(
      "tr",
      {},
      el("td", { text: fmt.modeName(leg.mode) }),
      el("td", { text: fmt.distance(leg.distance_m) }),
      el("td", { class: "factor", text: factorText(leg.factor) }),
      el("td", { text: fmt.co2e(leg.co2e_g) }),
    ),
  );
  return el(
    "details",
    { class: "calculation", id: "calculation" },
    el("summary", { text: "How is this calculated?" }),
    el("p", { text: "Each leg's CO2e is its distance in kilometres times the emission factor for its mode; the option's CO2e is the sum of its legs. Walking and cycling count no fuel. Calories are an estimate for a person of 70 kg unless set." }),
    el(
      "div",
      { class: "table-scroll" },
      el(
        "table",
        { class: "calc-table" },
        el("thead", {}, el("tr", {}, ["Leg", "Distance", "Factor (value, unit, scope, source, year, pack)", "CO2e"].map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, rows),
        el("tfoot", {}, el("tr", {}, el("th", { scope: "row", colspan: "3", text: "This option" }), el("td", { text: fmt.co2e(option.co2e_g) }))),
      ),
    ),
    el("h4", { text: "Data this answer used" }),
    dataVersions(answer.data),
  );
}

export function renderDetails(section, option, answer, { onClose }) {
  const title = fmt.optionTitle(option);
  const summary = `${fmt.clock(option.departure)} – ${fmt.clock(option.arrival)} · ${fmt.duration(option.duration_s)} · ${fmt.distance(option.distance_m)} · ${fmt.co2e(option.co2e_g)}`;
  const streetLegs = (option.legs || []).filter((l) => STREET_MODES.has(l.mode) && l.mode !== "drive");
  const profile = option.mode === "walk" || option.mode === "bike" ? elevationProfile(streetLegs) : null;
  const gain = option.elevation_gain_m != null
    ? el("p", { class: "muted", text: `Climb ${Math.round(option.elevation_gain_m)} m, descent ${Math.round(option.elevation_loss_m || 0)} m.` })
    : null;
  section.replaceChildren(
    el("div", { class: "details-head" }, el("h2", { id: "details-title", tabindex: "-1", text: `Details: ${title}` }), el("button", { type: "button", class: "secondary", text: "Close details", onclick: onClose })),
    el("p", { class: "details-summary", text: summary }),
    el("ol", { class: "legs" }, (option.legs || []).map(legItem)),
    profile,
    gain,
    calculation(option, answer),
  );
  section.hidden = false;
}

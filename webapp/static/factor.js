// Where a CO2e figure comes from: the factor of each leg (value, unit, scope, year, source, the
// pack's region) and the whole calculation, with the division by the people in the car written out.
import * as fmt from "./format.js";
import { LANG, t } from "./i18n.js";

const { el } = fmt;
const URL_IN_TEXT = /https?:\/\/[^\s;,]+/g;
const regionNames = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(LANG, { type: "region" }) : null;

function regionName(code) {
  if (!code) return "";
  try {
    return regionNames ? `${regionNames.of(code)} (${code})` : code;
  } catch {
    return code;
  }
}

// A source string with its addresses as links (opened only when the person follows one).
export function sourceText(source) {
  const span = el("span", { class: "source", lang: LANG === "en" ? null : "en" });
  let last = 0;
  for (const match of String(source).matchAll(URL_IN_TEXT)) {
    span.append(source.slice(last, match.index));
    span.append(el("a", { href: match[0], rel: "noreferrer noopener", text: match[0] }));
    last = match.index + match[0].length;
  }
  span.append(source.slice(last));
  return span;
}

function legsOf(option) {
  return option.legs && option.legs.length ? option.legs : [option];
}

// "g/passenger-km" and "g/vehicle-km" said in the page's language; any other unit as the pack writes it.
function unitName(unit) {
  return unit && t.has(`factor_unit.${unit}`) ? t(`factor_unit.${unit}`) : unit || "";
}

function perVehicle(factor) {
  return /vehicle/.test(String(factor.unit || ""));
}

// "2.56 km × 40.47 g/vehicle-km ÷ 3 people = 34.5 g CO2e", or why there is no figure.
export function legCalculation(leg, answer) {
  const factor = leg.factor || {};
  if (factor.missing) return t("calc.missing", { why: factor.missing });
  if (!Number.isFinite(factor.value)) return t("calc.none");
  const km = fmt.num((leg.distance_m || 0) / 1000, 2);
  const value = fmt.num(factor.value, 2);
  const people = factor.occupancy || (answer.request && answer.request.occupancy) || 1;
  if (perVehicle(factor) && people > 1) {
    return t("calc.shared", { km, value, unit: unitName(factor.unit), people: fmt.num(people), co2: fmt.co2e(leg.co2e_g) });
  }
  return t("calc.plain", { km, value, unit: unitName(factor.unit), co2: fmt.co2e(leg.co2e_g) });
}

function row(label, ...value) {
  return [el("dt", { text: label }), el("dd", {}, ...value)];
}

function factorFacts(factor) {
  if (!factor || factor.missing) return null;
  const facts = el(
    "dl",
    { class: "factor-facts" },
    row(t("factor.value"), `${fmt.num(factor.value, 2)} ${unitName(factor.unit)}`),
    factor.label ? row(t("factor.counts"), fmt.dataText(factor.label)) : null,
    row(t("factor.scope"), !factor.scope ? "–" : t.has(`scope.${factor.scope}`) ? t(`scope.${factor.scope}`) : fmt.dataText(factor.scope)),
    row(t("factor.year"), factor.year ? String(factor.year) : "–"),
    row(t("factor.source"), factor.source ? sourceText(factor.source) : "–"),
    row(t("factor.pack"), factor.pack || "–"),
    row(t("factor.region"), regionName(factor.region) || "–"),
    factor.status ? row(t("factor.status"), t.has(`factor.status.${factor.status}`) ? t(`factor.status.${factor.status}`) : fmt.dataText(factor.status)) : null,
  );
  return [facts, factor.note ? fmt.dataText(factor.note, "p") : null];
}

// The calculation of one option, leg by leg, ending with its total.
export function calculationBlock(option, answer, country, level = 3) {
  const legs = legsOf(option);
  const items = legs.map((leg) =>
    el(
      "li",
      { class: "calc-leg" },
      el(`h${level}`, { class: "calc-leg-title", text: `${fmt.modeName(leg.mode)} · ${fmt.distance(leg.distance_m)}` }),
      el("p", { class: "calc-line", text: legCalculation(leg, answer) }),
      factorFacts(leg.factor),
    ),
  );
  // Said once for the option: a pack made for another country than the city's.
  const regions = [...new Set(legs.map((l) => l.factor && l.factor.region).filter((r) => r && country && r !== country))];
  const notes = regions.map((region) => el("p", { class: "region-note", text: t("factor.other_region", { region: regionName(region), country: regionName(country) }) }));
  return [
    ...notes,
    el("ol", { class: "calc-legs" }, items),
    el("p", { class: "calc-total", text: legs.length > 1 ? t("calc.total_legs", { co2: fmt.co2e(option.co2e_g) }) : t("calc.total", { co2: fmt.co2e(option.co2e_g) }) }),
  ];
}

// The panel a CO2e value opens (a <dialog> of the page); focus goes back to the value on close.
export function openFactorPanel(dialog, option, answer, { country, opener }) {
  const close = el("button", { type: "button", class: "secondary close-panel", text: t("panel.close"), onclick: () => dialog.close() });
  dialog.replaceChildren(
    el("div", { class: "panel-head" }, el("h2", { id: "factor-title", text: t("panel.title", { option: fmt.optionTitle(option), co2: fmt.co2e(option.co2e_g) }) }), close),
    el("p", { class: "muted", text: t("panel.method") }),
    ...calculationBlock(option, answer, country),
  );
  dialog.setAttribute("aria-labelledby", "factor-title");
  dialog.onclose = () => opener && opener.focus();
  dialog.showModal();
  close.focus();
}

// The planner page: wires the form, the map, the comparison and the details together.
import { ApiProblem, explain, getJSON } from "./api.js";
import { renderDetails } from "./details.js";
import { openFactorPanel } from "./factor.js";
import { addToLog, logProblemText } from "./footprint.js";
import * as fmt from "./format.js";
import { renderChart } from "./frontier.js";
import { bindLanguageSwitch, t } from "./i18n.js";
import { IsochroneLayer } from "./isochrone.js";
import { pagedAnswer } from "./paging.js";
import { TripMap } from "./map.js";
import { forgetPlaces, recentPlaces, rememberPlace } from "./places.js";
import { orderNote, renderNotices, renderOptions } from "./results.js";
import { attachSearch } from "./search.js";
import { loadVehicle, nowInZone, planParams, readUrl, saveVehicle, urlFor } from "./state.js";
import { localParts, shiftedTime } from "./when.js";
import { bindVehicleForm, fillPacks } from "./vehicle.js";

const $ = (id) => document.getElementById(id);
const REVERSE_NAME_MAX_M = 150;
const COUNTRY = document.body.dataset.country || "";

const state = readUrl();
const vehicle = loadVehicle();
let health = null;
let map = null;
let answer = null;
let planController = null;
let isochrones = null;
// Ends set from the browser's position: used for this request, never kept as a recent place.
const located = new Set();

const FIELD_OF_ARGUMENT = {
  from: "from-error", to: "to-error", at: "at-error", arrive_by: "at-error", window: "at-error",
  car: "vehicle-error", occupancy: "vehicle-error", pack: "vehicle-error", body_mass_kg: "vehicle-error",
};
const INPUT_OF_ERROR = { "from-error": "from-input", "to-error": "to-input", "at-error": "date" };

function setError(id, text) {
  const p = $(id);
  p.textContent = text || "";
  p.hidden = !text;
  const input = INPUT_OF_ERROR[id] && $(INPUT_OF_ERROR[id]);
  if (input) input.setAttribute("aria-invalid", text ? "true" : "false");
  if (text && id === "vehicle-error") $("vehicle").open = true;
  if (text) showForm(true);
}

function clearErrors() {
  for (const id of ["from-error", "to-error", "at-error", "vehicle-error", "form-error"]) setError(id, "");
}

function showProblem(problem) {
  const target = FIELD_OF_ARGUMENT[problem.argument] || "form-error";
  setError(target, explain(problem));
}

function setStatus(text) {
  $("load-status").textContent = text;
}

function pointLabel(point) {
  return t("form.point", { lat: fmt.num(point.lat, 5), lon: fmt.num(point.lon, 5) });
}

async function nameOf(point) {
  try {
    const place = await getJSON("/api/reverse", { lat: point.lat.toFixed(6), lon: point.lon.toFixed(6) });
    if (place.distance_m <= REVERSE_NAME_MAX_M) return place.name;
  } catch (err) {
    if (!(err instanceof ApiProblem)) throw err;
  }
  return pointLabel(point);
}

async function setEnd(end, point, name = "", { fromDevice = false } = {}) {
  state[end] = point;
  if (fromDevice) located.add(end);
  else located.delete(end);
  if (end === "from") showIsochrone();
  state[`${end}Name`] = name;
  setError(`${end}-error`, "");
  map.setMarker(end, point);
  const input = $(`${end}-input`);
  input.value = name || t("form.looking_up");
  if (!name) {
    const found = await nameOf(point);
    if (state[end] === point) {
      state[`${end}Name`] = found;
      input.value = found;
      if (answer) renderSummary();
    }
  }
}

function updateUrl() {
  const url = urlFor(state);
  window.history.replaceState(null, "", url);
  $("share-link").href = url;
}

// After a comparison the form folds into one line, so that the rows fill the first screen.
function showForm(open) {
  const folded = Boolean(answer) && !open;
  $("plan-form").hidden = folded;
  $("trip-summary").hidden = !answer;
  $("edit-trip").setAttribute("aria-expanded", folded ? "false" : "true");
  $("edit-trip").textContent = t(folded ? "form.edit" : "form.fold");
  document.body.classList.toggle("has-results", Boolean(answer));
}

function whenText() {
  if (state.when === "now") return t("form.now");
  const when = `${fmt.shortDay(state.date)} ${state.time}`;
  return t(state.when === "arrive" ? "summary.arrive" : "summary.depart", { when });
}

function renderSummary() {
  $("trip-summary-text").textContent = t("summary.trip", { from: state.fromName || "A", to: state.toName || "B", when: whenText() });
}

function selectOption(id, focus = false) {
  state.selected = id;
  map.select(state.selected);
  renderComparison();
  const option = answer && answer.options.find((o) => o.id === state.selected);
  if (option) {
    renderDetails($("details"), option, answer, { onClose: () => closeDetails(), onLog: logOption, country: COUNTRY });
    if (focus) $("details-title").focus({ preventScroll: true });
    // Only as far as the details' title: the comparison stays in view when there is room.
    $("details-title").scrollIntoView({ block: "nearest" });
  } else {
    $("details").hidden = true;
  }
  updateUrl();
}

function closeDetails() {
  const id = state.selected;
  state.selected = "";
  map.select("");
  $("details").hidden = true;
  renderComparison();
  updateUrl();
  const button = document.querySelector(`.option[data-id="${CSS.escape(id)}"] .select-option`);
  if (button) button.focus();
}

async function logOption(option, status, keepPlaces) {
  status.textContent = t("log.adding");
  try {
    await addToLog(option, answer, { keepPlaces });
    status.textContent = t("log.added");
  } catch (err) {
    status.textContent = err instanceof ApiProblem ? logProblemText(err) : t("log.failed");
  }
}

function sortBy(key) {
  // A second press on the column in use turns its order around.
  if (key && key === state.sort) state.dir = state.dir === "asc" ? "desc" : "asc";
  else state.dir = "asc";
  state.sort = key;
  renderComparison();
  updateUrl();
  const button = key ? document.querySelector(`.sort-button[data-key="${key}"]`) : document.querySelector(".h-option .sort-button");
  if (button) button.focus();
}

function renderComparison() {
  if (!answer) return;
  $("order-note").textContent = orderNote(state.sort, state.dir, answer.options || []);
  $("sort-key").value = state.sort;
  $("sort-dir").value = state.dir;
  $("sort-dir").disabled = !state.sort;
  const today = nowInZone(health.timezone).date;
  renderOptions($("options"), answer, { key: state.sort, dir: state.dir, selectedId: state.selected, today }, {
    onSelect: (id, focus) => selectOption(id, focus),
    onHover: (id) => map.highlight(id),
    onSort: sortBy,
    onFactor: (option, opener) => openFactorPanel($("factor-panel"), option, answer, { country: COUNTRY, opener }),
  });
}

function renderAnswer() {
  $("results").hidden = false;
  renderNotices($("notices"), answer);
  map.showOptions(answer.options || []);
  if (!answer.options.some((o) => o.id === state.selected)) state.selected = "";
  selectOption(state.selected);
  renderChart($("chart"), answer);
  renderSummary();
  showForm(false);
  const transit = (answer.options || []).some((o) => (o.legs || []).some((l) => l.mode === "transit"));
  $("earlier").hidden = !transit;
  $("later").hidden = !transit;
  if (!answer.options.length) setError("form-error", t("error.nothing_found"));
}

async function showIsochrone() {
  const button = $("iso-toggle");
  if (button.getAttribute("aria-pressed") !== "true") return;
  readWhen();
  if (!state.from) {
    $("iso-status").textContent = t("iso.need_start");
    return;
  }
  $("iso-status").textContent = t("iso.computing");
  try {
    const at = state.when === "now" ? "" : `${state.date}T${state.time}`;
    const fc = await isochrones.show(state.from, $("iso-mode").value, at);
    const sizes = fc.features.map((f) => t("iso.size", { minutes: fmt.num(f.properties.minutes), area: fmt.num(f.properties.area_km2, 2) })).reverse();
    $("iso-status").textContent = t("iso.shown", { sizes: sizes.join(", ") });
  } catch (err) {
    if (err.name === "AbortError") return;
    $("iso-status").textContent = err instanceof ApiProblem ? explain(err) : t("iso.failed");
  }
}

function bindIsochrone() {
  $("iso-toggle").addEventListener("click", () => {
    const on = $("iso-toggle").getAttribute("aria-pressed") !== "true";
    $("iso-toggle").setAttribute("aria-pressed", on ? "true" : "false");
    $("iso-toggle").textContent = t(on ? "iso.hide" : "iso.show");
    if (on) showIsochrone();
    else {
      isochrones.clear();
      $("iso-status").textContent = "";
    }
  });
  $("iso-mode").addEventListener("change", showIsochrone);
}

function readWhen() {
  state.when = document.querySelector('input[name="when"]:checked').value;
  state.date = $("date").value;
  state.time = $("time").value;
  state.wheelchair = $("wheelchair").checked;
}

function writeWhen() {
  document.querySelector(`input[name="when"][value="${state.when}"]`).checked = true;
  $("date").value = state.date;
  $("time").value = state.time;
  $("wheelchair").checked = Boolean(state.wheelchair);
  syncWhenInputs();
}

async function plan({ fit = true } = {}) {
  readWhen();
  clearErrors();
  if (!state.from || !state.to) {
    if (!state.from) setError("from-error", t("form.need_from"));
    if (!state.to) setError("to-error", t("form.need_to"));
    setStatus(t("status.failed"));
    return;
  }
  if (state.when !== "now" && (!state.date || !state.time)) {
    setError("at-error", t("form.need_time"));
    setStatus(t("status.failed"));
    return;
  }
  if (planController) planController.abort();
  planController = new AbortController();
  $("plan-button").disabled = true;
  setStatus(t("status.searching"));
  try {
    answer = await getJSON("/api/plan", planParams(state, vehicle), { signal: planController.signal });
    setStatus(t("status.found", { n: answer.options.length }));
    for (const end of ["from", "to"]) if (!located.has(end)) rememberPlace(state[`${end}Name`], state[end]);
    syncForget();
    renderAnswer();
    if (fit) map.fitRoutes();
  } catch (err) {
    if (err.name === "AbortError") return;
    setStatus(t("status.failed"));
    if (err instanceof ApiProblem) showProblem(err);
    else throw err;
  } finally {
    $("plan-button").disabled = false;
    updateUrl();
  }
}

// Earlier / later: the answer's page cursor (the next or previous transit departures); an answer
// without cursors is asked again from a shifted departure time.
async function shift(direction) {
  if (!answer || !answer.page) {
    const next = shiftedTime(answer, { direction, timeZone: health.timezone });
    if (!next) return;
    Object.assign(state, { when: "depart", date: next.date, time: next.time });
    writeWhen();
    plan({ fit: false });
    return;
  }
  if (planController) planController.abort();
  planController = new AbortController();
  setStatus(t("status.searching"));
  try {
    const paged = await pagedAnswer(answer, direction, planParams(state, vehicle), { signal: planController.signal });
    answer = paged;
    // The form and the address follow the hour now shown, so that a reload asks for the same page.
    const first = Math.min(...paged.options.map((o) => Date.parse(o.departure)).filter(Number.isFinite));
    if (Number.isFinite(first)) Object.assign(state, { when: "depart", ...localParts(first, health.timezone) });
    writeWhen();
    setStatus(t("status.found", { n: answer.options.length }));
    renderAnswer();
    updateUrl();
  } catch (err) {
    if (err.name === "AbortError") return;
    setStatus(t("status.failed"));
    if (err instanceof ApiProblem) showProblem(err);
    else throw err;
  }
}

function syncWhenInputs() {
  const now = document.querySelector('input[name="when"]:checked').value === "now";
  $("date").disabled = now;
  $("time").disabled = now;
  $("when-time").classList.toggle("inactive", now);
}

function syncForget() {
  $("forget-places").hidden = recentPlaces().length === 0;
}

function locate(end) {
  if (!navigator.geolocation) {
    setError(`${end}-error`, t("form.locate_unavailable"));
    return;
  }
  setStatus(t("form.locating"));
  // Asked for this request only: the position is not stored, not even as a recent place (it is in
  // the page's address, as any chosen point is, so that a reload shows the same comparison).
  navigator.geolocation.getCurrentPosition(
    async (pos) => {
      setStatus("");
      await setEnd(end, { lat: pos.coords.latitude, lon: pos.coords.longitude }, t("form.my_location"), { fromDevice: true });
      map.map.panTo([pos.coords.latitude, pos.coords.longitude]);
      if (state.from && state.to) plan();
    },
    () => {
      setStatus("");
      setError(`${end}-error`, t("form.locate_failed"));
    },
    { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 },
  );
}

async function copyLink() {
  const url = new URL(urlFor(state), window.location.href).href;
  try {
    await navigator.clipboard.writeText(url);
    $("copy-status").textContent = t("results.copied");
  } catch {
    $("copy-status").textContent = t("results.copy_failed", { url });
  }
}

function bindForm() {
  for (const end of ["from", "to"]) {
    attachSearch($(`${end}-input`), $(`${end}-list`), {
      near: () => map.center(),
      recent: recentPlaces,
      onPick: async (point, name) => {
        await setEnd(end, point, name);
        map.map.panTo([point.lat, point.lon]);
        if (state.from && state.to) plan();
      },
      onError: (problem) => setError(`${end}-error`, explain(problem)),
    });
    $(`${end}-locate`).addEventListener("click", () => locate(end));
  }
  $("plan-form").addEventListener("submit", (e) => {
    e.preventDefault();
    plan();
  });
  for (const radio of document.querySelectorAll('input[name="when"]')) radio.addEventListener("change", syncWhenInputs);
  $("swap").addEventListener("click", () => {
    [state.from, state.to] = [state.to, state.from];
    [state.fromName, state.toName] = [state.toName, state.fromName];
    for (const end of ["from", "to"]) {
      map.setMarker(end, state[end]);
      $(`${end}-input`).value = state[`${end}Name`] || "";
    }
    if (state.from && state.to) plan();
  });
  $("clear").addEventListener("click", () => {
    for (const end of ["from", "to"]) {
      state[end] = null;
      state[`${end}Name`] = "";
      map.setMarker(end, null);
      $(`${end}-input`).value = "";
    }
    answer = null;
    state.selected = "";
    map.showOptions([]);
    $("results").hidden = true;
    $("details").hidden = true;
    showForm(true);
    clearErrors();
    updateUrl();
  });
  $("forget-places").addEventListener("click", () => {
    forgetPlaces();
    syncForget();
    setStatus(t("form.forgotten"));
    $("from-input").focus();
  });
  $("edit-trip").addEventListener("click", () => {
    const open = $("plan-form").hidden;
    showForm(open);
    if (open) $("from-input").focus();
  });
  $("sort-key").addEventListener("change", () => {
    state.sort = $("sort-key").value;
    renderComparison();
    updateUrl();
  });
  $("sort-dir").addEventListener("change", () => {
    state.dir = $("sort-dir").value;
    renderComparison();
    updateUrl();
  });
  $("earlier").addEventListener("click", () => shift(-1));
  $("later").addEventListener("click", () => shift(1));
  $("copy-link").addEventListener("click", copyLink);
  $("print").addEventListener("click", () => window.print());
  window.addEventListener("beforeprint", () => map.invalidate());
  const defaults = nowInZone(health.timezone);
  state.date = state.date || defaults.date;
  state.time = state.time || defaults.time;
  writeWhen();
  $("tz-hint").textContent = t("form.tz_hint", { zone: health.timezone });
  syncForget();
}

function dataSummary(data) {
  if (!data) return "";
  const parts = [];
  if (data.osm && data.osm.timestamp) parts.push(t("footer.osm_of", { day: String(data.osm.timestamp).slice(0, 10) }));
  const feeds = (data.gtfs || []).filter((g) => g.start || g.feed_start);
  if (feeds.length) parts.push(t("footer.feeds", { ranges: feeds.map((g) => t("data.range", { start: g.start || g.feed_start, end: g.end || g.feed_end })).join(", ") }));
  return parts.length ? t("footer.uses", { parts: parts.join("; ") }) : "";
}

async function main() {
  bindLanguageSwitch();
  try {
    health = await getJSON("/api/health");
  } catch (err) {
    setStatus(err instanceof ApiProblem ? t("status.unavailable_with", { message: explain(err) }) : t("status.unavailable"));
    return;
  }
  fmt.setTimeZone(health.timezone);
  fmt.setModeOrder(health.modes);
  $("city-title").textContent = health.title || health.city || "";
  document.title = t("page.title_city", { city: health.title || health.city });
  $("data-versions").textContent = dataSummary(health.data);
  const body = document.body.dataset;
  map = new TripMap($("map"), health, {
    tileUrl: body.tileUrl || (health.tiles && health.tiles.url) || "",
    tileAttribution: body.tileAttribution || (health.tiles && health.tiles.attribution) || "",
    onPick: (latlng) => {
      const end = !state.from ? "from" : "to";
      setEnd(end, { lat: latlng.lat, lon: latlng.lng }).then(() => {
        if (state.from && state.to) plan();
      });
    },
    onDrag: (end, point) => setEnd(end, point).then(() => plan({ fit: false })),
    onSelectRoute: (id) => selectOption(id),
  });
  map.loadBasemap().catch(() => setStatus(t("status.no_basemap")));
  bindForm();
  isochrones = new IsochroneLayer(map.map);
  bindIsochrone();
  bindVehicleForm(vehicle, () => {
    saveVehicle(vehicle);
    if (answer) plan({ fit: false });
  });
  getJSON("/api/factors").then((packs) => fillPacks(packs, vehicle, health)).catch(() => {});
  window.addEventListener("resize", () => map.invalidate());
  for (const end of ["from", "to"]) {
    if (state[end]) setEnd(end, state[end], state[`${end}Name`]);
  }
  if (state.from && state.to) await plan();
  if (!answer && !$("load-status").textContent) setStatus(t("status.ready"));
}

main();

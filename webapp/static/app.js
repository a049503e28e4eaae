// The planner page: wires the form, the map, the comparison and the details together.
import { ApiProblem, explain, getJSON } from "./api.js";
import { renderDetails } from "./details.js";
import { addToLog, logProblemText } from "./footprint.js";
import { renderChart } from "./frontier.js";
import { IsochroneLayer } from "./isochrone.js";
import { TripMap } from "./map.js";
import { orderNote, renderModeErrors, renderNotices, renderOptions } from "./results.js";
import { attachSearch } from "./search.js";
import { loadVehicle, nowInZone, planParams, readUrl, saveVehicle, urlFor } from "./state.js";
import { bindVehicleForm, fillPacks } from "./vehicle.js";

const $ = (id) => document.getElementById(id);
const REVERSE_NAME_MAX_M = 150;

const state = readUrl();
const vehicle = loadVehicle();
let map = null;
let answer = null;
let planController = null;
let isochrones = null;

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
  return `${point.lat.toFixed(5)}, ${point.lon.toFixed(5)}`;
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

async function setEnd(end, point, name = "") {
  state[end] = point;
  if (end === "from") showIsochrone();
  state[`${end}Name`] = name;
  setError(`${end}-error`, "");
  map.setMarker(end, point);
  const input = $(`${end}-input`);
  input.value = name || "Looking up the name of this point…";
  if (!name) {
    const found = await nameOf(point);
    if (state[end] === point) {
      state[`${end}Name`] = found;
      input.value = found;
    }
  }
}

function updateUrl() {
  const url = urlFor(state);
  window.history.replaceState(null, "", url);
  $("share-link").href = url;
}

function selectOption(id, focus = false) {
  state.selected = id;
  map.select(state.selected);
  renderComparison();
  const option = answer && answer.options.find((o) => o.id === state.selected);
  if (option) {
    renderDetails($("details"), option, answer, { onClose: () => closeDetails() });
    if (focus) $("details-title").focus();
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
  const button = document.querySelector(`.option[data-id="${CSS.escape(id)}"] .details-button`);
  if (button) button.focus();
}

async function logOption(option, status, keepPlaces) {
  status.textContent = "Adding…";
  try {
    await addToLog(option, answer, { keepPlaces });
    status.textContent = "Added to your log.";
  } catch (err) {
    status.textContent = err instanceof ApiProblem ? logProblemText(err) : "Could not add this trip.";
  }
}

function renderComparison() {
  if (!answer) return;
  $("order-note").textContent = orderNote(state.sort, state.dir, answer.options || []);
  $("sort-key").value = state.sort;
  $("sort-dir").value = state.dir;
  $("sort-dir").disabled = !state.sort;
  renderOptions($("options"), answer, { key: state.sort, dir: state.dir, selectedId: state.selected }, {
    onSelect: (id, focus) => selectOption(id, focus),
    onHover: (id) => map.highlight(id),
    onLog: logOption,
  });
}

function renderAnswer() {
  $("results").hidden = false;
  renderNotices($("notices"), answer);
  renderModeErrors($("mode-errors"), answer);
  map.showOptions(answer.options || []);
  if (!answer.options.some((o) => o.id === state.selected)) state.selected = "";
  selectOption(state.selected);
  renderChart($("chart"), answer);
  if (!answer.options.length) setError("form-error", "No way to make this trip was found. Try other places or another time.");
}

async function showIsochrone() {
  const button = $("iso-toggle");
  if (button.getAttribute("aria-pressed") !== "true") return;
  readWhen();
  if (!state.from) {
    $("iso-status").textContent = "Choose a start (A) first: type a place or click the map.";
    return;
  }
  $("iso-status").textContent = "Computing the reachable area…";
  try {
    const at = state.when === "now" ? "" : `${state.date}T${state.time}`;
    const fc = await isochrones.show(state.from, $("iso-mode").value, at);
    const sizes = fc.features.map((f) => `${f.properties.minutes} min: ${f.properties.area_km2} km²`).reverse();
    $("iso-status").textContent = `Reachable area shown (${sizes.join(", ")}).`;
  } catch (err) {
    if (err.name === "AbortError") return;
    $("iso-status").textContent = err instanceof ApiProblem ? explain(err) : "The reachable area could not be computed.";
  }
}

function bindIsochrone() {
  $("iso-toggle").addEventListener("click", () => {
    const on = $("iso-toggle").getAttribute("aria-pressed") !== "true";
    $("iso-toggle").setAttribute("aria-pressed", on ? "true" : "false");
    $("iso-toggle").textContent = on ? "Hide reachable area" : "Show reachable area";
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
}

async function plan({ fit = true } = {}) {
  readWhen();
  clearErrors();
  if (!state.from || !state.to) {
    if (!state.from) setError("from-error", "Choose where you start: type a place or click the map.");
    if (!state.to) setError("to-error", "Choose where you are going: type a place or click the map.");
    return;
  }
  if (state.when !== "now" && (!state.date || !state.time)) {
    setError("at-error", "Choose a date and a time, or pick “Leave now”.");
    return;
  }
  if (planController) planController.abort();
  planController = new AbortController();
  $("plan-button").disabled = true;
  setStatus("Looking for routes…");
  try {
    answer = await getJSON("/api/plan", planParams(state, vehicle), { signal: planController.signal });
    setStatus(`${answer.options.length} option${answer.options.length === 1 ? "" : "s"} found.`);
    renderAnswer();
    if (fit) map.fitRoutes();
  } catch (err) {
    if (err.name === "AbortError") return;
    setStatus("");
    if (err instanceof ApiProblem) showProblem(err);
    else throw err;
  } finally {
    $("plan-button").disabled = false;
    updateUrl();
  }
}

function syncWhenInputs() {
  const now = document.querySelector('input[name="when"]:checked').value === "now";
  $("date").disabled = now;
  $("time").disabled = now;
  $("when-time").classList.toggle("inactive", now);
}

function bindForm(health) {
  for (const end of ["from", "to"]) {
    attachSearch($(`${end}-input`), $(`${end}-list`), {
      near: () => map.center(),
      onPick: async (point, name) => {
        await setEnd(end, point, name);
        map.map.panTo([point.lat, point.lon]);
        if (state.from && state.to) plan();
      },
      onError: (problem) => setError(`${end}-error`, explain(problem)),
    });
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
    clearErrors();
    updateUrl();
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
  const defaults = nowInZone(health.timezone);
  $("date").value = state.date || defaults.date;
  $("time").value = state.time || defaults.time;
  document.querySelector(`input[name="when"][value="${state.when}"]`).checked = true;
  syncWhenInputs();
  $("tz-hint").textContent = `Dates and times are in the city's time zone (${health.timezone}).`;
}

function dataSummary(data) {
  if (!data) return "";
  const parts = [];
  if (data.osm && data.osm.timestamp) parts.push(`street data of ${String(data.osm.timestamp).slice(0, 10)}`);
  const feeds = (data.gtfs || []).filter((g) => g.feed_start);
  if (feeds.length) parts.push(`timetables covering ${feeds.map((g) => `${g.feed_start} to ${g.feed_end}`).join(", ")}`);
  return parts.length ? `This server uses ${parts.join("; ")}.` : "";
}

async function main() {
  let health;
  try {
    health = await getJSON("/api/health");
  } catch (err) {
    setStatus(err instanceof ApiProblem ? `The planner is not available: ${err.message}` : "The planner is not available.");
    return;
  }
  $("city-title").textContent = health.title || health.city || "";
  document.title = `greenroute — ${health.title || health.city}`;
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
  map.loadBasemap().catch(() => setStatus("The base map could not be loaded; routes can still be planned."));
  bindForm(health);
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
  setStatus(answer ? $("load-status").textContent : "Ready: choose a start and a destination.");
}

main();

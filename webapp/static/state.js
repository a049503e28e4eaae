// The query lives in the URL (so a link or a reload reproduces it); the vehicle lives in
// localStorage only (a personal choice that is never put in a shared link).

const VEHICLE_KEY = "greenroute.vehicle";

function parsePoint(text) {
  if (!text) return null;
  const parts = text.split(",").map(Number);
  if (parts.length !== 2 || !parts.every(Number.isFinite)) return null;
  if (Math.abs(parts[0]) > 90 || Math.abs(parts[1]) > 180) return null;
  return { lat: parts[0], lon: parts[1] };
}

export function pointText(point) {
  return `${point.lat.toFixed(6)},${point.lon.toFixed(6)}`;
}

export function readUrl(search = window.location.search) {
  const q = new URLSearchParams(search);
  const when = ["now", "depart", "arrive"].includes(q.get("when")) ? q.get("when") : "now";
  const at = q.get("at") || "";
  return {
    from: parsePoint(q.get("from")),
    to: parsePoint(q.get("to")),
    fromName: q.get("fn") || "",
    toName: q.get("tn") || "",
    when,
    date: at.slice(0, 10),
    time: at.slice(11, 16),
    sort: q.get("sort") || "",
    dir: q.get("dir") === "desc" ? "desc" : "asc",
    selected: q.get("sel") || "",
    wheelchair: q.get("wc") === "1",
  };
}

export function urlFor(state) {
  const q = new URLSearchParams();
  if (state.from) q.set("from", pointText(state.from));
  if (state.to) q.set("to", pointText(state.to));
  if (state.fromName) q.set("fn", state.fromName);
  if (state.toName) q.set("tn", state.toName);
  if (state.when !== "now") {
    q.set("when", state.when);
    q.set("at", `${state.date}T${state.time}`);
  }
  if (state.sort) q.set("sort", state.sort);
  if (state.sort && state.dir === "desc") q.set("dir", "desc");
  if (state.selected) q.set("sel", state.selected);
  if (state.wheelchair) q.set("wc", "1");
  const text = q.toString();
  return `${window.location.pathname}${text ? `?${text}` : ""}`;
}

export function planParams(state, vehicle) {
  // modes: the planner's default set (the plain modes plus the combined ones that differ from them).
  const params = { from: pointText(state.from), to: pointText(state.to) };
  if (state.when !== "now") {
    params.at = `${state.date}T${state.time}`;
    if (state.when === "arrive") params.arrive_by = "true";
  }
  if (vehicle.fuel) params.car = vehicle.size ? `${vehicle.fuel}-${vehicle.size}` : vehicle.fuel;
  if (vehicle.occupancy && vehicle.occupancy !== "1") params.occupancy = vehicle.occupancy;
  if (vehicle.pack) params.pack = vehicle.pack;
  if (state.wheelchair) params.wheelchair = "true";
  return params;
}

export function loadVehicle() {
  try {
    const data = JSON.parse(window.localStorage.getItem(VEHICLE_KEY) || "{}");
    return {
      fuel: typeof data.fuel === "string" ? data.fuel : "",
      size: typeof data.size === "string" ? data.size : "",
      occupancy: typeof data.occupancy === "string" ? data.occupancy : "1",
      pack: typeof data.pack === "string" ? data.pack : "",
    };
  } catch {
    return { fuel: "", size: "", occupancy: "1", pack: "" };
  }
}

export function saveVehicle(vehicle) {
  try {
    window.localStorage.setItem(VEHICLE_KEY, JSON.stringify(vehicle));
  } catch {
    // Storage may be disabled (private mode): the choice then lasts for this page only.
  }
}

// The current date and time in the city's time zone, as the values of date/time inputs.
export function nowInZone(timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date()).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

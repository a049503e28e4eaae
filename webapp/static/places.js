// Recent places: the last few places picked, kept in this browser's localStorage only (never sent
// anywhere, never in a shared link), with a button that forgets them all.

const RECENT_KEY = "greenroute.recent";
const RECENT_MAX = 6;

export function recentPlaces() {
  try {
    const list = JSON.parse(window.localStorage.getItem(RECENT_KEY) || "[]");
    return Array.isArray(list)
      ? list.filter((p) => p && typeof p.name === "string" && Number.isFinite(p.lat) && Number.isFinite(p.lon)).slice(0, RECENT_MAX)
      : [];
  } catch {
    return [];
  }
}

function save(list) {
  try {
    window.localStorage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // Storage may be off (private mode): recent places then last for this page only.
  }
}

export function rememberPlace(name, point) {
  if (!name || !point) return;
  const rest = recentPlaces().filter((p) => p.name !== name);
  save([{ name, lat: point.lat, lon: point.lon }, ...rest].slice(0, RECENT_MAX));
}

export function forgetPlaces() {
  try {
    window.localStorage.removeItem(RECENT_KEY);
  } catch {
    // Nothing was kept.
  }
}

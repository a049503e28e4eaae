// The base map as vector tiles (written by `greenroute build`, served by /api/basemap/tiles),
// drawn by the vendored MapLibre GL under Leaflet's panes: routes, markers and names stay Leaflet's,
// MapLibre only follows the Leaflet view. Loaded only where the browser has WebGL; elsewhere the
// page keeps drawing the GeoJSON layers (map.js).

const MAPLIBRE_DIR = new URL("./vendor/maplibre/", import.meta.url);
// Leaflet counts zoom in 256 px tiles, MapLibre in 512 px ones.
const ZOOM_OFFSET = 1;
// Leaflet's own zoom animation lasts 0.25 s; MapLibre eases alongside it.
const ZOOM_ANIMATION_MS = 250;

export function hasWebGL() {
  try {
    const canvas = document.createElement("canvas");
    return Boolean(canvas.getContext("webgl2") || canvas.getContext("webgl"));
  } catch {
    return false;
  }
}

function addStylesheet() {
  if (document.querySelector("link[data-maplibre]")) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("maplibre-gl.css", MAPLIBRE_DIR).href;
  link.dataset.maplibre = "";
  document.head.append(link);
}

// Leaflet-style widths (px at city zoom), growing close up so that streets keep their weight.
function width(px) {
  return ["interpolate", ["linear"], ["zoom"], 9, px * 0.7, 14, px, 18, px * 2.2];
}

// MapLibre dashes are in line widths, Leaflet's (map.js LIGHT_BASE, DARK_BASE) in pixels.
function dashes(style) {
  if (!style.dashArray) return undefined;
  return style.dashArray.split(/\s+/).map((n) => Number(n) / Math.max(style.weight, 1));
}

function glStyle(tiles, baseStyles) {
  const layers = [];
  for (const name of tiles.layers) {
    const style = baseStyles[name];
    if (!style) continue;
    const common = { id: name, source: "base", "source-layer": name, minzoom: Math.max(0, tiles.minzooms[name] - ZOOM_OFFSET) };
    if (tiles.kinds[name] === "area") {
      layers.push({ ...common, type: "fill", paint: { "fill-color": style.fillColor, "fill-antialias": true } });
    } else {
      const paint = { "line-color": style.color, "line-width": width(style.weight) };
      const dash = dashes(style);
      if (dash) paint["line-dasharray"] = dash;
      layers.push({ ...common, type: "line", paint, layout: { "line-join": "round", "line-cap": dash ? "butt" : "round" } });
    }
  }
  return {
    version: 8,
    sources: {
      base: {
        type: "vector",
        // An absolute URL with the {z}/{x}/{y} braces left as they are (new URL would escape them).
        tiles: [`${window.location.origin}${tiles.url}`],
        // Tile zooms as written (512 px tiles: tile zoom z is drawn at MapLibre zoom z).
        minzoom: tiles.minzoom,
        maxzoom: tiles.maxzoom,
        bounds: tiles.bounds,
      },
    },
    layers,
  };
}

// The colours of `baseStyles` on a drawn map (the page's colour scheme changed).
export function restyleVectorBase(gl, baseStyles) {
  for (const layer of gl.getStyle().layers) {
    const style = baseStyles[layer.id];
    if (!style) continue;
    if (layer.type === "fill") gl.setPaintProperty(layer.id, "fill-color", style.fillColor);
    else gl.setPaintProperty(layer.id, "line-color", style.color);
  }
}

// Draws the tiles of `index` (the /api/basemap answer) under the Leaflet `map`; resolves to the
// MapLibre map once its style is loaded, or null when this browser cannot draw it.
export async function addVectorBase(map, index, baseStyles) {
  if (!index.tiles || !hasWebGL()) return null;
  const { Map: GLMap } = await import(new URL("maplibre-gl.mjs", MAPLIBRE_DIR).href);
  addStylesheet();
  const [south, west, north, east] = index.bbox;
  const tiles = {
    ...index.tiles,
    bounds: [west, south, east, north],
    layers: index.layers.map((l) => l.name),
    kinds: Object.fromEntries(index.layers.map((l) => [l.name, l.kind])),
    minzooms: Object.fromEntries(index.layers.map((l) => [l.name, l.minzoom || 0])),
  };
  const holder = document.createElement("div");
  holder.className = "vector-base";
  holder.setAttribute("aria-hidden", "true");
  map.getContainer().prepend(holder);
  const view = () => {
    const c = map.getCenter();
    return { center: [c.lng, c.lat], zoom: map.getZoom() - ZOOM_OFFSET };
  };
  const gl = new GLMap({
    container: holder,
    style: glStyle(tiles, baseStyles),
    ...view(),
    interactive: false,
    attributionControl: false,
    fadeDuration: 0,
    maxZoom: 24,
  });
  // Decorative under Leaflet's own labelled map: MapLibre's English canvas name is not wanted.
  gl.getCanvas().removeAttribute("aria-label");
  gl.getCanvas().removeAttribute("role");
  map.on("zoomanim", (e) => {
    gl.easeTo({ center: [e.center.lng, e.center.lat], zoom: e.zoom - ZOOM_OFFSET, duration: ZOOM_ANIMATION_MS });
  });
  map.on("move", () => {
    if (!map._animatingZoom) gl.jumpTo(view());
  });
  map.on("zoomend moveend", () => gl.jumpTo(view()));
  map.on("resize", () => {
    gl.resize();
    gl.jumpTo(view());
  });
  await new Promise((resolve, reject) => {
    gl.once("load", resolve);
    gl.once("error", (e) => reject(e.error || new Error("base map style")));
  });
  return gl;
}

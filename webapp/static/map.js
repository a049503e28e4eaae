// The map: base map from this server's GeoJSON layers, the A/B markers, and every option's route.
import * as L from "/vendor/leaflet/leaflet-src.esm.js";

import { getJSON } from "./api.js";
import { FIXED_ORDER, el, modeName } from "./format.js";
import { t } from "./i18n.js";
import { LabelLayer } from "./maplabels.js";
import { addVectorBase, restyleVectorBase } from "./vectorbase.js";


// One line style per mode, told apart by dash pattern and weight first; the hues are neutral
// (no red/green, nothing that reads as good or bad).
export const MODE_STYLES = {
  walk: { color: "#1b4f72", weight: 5, dashArray: "1 9", lineCap: "round" },
  bike: { color: "#5b2c6f", weight: 4, dashArray: "12 7" },
  transit: { color: "#222222", weight: 5 },
  drive: { color: "#7e5109", weight: 4, dashArray: "18 7 4 7" },
  ebike: { color: "#5b2c6f", weight: 4, dashArray: "4 4" },
  escooter: { color: "#5b2c6f", weight: 3, dashArray: "2 6" },
  taxi: { color: "#7e5109", weight: 4, dashArray: "4 4" },
};

const LIGHT_BASE = {
  parks: { color: "#c9d6c3", weight: 0, fillColor: "#dbe5d6", fillOpacity: 1 },
  "water-areas": { color: "#9cbcd9", weight: 0, fillColor: "#b9d3ea", fillOpacity: 1 },
  waterways: { color: "#8fb4d6", weight: 2 },
  paths: { color: "#c2c2bc", weight: 1, dashArray: "2 3" },
  "streets-minor": { color: "#d2d1cb", weight: 2 },
  "streets-major": { color: "#a9a7a0", weight: 3.5 },
  rail: { color: "#6d6d6d", weight: 2, dashArray: "7 4" },
};

// The same layers on a dark page: dim fills and lines on the dark map background (--map-bg), so
// that the routes (app.css gives them light strokes there) and the names stay the brightest
// things on the map; light fills would glare and hide the light names on them.
const DARK_BASE = {
  parks: { color: "#2f3a2d", weight: 0, fillColor: "#2f3a2d", fillOpacity: 1 },
  "water-areas": { color: "#2b4150", weight: 0, fillColor: "#2b4150", fillOpacity: 1 },
  waterways: { color: "#3f6585", weight: 2 },
  paths: { color: "#4a4944", weight: 1, dashArray: "2 3" },
  "streets-minor": { color: "#45443f", weight: 2 },
  "streets-major": { color: "#65635d", weight: 3.5 },
  rail: { color: "#8d8b84", weight: 2, dashArray: "7 4" },
};

const DARK_SCHEME = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

function baseStyles() {
  return DARK_SCHEME && DARK_SCHEME.matches ? DARK_BASE : LIGHT_BASE;
}

function styleFor(mode) {
  return MODE_STYLES[mode] || MODE_STYLES.transit;
}

function latLngs(geometry) {
  if (!geometry || !Array.isArray(geometry.coordinates)) return [];
  if (geometry.type === "LineString") return geometry.coordinates.map(([lon, lat]) => [lat, lon]);
  if (geometry.type === "MultiLineString") return geometry.coordinates.map((line) => line.map(([lon, lat]) => [lat, lon]));
  return [];
}

function legendControl() {
  const control = L.control({ position: "bottomleft" });
  control.onAdd = () => {
    const box = el("div", { class: "legend", role: "group", "aria-label": t("map.legend") });
    for (const mode of FIXED_ORDER.filter((m) => MODE_STYLES[m])) {
      const style = styleFor(mode);
      const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("width", "36");
      svg.setAttribute("height", "10");
      svg.setAttribute("aria-hidden", "true");
      const line = document.createElementNS("http://www.w3.org/2000/svg", "line");
      for (const [k, v] of Object.entries({ x1: 2, y1: 5, x2: 34, y2: 5, stroke: style.color, "stroke-width": Math.min(style.weight, 4), "stroke-dasharray": style.dashArray || "", "stroke-linecap": style.lineCap || "butt" })) {
        line.setAttribute(k, String(v));
      }
      svg.append(line);
      box.append(el("div", { class: "legend-row" }, svg, el("span", { text: modeName(mode) })));
    }
    box.append(el("div", { class: "legend-note", text: t("map.legend_note") }));
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  return control;
}

export class TripMap {
  constructor(container, health, { onPick, onDrag, onSelectRoute, tileUrl, tileAttribution }) {
    const [south, west, north, east] = health.bbox;
    this.bounds = L.latLngBounds([south, west], [north, east]);
    this.map = L.map(container, {
      center: health.center,
      zoom: health.zoom || 13,
      maxBounds: this.bounds.pad(0.5),
      minZoom: 10,
      maxZoom: 19,
      zoomControl: false,
      attributionControl: true,
      preferCanvas: false,
    });
    // Leaflet's own control titles are English: given in the page's language instead.
    L.control.zoom({ zoomInTitle: t("map.zoom_in"), zoomOutTitle: t("map.zoom_out") }).addTo(this.map);
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution(t("map.attribution"));
    if (tileUrl) {
      // A configured tile server's attribution is the operator's text, kept as written.
      L.tileLayer(tileUrl, { attribution: tileAttribution || t("map.attribution"), maxZoom: 19 }).addTo(this.map);
    }
    this.baseRenderer = L.canvas({ padding: 0.3 });
    this.map.createPane("routes").style.zIndex = "450";
    this.routeLayers = new Map();
    this.markers = {};
    this.selected = null;
    this.onSelectRoute = onSelectRoute;
    this.onDrag = onDrag;
    legendControl().addTo(this.map);
    this.map.on("click", (e) => onPick(e.latlng));
    // A long press on a touch screen arrives as "contextmenu".
    this.map.on("contextmenu", (e) => onPick(e.latlng));
  }

  // Vector tiles drawn by MapLibre where the browser has WebGL and the build wrote them; else each
  // GeoJSON layer is fetched the first time the map reaches its zoom (paths only close up), and
  // shown only from that zoom on, so the page stays light at city zoom.
  async loadBasemap() {
    const index = await getJSON("/api/basemap");
    const vector = await addVectorBase(this.map, index, baseStyles()).catch(() => null);
    this.map.getContainer().dataset.basemap = vector ? "vector" : "geojson";
    if (vector) {
      this.vectorBase = vector;
      DARK_SCHEME?.addEventListener("change", () => restyleVectorBase(vector, baseStyles()));
      if (index.labels) this.labels = new LabelLayer(this.map, await getJSON(index.labels.url));
      return index;
    }
    const drawn = index.layers.map((layer) => ({ layer, group: null, loading: null }));
    const update = async () => {
      const zoom = this.map.getZoom();
      for (const item of drawn) {
        const wanted = zoom >= (item.layer.minzoom || 0);
        if (wanted && !item.group && !item.loading) {
          item.loading = getJSON(item.layer.url).then((data) => {
            item.group = L.geoJSON(data, {
              renderer: this.baseRenderer,
              interactive: false,
              style: () => baseStyles()[item.layer.name] || { color: "#bbbbbb", weight: 1 },
            });
          });
        }
        if (item.loading) await item.loading;
      }
      // Added and removed in drawing order, so that areas stay under lines.
      for (const item of drawn) {
        const wanted = this.map.getZoom() >= (item.layer.minzoom || 0);
        if (item.group && wanted && !this.map.hasLayer(item.group)) item.group.addTo(this.map);
        if (item.group && !wanted && this.map.hasLayer(item.group)) item.group.remove();
      }
      for (const item of drawn) if (item.group && this.map.hasLayer(item.group)) item.group.bringToFront();
    };
    this.map.on("zoomend", () => update().catch(() => {}));
    DARK_SCHEME?.addEventListener("change", () => {
      for (const item of drawn) if (item.group) item.group.setStyle(baseStyles()[item.layer.name] || {});
    });
    await update();
    if (index.labels) this.labels = new LabelLayer(this.map, await getJSON(index.labels.url));
    return index;
  }

  setMarker(end, point) {
    if (!point) {
      if (this.markers[end]) this.markers[end].remove();
      delete this.markers[end];
      return;
    }
    const latlng = [point.lat, point.lon];
    if (this.markers[end]) {
      this.markers[end].setLatLng(latlng);
      return;
    }
    const icon = L.divIcon({
      className: `pin pin-${end}`,
      html: end === "from" ? "A" : "B",
      iconSize: [30, 30],
      iconAnchor: [15, 15],
    });
    const marker = L.marker(latlng, {
      icon,
      draggable: true,
      autoPan: true,
      keyboard: true,
      title: t(end === "from" ? "map.start_marker" : "map.end_marker"),
      alt: t(end === "from" ? "map.start" : "map.end"),
      zIndexOffset: 1000,
    }).addTo(this.map);
    marker.on("dragend", () => {
      const ll = marker.getLatLng();
      this.onDrag(end, { lat: ll.lat, lon: ll.lng });
    });
    this.markers[end] = marker;
  }

  showOptions(options) {
    for (const group of this.routeLayers.values()) group.remove();
    this.routeLayers.clear();
    for (const option of options) {
      const group = L.featureGroup([], { pane: "routes" });
      const legs = option.legs && option.legs.length ? option.legs : [{ mode: option.mode, geometry: option.geometry }];
      for (const leg of legs) {
        const coords = latLngs(leg.geometry);
        if (!coords.length) continue;
        const line = L.polyline(coords, { ...styleFor(leg.mode), pane: "routes", opacity: 0.5, className: `route route-${leg.mode}` });
        line.baseStyle = styleFor(leg.mode);
        group.addLayer(line);
      }
      group.on("click", (e) => {
        L.DomEvent.stopPropagation(e);
        this.onSelectRoute(option.id);
      });
      group.addTo(this.map);
      this.routeLayers.set(option.id, group);
    }
    this.restyle();
  }

  restyle(hovered = null) {
    for (const [id, group] of this.routeLayers) {
      const strong = id === this.selected || id === hovered;
      group.eachLayer((line) => {
        const base = line.baseStyle;
        line.setStyle({ weight: strong ? base.weight + 3 : base.weight, opacity: strong ? 1 : 0.45 });
      });
      if (strong) group.bringToFront();
    }
    if (hovered && this.routeLayers.has(hovered)) this.routeLayers.get(hovered).bringToFront();
  }

  select(id) {
    this.selected = id;
    this.restyle();
  }

  highlight(id) {
    this.restyle(id);
  }

  fitRoutes() {
    this.map.invalidateSize(); // the layout may have changed size since the map was made
    const bounds = L.latLngBounds([]);
    for (const group of this.routeLayers.values()) bounds.extend(group.getBounds());
    for (const marker of Object.values(this.markers)) bounds.extend(marker.getLatLng());
    if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
  }

  center() {
    const c = this.map.getCenter();
    return { lat: c.lat, lon: c.lng };
  }

  invalidate() {
    this.map.invalidateSize();
  }
}

// The base map's names, drawn as text by the page (no glyph files, no font server): place and
// station names as text markers, street names turned along their street. Only the names inside the
// view and shown at this zoom are drawn, widest-zoom names first, and a name that would overlap
// one already drawn is left out, so the map stays readable at every zoom.
import * as L from "/vendor/leaflet/leaflet-src.esm.js";

const MAX_LABELS = 220; // beyond this a screen is more text than map, and drawing slows down
const CHAR_PX = { place: 8, station: 7, water: 7, park: 7, street: 6.2 }; // rough width per character
const LINE_PX = 15;
const GAP_PX = 4;

function box(point, label) {
  const w = label.name.length * (CHAR_PX[label.kind] || 7) + GAP_PX * 2;
  const h = LINE_PX + GAP_PX;
  const a = (Math.abs(label.angle) * Math.PI) / 180;
  // The upright rectangle around the turned one.
  const bw = w * Math.cos(a) + h * Math.sin(a);
  const bh = w * Math.sin(a) + h * Math.cos(a);
  return { x0: point.x - bw / 2, y0: point.y - bh / 2, x1: point.x + bw / 2, y1: point.y + bh / 2 };
}

function overlaps(b, taken) {
  return taken.some((o) => b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1);
}

function labelIcon(label) {
  const text = document.createElement("span");
  text.className = `map-label map-label-${label.kind}`;
  text.textContent = label.name;
  // Set through the CSS object model: the page's policy forbids inline style attributes.
  text.style.transform = `translate(-50%, -50%) rotate(${label.angle}deg)`;
  return L.divIcon({ className: "map-label-anchor", html: text, iconSize: null });
}

export class LabelLayer {
  constructor(map, data) {
    const at = Object.fromEntries(data.fields.map((f, i) => [f, i]));
    this.labels = data.labels.map((row) => ({
      name: row[at.name],
      kind: row[at.kind],
      latlng: L.latLng(row[at.lat], row[at.lon]),
      minzoom: row[at.minzoom],
      angle: row[at.angle] || 0,
    }));
    this.map = map;
    map.createPane("labels").style.zIndex = "440"; // over the base map, under the routes
    this.group = L.layerGroup([], { pane: "labels" }).addTo(map);
    this.redraw = this.redraw.bind(this);
    map.on("moveend zoomend resize", this.redraw);
    this.redraw();
  }

  visible() {
    return this.shown || [];
  }

  redraw() {
    this.group.clearLayers();
    const zoom = this.map.getZoom();
    const view = this.map.getBounds().pad(0.05);
    const taken = [];
    this.shown = [];
    for (const label of this.labels) {
      if (label.minzoom > zoom || !view.contains(label.latlng)) continue;
      const b = box(this.map.latLngToContainerPoint(label.latlng), label);
      if (overlaps(b, taken)) continue;
      taken.push(b);
      this.shown.push(label.name);
      const marker = L.marker(label.latlng, { icon: labelIcon(label), pane: "labels", interactive: false, keyboard: false });
      this.group.addLayer(marker);
      // Decorative for assistive technology: the same names are found through the search box.
      marker.getElement().setAttribute("aria-hidden", "true");
      if (this.shown.length >= MAX_LABELS) break;
    }
  }
}

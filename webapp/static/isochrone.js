// Reachable areas from the start point (A): one neutral, translucent polygon per minutes value.
import * as L from "/vendor/leaflet/leaflet-src.esm.js";

import { getJSON } from "./api.js";

export const ISO_MINUTES = "10,20,30";
// One hue, lighter as the minutes grow: nested areas read as steps, none as good or bad.
const FILLS = ["#2f3f5f", "#56647f", "#8791a6"];

export class IsochroneLayer {
  constructor(map) {
    this.map = map;
    this.layer = null;
    this.controller = null;
  }

  clear() {
    if (this.controller) this.controller.abort();
    if (this.layer) this.layer.remove();
    this.layer = null;
  }

  async show(point, mode, at) {
    this.clear();
    this.controller = new AbortController();
    const params = { from: `${point.lat.toFixed(6)},${point.lon.toFixed(6)}`, mode, minutes: ISO_MINUTES };
    if (at) params.at = at;
    const fc = await getJSON("/api/isochrone", params, { signal: this.controller.signal });
    const order = fc.features.map((f) => f.properties.minutes).sort((a, b) => a - b);
    this.layer = L.geoJSON(fc, {
      interactive: false,
      style: (f) => {
        const i = Math.min(order.indexOf(f.properties.minutes), FILLS.length - 1);
        return { color: FILLS[i], weight: 1, fillColor: FILLS[i], fillOpacity: 0.18, className: `isochrone isochrone-${f.properties.minutes}` };
      },
    }).addTo(this.map);
    this.layer.bringToBack();
    return fc;
  }
}

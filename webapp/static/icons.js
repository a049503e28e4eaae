// One small line drawing per mode, in the text colour: a shape to find a row by, not a judgement.
const PATHS = {
  walk: "M12 3.5a1.6 1.6 0 1 1 0 .01M10 21l2-6 2 2v4M9 12l2-4h2l2 3 2 1M11 8l-1 5",
  bike: "M6 17.5a3.2 3.2 0 1 0 .01 0M18 17.5a3.2 3.2 0 1 0 .01 0M6 17.5l4-7h5l3 7M10 10.5l-1-3H7.5M15 10.5l-3 7",
  transit: "M6 4h12a1 1 0 0 1 1 1v11H5V5a1 1 0 0 1 1-1zM5 11h14M8 19v-3M16 19v-3M8 14h.01M16 14h.01",
  drive: "M4 16v-4l2-5h12l2 5v4zM4 12h16M7 16v2M17 16v2M7.5 14h.01M16.5 14h.01",
};
const ALIAS = { ebike: "bike", escooter: "bike", taxi: "drive", "bike+transit": "transit", "park+ride": "transit" };

export function modeIcon(mode) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "mode-icon");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", PATHS[mode] || PATHS[ALIAS[mode]] || PATHS.transit);
  svg.append(path);
  return svg;
}

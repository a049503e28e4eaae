// Each option's time, drawn to one scale for every row: the wait before leaving, then its legs
// (walk, ride, cycle, drive) and the waits between them. Neutral greys and patterns only.
import * as fmt from "./format.js";
import { t } from "./i18n.js";

const { el } = fmt;

function ms(iso) {
  const v = Date.parse(iso || "");
  return Number.isFinite(v) ? v : null;
}

// Seconds between the time asked for and the option's departure (null when the API's own figure is
// missing and it cannot be told, e.g. "arrive by").
export function waitSeconds(option, answer) {
  if (typeof option.wait_s === "number" && Number.isFinite(option.wait_s)) return option.wait_s;
  const request = answer.request || {};
  if (request.arrive_by) return null;
  const asked = ms(request.at);
  const leaves = ms(option.departure);
  if (asked == null || leaves == null) return null;
  return Math.max(0, (leaves - asked) / 1000);
}

const KIND_OF_LEG = { walk: "walk", bike: "bike", ebike: "bike", escooter: "bike", drive: "drive", taxi: "drive", transit: "ride" };

// [{kind, seconds, label}] from the time asked for to the arrival.
export function segments(option, answer) {
  const out = [];
  const wait = waitSeconds(option, answer);
  if (wait) out.push({ kind: "wait", seconds: wait, label: t("timeline.wait", { d: fmt.duration(wait) }) });
  const legs = option.legs && option.legs.length ? option.legs : [option];
  let end = ms(option.departure);
  for (const leg of legs) {
    const start = ms(leg.departure);
    if (end != null && start != null && start - end >= 30_000) {
      const gap = (start - end) / 1000;
      out.push({ kind: "wait", seconds: gap, label: t("timeline.wait", { d: fmt.duration(gap) }) });
    }
    const seconds = Number.isFinite(leg.duration_s) ? leg.duration_s : 0;
    const kind = KIND_OF_LEG[leg.mode] || "ride";
    const name = leg.mode === "transit" && leg.route ? `${fmt.modeName("transit")} ${leg.route.short_name || leg.route.long_name || ""}`.trim() : fmt.modeName(leg.mode);
    out.push({ kind, seconds, label: t("timeline.leg", { name, d: fmt.duration(seconds) }) });
    const stop = ms(leg.arrival);
    end = stop != null ? stop : start != null ? start + seconds * 1000 : null;
  }
  return out;
}

export function spanSeconds(option, answer) {
  return segments(option, answer).reduce((sum, s) => sum + s.seconds, 0);
}

// The bar: widths are shares of `scale` seconds (the longest span among the rows).
export function timelineBar(option, answer, scale) {
  const parts = segments(option, answer);
  const bar = el("div", { class: "timeline", role: "img", "aria-label": t("timeline.label", { parts: parts.map((p) => p.label).join(", ") }) });
  for (const part of parts) {
    const piece = el("span", { class: `tl tl-${part.kind}`, title: part.label });
    piece.style.width = `${scale > 0 ? ((part.seconds / scale) * 100).toFixed(2) : 0}%`;
    bar.append(piece);
  }
  return bar;
}

// Realtime and accessibility beside an option: a delayed ride (predicted time, the timetable's
// time struck through, the delay in minutes), a cancelled trip the option replaces, the operator's
// service alerts, and what the operator does not state about step-free access. Plain text in the
// page's colours: a delay is a fact to plan with, not a verdict on the option.
import * as fmt from "./format.js";
import { LANG, t } from "./i18n.js";

const { el } = fmt;

function rides(option) {
  return (option.legs || []).filter((l) => l.mode === "transit");
}

// Minutes of delay of a ride at the stop where it is left (at the boarding stop when that is all).
function delayMinutes(leg) {
  const rt = leg.realtime;
  if (!rt || rt.status !== "updated") return null;
  const seconds = Number.isFinite(rt.delay_s) ? rt.delay_s : rt.departure_delay_s;
  return Number.isFinite(seconds) ? Math.round(seconds / 60) : null;
}

function delayText(minutes) {
  if (minutes > 0) return t("live.late", { n: minutes });
  if (minutes < 0) return t("live.early", { n: -minutes });
  return t("live.on_time");
}

// An alert's text in the page's language when the feed has it ("pt-BR", then "pt"), else as given.
function alertTexts(alert) {
  const tr = alert.translations || {};
  const mine = tr[LANG] || tr[LANG.split("-")[0]];
  if (mine && (mine.header || mine.description)) return { ...mine, lang: LANG };
  return { header: alert.header, description: alert.description, url: alert.url, lang: "und" };
}

function alertsOf(option) {
  const seen = new Set();
  const out = [];
  for (const leg of rides(option)) {
    for (const a of leg.alerts || []) {
      const key = `${a.header}|${a.description}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(a);
      }
    }
  }
  return out;
}

function canceledFor(option, answer) {
  return (answer.notices || []).filter((n) => n.code === "realtime_canceled" && (n.options || []).includes(option.id));
}

export function canceledText(notice) {
  return t("live.canceled", {
    route: notice.route || "",
    headsign: notice.headsign || "",
    time: fmt.clock(notice.scheduled_departure),
    stop: notice.stop_name || "",
  });
}

function textIn(texts, key, tag = "span", attrs = {}) {
  // A translation is marked with its language when it is not the page's; untagged text is not.
  const lang = texts.lang === LANG || texts.lang === "und" ? null : texts.lang;
  return el(tag, { ...attrs, lang, text: texts[key] || "" });
}

// The short notes under an option's name in the table (null when there is nothing to say).
export function rowNotes(option, answer) {
  const notes = [];
  for (const leg of rides(option)) {
    const minutes = delayMinutes(leg);
    if (minutes != null && minutes !== 0) {
      const route = leg.route?.short_name || leg.route?.long_name || "";
      notes.push(el("li", { class: "live-delay", text: `${t("live.line", { route })}: ${delayText(minutes)}` }));
    }
  }
  for (const n of canceledFor(option, answer)) notes.push(el("li", { class: "live-canceled", text: canceledText(n) }));
  for (const a of alertsOf(option)) {
    const texts = alertTexts(a);
    notes.push(el("li", { class: "live-alert" }, el("span", { class: "live-label", text: `${t("live.alert")}: ` }), textIn(texts, "header")));
  }
  if (rides(option).some((l) => (l.notices || []).some((n) => n.code === "accessibility_not_stated"))) {
    notes.push(el("li", { class: "access-note", text: t("access.not_stated") }));
  }
  return notes.length ? el("ul", { class: "live-notes" }, notes) : null;
}

// "Board at X at 08:10" with the timetable's 08:00 struck through and "10 min late".
export function timeLine(key, stop, iso, scheduledIso, minutes) {
  const line = el("p", {}, t(key, { stop, time: fmt.clock(iso) }));
  if (scheduledIso && fmt.clock(scheduledIso) !== fmt.clock(iso)) {
    line.append(
      " ",
      el("span", { class: "live-scheduled" }, `(${t("live.timetable")} `, el("s", { text: fmt.clock(scheduledIso) }), `, ${delayText(minutes)})`),
    );
  }
  return line;
}

export function legDelays(leg) {
  const rt = leg.realtime;
  if (!rt || rt.status !== "updated") return { board: null, alight: null, boardMin: 0, alightMin: 0 };
  return {
    board: rt.scheduled_departure,
    alight: rt.scheduled_arrival,
    boardMin: Math.round((rt.departure_delay_s ?? rt.delay_s ?? 0) / 60),
    alightMin: Math.round((rt.delay_s ?? 0) / 60),
  };
}

// The live status line, the alerts in full and the accessibility note of one ride in the details.
export function legExtras(leg) {
  const parts = [];
  const rt = leg.realtime;
  if (rt) parts.push(el("p", { class: "live-status muted", text: t(`live.status_${rt.status}`) }));
  for (const a of leg.alerts || []) {
    const texts = alertTexts(a);
    parts.push(
      el(
        "div",
        { class: "live-alert-box", role: "note" },
        el("h4", {}, el("span", { class: "live-label", text: `${t("live.alert")}: ` }), textIn(texts, "header")),
        texts.description ? textIn(texts, "description", "p") : null,
        texts.url ? el("p", {}, el("a", { href: texts.url, rel: "noopener noreferrer external", text: t("live.more") })) : null,
      ),
    );
  }
  if (leg.wheelchair) {
    const stated = (leg.notices || []).some((n) => n.code === "accessibility_not_stated");
    parts.push(el("p", { class: "access-note muted", text: stated ? t("access.not_stated") : t("access.stated") }));
  }
  return parts;
}

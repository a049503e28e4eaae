// Earlier / later departures: the departure time to ask for next, in the city's time zone.

const SHIFT_MS = 30 * 60 * 1000; // earlier: half an hour before the time asked for
const AFTER_MS = 60 * 1000; // later: a minute after the first transit departure shown

export function localParts(ms, timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

// When the plain transit options leave (those with combined legs only if there are none): a
// journey leaves at the latest moment that still catches its ride, so a minute later misses it.
function transitDepartures(answer) {
  const options = answer.options || [];
  const plain = options.filter((o) => o.mode === "transit");
  const riding = plain.length ? plain : options.filter((o) => (o.legs || []).some((l) => l.mode === "transit"));
  return riding.map((o) => Date.parse(o.departure)).filter(Number.isFinite);
}

// {date, time} to plan from next, or null when the answer gives nothing to shift from.
export function shiftedTime(answer, { direction, timeZone }) {
  if (!answer) return null;
  const asked = Date.parse((answer.request && answer.request.at) || "");
  if (!Number.isFinite(asked)) return null;
  if (direction < 0) return localParts(asked - SHIFT_MS, timeZone);
  const departures = transitDepartures(answer);
  const first = departures.length ? Math.min(...departures) : asked + SHIFT_MS - AFTER_MS;
  return localParts(Math.max(first, asked) + AFTER_MS, timeZone);
}

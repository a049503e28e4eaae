// Earlier / later departures from the API's page cursors (webapp/plan_cursor.py). A cursor asks
// for the transit modes only, so the other modes of the comparison are asked again from the first
// departure the cursor's answer shows: every row then starts from the same hour.
import { getJSON } from "./api.js";

export function pageCursor(answer, direction) {
  const page = answer && answer.page;
  return (page && page[direction < 0 ? "previous" : "next"]) || null;
}

// The earliest departure of `answer`'s options as the API wrote it (ISO 8601 with its offset).
function firstDeparture(answer) {
  let first = null;
  for (const option of answer.options || []) {
    const ms = Date.parse(option.departure || "");
    if (Number.isFinite(ms) && (first === null || ms < first.ms)) first = { ms, text: option.departure };
  }
  return first && first.text;
}

// The answer to show after paging `answer` one page in `direction` (<0 earlier, >0 later), or null
// when the answer has no cursor. `params` are the page's plan parameters (planParams), used for
// the modes the cursor does not carry.
export async function pagedAnswer(answer, direction, params, { signal } = {}) {
  const cursor = pageCursor(answer, direction);
  if (!cursor) return null;
  const paged = await getJSON("/api/plan", { cursor }, { signal });
  const asked = (answer.request && answer.request.modes) || [];
  const pagedModes = new Set((paged.request && paged.request.modes) || []);
  const others = asked.filter((m) => !pagedModes.has(m));
  const at = firstDeparture(paged);
  if (!others.length || !at) return paged;
  const rest = { ...params, at, modes: others.join(",") };
  delete rest.arrive_by;
  const more = await getJSON("/api/plan", rest, { signal });
  const ids = new Set(paged.options.map((o) => o.id));
  return {
    ...paged,
    request: { ...paged.request, modes: asked },
    options: [...paged.options, ...more.options.filter((o) => !ids.has(o.id))],
    notices: [...(paged.notices || []), ...(more.notices || [])],
  };
}

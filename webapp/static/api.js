import { t } from "./i18n.js";

// Calls to this server's JSON API. Every error becomes an ApiProblem with the field it concerns.

export class ApiProblem extends Error {
  constructor(status, code, message, argument) {
    super(message);
    this.status = status;
    this.code = code;
    this.argument = argument || null;
  }
}

// A busy server refuses at once with 503 and Retry-After (often while it finishes a plan this page
// has just abandoned): ask again after that many seconds, a few times, before showing the refusal.
const BUSY_RETRIES = 3;
const BUSY_WAIT_MAX_S = 3;

function pause(seconds, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, seconds * 1000);
    if (signal) {
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(new DOMException("aborted", "AbortError"));
      }, { once: true });
    }
  });
}

export async function getJSON(path, params = null, { signal } = {}) {
  const url = params ? `${path}?${new URLSearchParams(params)}` : path;
  let response;
  for (let attempt = 0; ; attempt += 1) {
    try {
      response = await fetch(url, { signal, headers: { Accept: "application/json" }, credentials: "same-origin" });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiProblem(0, "network", t("error.network"));
    }
    const retryAfter = Number(response.headers.get("Retry-After"));
    if (response.status !== 503 || attempt >= BUSY_RETRIES || !(retryAfter > 0)) break;
    // Only a refusal for lack of capacity is worth asking again; a query over its budget is not.
    const refused = await response.clone().json().then((b) => b && b.error === "overloaded", () => false);
    if (!refused) break;
    await pause(Math.min(retryAfter, BUSY_WAIT_MAX_S), signal);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const code = body && body.error ? body.error : `http_${response.status}`;
    const message = body && body.message ? body.message : t("error.http", { status: response.status });
    throw new ApiProblem(response.status, code, message, body && body.argument);
  }
  return body;
}

// The page's own words for an error, by its stable code (and the argument it concerns when the
// catalogue has words for that); the server's English message only for codes the page does not know.
export function explain(problem) {
  const specific = problem.argument ? `error.${problem.code}.${problem.argument}` : "";
  if (specific && t.has(specific)) return t(specific);
  if (t.has(`error.${problem.code}`)) return t(`error.${problem.code}`);
  return problem.message ? t("error.other_with", { message: problem.message }) : t("error.other");
}

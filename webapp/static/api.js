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

export async function getJSON(path, params = null, { signal } = {}) {
  const url = params ? `${path}?${new URLSearchParams(params)}` : path;
  let response;
  try {
    response = await fetch(url, { signal, headers: { Accept: "application/json" }, credentials: "same-origin" });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiProblem(0, "network", t("error.network"));
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

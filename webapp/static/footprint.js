// "Add to my log": the one place the page talks to the footprint API (/api/footprint).
import { ApiProblem, getJSON } from "./api.js";
import { t } from "./i18n.js";

async function csrfToken() {
  const body = await getJSON("/api/footprint/csrf");
  return body.csrf_token;
}

// Send one option of a /api/plan answer to the log. Places are not kept unless asked for.
export async function addToLog(option, answer, { keepPlaces = false } = {}) {
  const token = await csrfToken();
  let response;
  try {
    response = await fetch("/api/footprint/trips", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": token },
      body: JSON.stringify({ option, factors: (answer.data && answer.data.factors) || {}, keep_places: keepPlaces }),
    });
  } catch {
    throw new ApiProblem(0, "network", t("error.network"));
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiProblem(response.status, (body && body.error) || "error", (body && body.message) || t("error.http", { status: response.status }), body && body.argument);
  }
  return body;
}

export function logProblemText(problem) {
  if (problem.status === 401 || problem.status === 403 || problem.code === "not_on" || problem.code === "log_off") {
    return t("log.not_on");
  }
  return t.has(`error.${problem.code}`) ? t(`error.${problem.code}`) : t("log.failed");
}

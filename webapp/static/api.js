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
    throw new ApiProblem(0, "network", "The server could not be reached. Check the connection and try again.");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const code = body && body.error ? body.error : `http_${response.status}`;
    const message = body && body.message ? body.message : `The server answered ${response.status}.`;
    throw new ApiProblem(response.status, code, message, body && body.argument);
  }
  return body;
}

// Plain-words lead for the error codes a person can meet while planning.
const LEADS = {
  outside_area: "This point is outside the area this server covers.",
  no_route: "No route was found for this trip.",
  same_origin_destination: "Start and destination are the same place.",
  invalid_coordinates: "This is not a valid place on the map.",
  invalid_parameter: "One of the choices is not valid.",
  timeout: "The search took too long; try again or change the time.",
  network: "",
};

export function explain(problem) {
  const lead = LEADS[problem.code];
  return lead ? `${lead} ${problem.message}` : problem.message;
}

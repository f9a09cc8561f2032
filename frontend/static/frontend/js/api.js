// The one way the pages talk to the server: JSON over /api/v1, with the CSRF token Django asks
// for on cookie-based writes. Errors come back as {status, detail, errors} for the page to show.

const BASE = "/api/v1/";

function cookie(name) {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
}

async function csrfToken() {
  let token = cookie("csrftoken");
  if (!token) {
    const response = await fetch(`${BASE}auth/csrf`, { credentials: "same-origin" });
    token = (await response.json()).csrftoken;
  }
  return token;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || `Request failed (${status})`);
    this.status = status;
    this.errors = body?.errors || {};
  }
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    headers["X-CSRFToken"] = await csrfToken();
  }
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

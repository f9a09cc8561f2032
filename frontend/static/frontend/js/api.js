// The one way the pages talk to the server: JSON over /api/v1, with the CSRF token Django asks
// for on cookie-based writes, read at the moment of sending (signing in rotates it). Errors come
// back as ApiError {status, detail, errors} for the page to show next to each field.

export const BASE = "/api/v1/";

export function cookie(name) {
  if (typeof document === "undefined") return null;
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
}

/** The CSRF token now: the cookie in a page, or the API's answer (a service worker has no cookies). */
export async function csrfToken({ fresh = false } = {}) {
  const token = fresh ? null : cookie("csrftoken");
  if (token) return token;
  const response = await fetch(`${BASE}auth/csrf`, { credentials: "same-origin", cache: "no-store" });
  return (await response.json()).csrftoken;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || `Request failed (${status})`);
    this.status = status;
    this.errors = body?.errors || {};
  }
}

/** Thrown when there is no connection and nothing saved to answer with. */
export class OfflineError extends Error {}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    headers["X-CSRFToken"] = await csrfToken();
  }
  let response;
  try {
    response = await fetch(`${BASE}${path}`, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new OfflineError("No connection.");
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  const cachedAt = response.headers.get("X-H2K-Cached-At");
  if (cachedAt && data && typeof data === "object") Object.defineProperty(data, "cachedAt", { value: cachedAt });
  return data;
}

/** One message per field, for forms: {"sets.2.reps": "..."} -> text. */
export function describe(error) {
  if (error instanceof OfflineError) return "No connection. Try again when you are online.";
  if (!(error instanceof ApiError)) return "Something went wrong. Try again.";
  const fields = Object.entries(error.errors).map(([field, message]) => `${field}: ${message}`);
  return fields.length ? `${error.message} (${fields.join("; ")})` : error.message;
}

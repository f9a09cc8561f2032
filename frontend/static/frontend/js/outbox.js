// The outbox: every session and check-in is first saved on this phone (IndexedDB, via the vendored
// `idb`), then sent with its client_id. The server answers a repeated client_id with the first
// copy, so a send repeated after a lost answer, a reload or a second tab is harmless.
//
// Entry: {client_id, owner (user id), kind, method, path, body, label, state, attempts, next_at,
//         created_at, synced_at, server_id, error}
// state: "pending" (on this phone), "auth" (waiting for the owner to sign in again),
//        "failed" (the server refused it for good: shown, never retried), "synced".
//
// Used by the pages and by the service worker's `sync` event (a module worker).
import { openDB } from "../vendor/idb-8.0.4/idb.js";
import { BASE, csrfToken } from "./api.js";

const DB_NAME = "hip2knee";
const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_DELAY_MS = 5 * 60 * 1000;

let dbPromise;
export function db() {
  dbPromise ||= openDB(DB_NAME, 1, {
    upgrade(database) {
      const outbox = database.createObjectStore("outbox", { keyPath: "client_id" });
      outbox.createIndex("owner", "owner");
      database.createObjectStore("drafts", { keyPath: "owner" });
    },
  });
  return dbPromise;
}

const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("h2k-outbox") : null;
const listeners = new Set();
function changed(detail) {
  listeners.forEach((fn) => fn(detail));
  channel?.postMessage(detail);
}
/** Calls `fn` whenever the outbox changes here, in another tab, or in the service worker. */
export function onChange(fn) {
  listeners.add(fn);
  if (channel) channel.addEventListener("message", (event) => fn(event.data));
}

export function newClientId() {
  return crypto.randomUUID();
}

export async function entries(owner) {
  const all = await (await db()).getAllFromIndex("outbox", "owner", owner);
  return all.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Saves a write on this phone; it is sent by the next flush. */
export async function enqueue({ owner, kind, method = "POST", path, body, label }) {
  const entry = {
    client_id: body.client_id || newClientId(),
    owner, kind, method, path, body, label,
    state: "pending", attempts: 0, next_at: 0,
    created_at: new Date().toISOString(), synced_at: null, server_id: null, error: null,
  };
  await (await db()).put("outbox", entry);
  changed({ type: "queued", client_id: entry.client_id });
  requestBackgroundSync();
  askForPersistentStorage();
  return entry;
}

export async function discard(clientId) {
  await (await db()).delete("outbox", clientId);
  changed({ type: "discarded", client_id: clientId });
}

function backoff(attempts, retryAfterSeconds) {
  if (retryAfterSeconds) return Math.min(retryAfterSeconds * 1000, MAX_DELAY_MS);
  const base = Math.min(2000 * 2 ** (attempts - 1), MAX_DELAY_MS);
  return base / 2 + Math.random() * (base / 2); // jitter, so phones do not return in step
}

function problem(body) {
  const fields = Object.entries(body?.errors || {}).map(([f, m]) => `${f}: ${m}`);
  const detail = body?.detail || "The server did not accept this.";
  return fields.length ? `${detail} (${fields.join("; ")})` : detail;
}

async function send(entry, token) {
  return fetch(`${BASE}${entry.path}`, {
    method: entry.method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
    body: JSON.stringify(entry.body),
  });
}

let flushing = null;
let queued = null; // the flush asked for while one was under way, run after it
let queuedForce = false;
/**
 * Sends what is due for `owner`, oldest first. Resolves to {sent, waiting, offline, needsSignIn}.
 * One flush at a time on this phone (a Web Lock); the server's idempotency covers the rest. Asked
 * while one is under way (which may have read the outbox before the entry just saved), it runs
 * once more after that one, so its answer covers everything saved before the call.
 */
export function flush(owner, { force = false } = {}) {
  if (owner == null) return Promise.resolve({ sent: 0, waiting: 0 });
  if (flushing) {
    queuedForce ||= force;
    queued ||= flushing.catch(() => null).then(() => {
      const again = queuedForce;
      queued = null;
      queuedForce = false;
      return flushing || flush(owner, { force: again });
    });
    return queued;
  }
  const run = async () => {
    const database = await db();
    const result = { sent: 0, waiting: 0, offline: false, needsSignIn: false };
    const now = Date.now();
    for (const entry of await entries(owner)) {
      if (entry.state === "synced" || entry.state === "failed") continue;
      if (result.offline || result.needsSignIn || (!force && entry.state === "pending" && entry.next_at > now)) {
        result.waiting += 1;
        continue;
      }
      let response;
      try {
        response = await send(entry, await csrfToken());
        if (response.status === 403) response = await send(entry, await csrfToken({ fresh: true }));
      } catch (error) {
        entry.attempts += 1;
        entry.next_at = Date.now() + backoff(entry.attempts);
        await database.put("outbox", entry);
        result.offline = true;
        result.waiting += 1;
        continue;
      }
      const body = await response.json().catch(() => null);
      if (response.ok) {
        Object.assign(entry, { state: "synced", synced_at: new Date().toISOString(), server_id: body?.id ?? null, error: null });
        result.sent += 1;
      } else if (response.status === 401 || response.status === 403) {
        Object.assign(entry, { state: "auth", error: "Sign in again to send this." });
        result.needsSignIn = true;
        result.waiting += 1;
      } else if (RETRYABLE.has(response.status)) {
        entry.attempts += 1;
        entry.next_at = Date.now() + backoff(entry.attempts, Number(response.headers.get("Retry-After")) || 0);
        entry.state = "pending";
        result.waiting += 1;
      } else {
        Object.assign(entry, { state: "failed", error: problem(body) });
      }
      await database.put("outbox", entry);
      changed({ type: entry.state, client_id: entry.client_id });
    }
    return result;
  };
  // one sender at a time across tabs and the worker (Web Locks), so nothing goes out twice at once
  const locks = typeof navigator !== "undefined" ? navigator.locks : null;
  flushing = (locks ? locks.request("h2k-outbox", run) : run()).finally(() => {
    flushing = null;
  });
  return flushing;
}

/** After signing in again: entries waiting for it become due at once. */
export async function resume(owner) {
  const database = await db();
  for (const entry of await entries(owner)) {
    if (entry.state === "auth") await database.put("outbox", { ...entry, state: "pending", next_at: 0, error: null });
  }
}

/** Sign-out: the synced entries go, with every cached API answer; what has not reached the
 * server stays, tied to its owner, and is shown and sent only to them. */
export async function forgetSynced() {
  const database = await db();
  const tx = database.transaction("outbox", "readwrite");
  for (const entry of await tx.store.getAll()) if (entry.state === "synced") await tx.store.delete(entry.client_id);
  await tx.done;
  if (typeof caches !== "undefined") await caches.delete("h2k-api");
  changed({ type: "forgotten" });
}

export async function getDraft(owner) {
  return (await db()).get("drafts", owner);
}
export async function putDraft(draft) {
  await (await db()).put("drafts", draft);
}
export async function dropDraft(owner) {
  await (await db()).delete("drafts", owner);
}

/** For the service worker's `sync` event: sends as whoever is signed in now, if anyone. */
export async function flushAsSignedIn() {
  const response = await fetch(`${BASE}auth/me`, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) return { sent: 0, waiting: 0 };
  const me = await response.json();
  const result = await flush(me.id);
  if (result.offline) throw new Error("still offline"); // the browser retries the sync later
  return result;
}

function requestBackgroundSync() {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready
    .then((registration) => registration.sync?.register("h2k-outbox"))
    .catch(() => {}); // no Background Sync (Safari, Firefox): `online` and page start still flush
}

let askedForStorage = false;
function askForPersistentStorage() {
  if (askedForStorage || typeof navigator === "undefined" || !navigator.storage?.persist) return;
  askedForStorage = true;
  navigator.storage.persisted().then((yes) => yes || navigator.storage.persist()).catch(() => {});
}

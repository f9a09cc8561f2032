// Hip2Knee's service worker (a module worker), served at /serviceworker.js by django-pwa
// (PWA_SERVICE_WORKER_PATH):
// - the app shell: the vocabulary (GET /api/v1/vocabulary: the pages' shared words and limits,
//   and the page table) and every page it marks offline are precached at install, with the
//   static files those pages load, found in the pages themselves (so the list always matches
//   what the templates link, hashed names included); old caches are dropped on activate;
// - navigations and the vocabulary: network first, the shell's copy when offline (the vocabulary
//   is the same for everyone, so it stays when a sign-out clears the user's answers);
// - /static/: from the cache, refreshed in the background (cached on first use as well);
// - API reads: network first, the last answer when offline (marked X-H2K-Cached-At); a 401 or a
//   sign-out deletes them all, so the next person on a shared phone sees nothing;
// - the outbox: sent on the `sync` event; pushes shown with the buttons their payload names
//   (Log now / Snooze, or none but the check-in while a red flag is up); a tap on Snooze
//   snoozes from here, and only when that cannot be sent does the page open and ask.
import { BASE, csrfToken } from "./static/frontend/js/api.js";
import { safeNext } from "./static/frontend/js/links.js";
import { flushAsSignedIn } from "./static/frontend/js/outbox.js";

const VERSION = "v3";
const SHELL_CACHE = `h2k-shell-${VERSION}`;
const STATIC_CACHE = `h2k-static-${VERSION}`;
const API_CACHE = "h2k-api";
const VOCABULARY = "/api/v1/vocabulary";
const NEVER_CACHED_API = ["/api/v1/auth/csrf", "/api/v1/auth/login", "/api/v1/auth/signup", "/api/v1/export", "/api/v1/report/shared/"];

/** The paths of the pages kept for offline use, from the shell's copy of the vocabulary. */
async function offlinePages() {
  const answer = await (await caches.open(SHELL_CACHE)).match(VOCABULARY);
  const { pages = [] } = answer ? await answer.json() : {};
  return pages.filter((p) => p.offline).map((p) => p.path);
}

/** The /static/ URLs a page loads: its stylesheets, scripts and modulepreloads. */
function staticUrls(html) {
  const found = new Set();
  for (const match of html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)) found.add(match[1]);
  return [...found];
}

/** The modules those modules import (relative imports, static or `import("...")` on demand), so a
 * page works offline on first visit. */
async function withImports(urls, cache) {
  const seen = new Set();
  const queue = [...urls];
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const response = await fetch(url);
    if (!response.ok) continue;
    await cache.put(url, response.clone());
    if (!url.endsWith(".js")) continue;
    const text = await response.text();
    for (const match of text.matchAll(/(?:import\s*\(?|from)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      queue.push(new URL(match[1], self.location.origin + url).pathname);
    }
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL_CACHE);
      const vocabulary = await fetch(VOCABULARY);
      if (!vocabulary.ok) throw new Error(`No vocabulary (${vocabulary.status}): the shell waits for the next try`);
      await shell.put(VOCABULARY, vocabulary);
      const statics = new Set(["/static/frontend/icons/icon-192.png", "/static/frontend/icons/icon-512.png"]);
      for (const page of await offlinePages()) {
        const response = await fetch(page, { credentials: "same-origin" });
        if (!response.ok) continue;
        await shell.put(page, response.clone());
        staticUrls(await response.text()).forEach((url) => statics.add(url));
      }
      await withImports([...statics], await caches.open(STATIC_CACHE));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  const keep = new Set([SHELL_CACHE, STATIC_CACHE, API_CACHE]);
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => !keep.has(n)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

async function page(request) {
  const path = new URL(request.url).pathname;
  try {
    const response = await fetch(request);
    if (response.ok && (await offlinePages()).includes(path)) (await caches.open(SHELL_CACHE)).put(path, response.clone());
    return response;
  } catch (error) {
    const cache = await caches.open(SHELL_CACHE);
    return (await cache.match(path)) || (await cache.match("/")) || Response.error();
  }
}

/** The vocabulary: network first (the shell keeps the newest copy), the shell's copy offline. */
async function vocabularyRead(request) {
  const shell = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await shell.put(VOCABULARY, response.clone());
    return response;
  } catch (error) {
    const cached = await shell.match(VOCABULARY);
    if (!cached) throw error;
    return markCached(cached);
  }
}

/** A kept answer, marked as such for the page (X-H2K-Cached-At: when the server sent it). */
function markCached(cached) {
  const headers = new Headers(cached.headers);
  headers.set("X-H2K-Cached-At", headers.get("Date") || new Date().toUTCString());
  return new Response(cached.body, { status: cached.status, headers });
}

async function staticFile(request, event) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(request);
  const refresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => null));
    return cached;
  }
  return refresh;
}

async function apiRead(request) {
  const cache = await caches.open(API_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    else if (response.status === 401) await caches.delete(API_CACHE); // signed out elsewhere
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (!cached) throw error;
    return markCached(cached);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request, event));
  } else if (url.pathname === VOCABULARY) {
    event.respondWith(vocabularyRead(request));
  } else if (url.pathname.startsWith("/api/v1/") && !NEVER_CACHED_API.some((p) => url.pathname.startsWith(p))) {
    event.respondWith(apiRead(request));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "h2k-outbox") return;
  event.waitUntil(
    flushAsSignedIn().then(() =>
      self.clients.matchAll({ type: "window" }).then((windows) => windows.forEach((w) => w.postMessage({ type: "outbox" }))),
    ),
  );
});

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  const snooze = (data.actions || []).find((a) => a.action === "snooze");
  event.waitUntil(
    self.registration.showNotification(data.title || "Hip2Knee", {
      body: data.body || "",
      tag: data.tag, // the same tag for the same slot: a repeat replaces, never adds
      icon: "/static/frontend/icons/icon-192.png",
      badge: "/static/frontend/icons/icon-192.png",
      data: { url: data.url || "/", reminder: snooze ? snooze.reminder : null },
      // the server decides the buttons: no "Log now" while a red flag is up
      actions: (data.actions || []).map(({ action, title }) => ({ action, title })),
    }),
  );
});

/** Where a tap on a notification goes: Snooze (when it could not be sent from here) opens
 * /reminders?snooze=<id>, which asks; anything else the payload's url (this origin only). */
export function clickTarget(data, action) {
  const { url, reminder } = data || {};
  if (action === "snooze" && reminder) return `/reminders?snooze=${encodeURIComponent(reminder)}`;
  return safeNext(url, "/", self.location.origin);
}

/** The notification's Snooze, sent at once: the tap on the action is the user's answer. False
 * when it was not done (offline, signed out, or the reminder is off: a snooze never turns one
 * on), and the page asks instead. */
export async function snoozeNow(reminder) {
  try {
    const response = await fetch(`${BASE}reminders/${encodeURIComponent(reminder)}/snooze`, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": await csrfToken() },
      body: "{}",
    });
    return response.ok;
  } catch (error) {
    return false;
  }
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  event.waitUntil(
    (async () => {
      if (event.action === "snooze" && data.reminder && (await snoozeNow(data.reminder))) return;
      const target = clickTarget(data, event.action);
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) return open.navigate(target).then((w) => (w || open).focus());
      return self.clients.openWindow(target);
    })(),
  );
});

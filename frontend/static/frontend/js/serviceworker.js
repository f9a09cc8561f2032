// Hip2Knee's service worker: the app shell offline, static files cached on first use, and
// reminder notifications. Served at /serviceworker.js by django-pwa (PWA_SERVICE_WORKER_PATH).
//
// API answers are not cached here yet: they hold a user's data, and caching them needs the
// sign-out that clears them (the PWA issue), so a shared phone never shows one user's log to another.

const VERSION = "v1";
const SHELL_CACHE = `h2k-shell-${VERSION}`;
const STATIC_CACHE = `h2k-static-${VERSION}`;
const SHELL = [
  "/",
  "/checkin/morning",
  "/static/frontend/css/app.css",
  "/static/frontend/js/register.js",
  "/static/frontend/js/api.js",
  "/static/frontend/js/morning.js",
  "/static/frontend/icons/icon-192.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  const keep = new Set([SHELL_CACHE, STATIC_CACHE]);
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => !keep.has(n)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

async function pageFromNetworkOrCache(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(SHELL_CACHE);
      cache.put(new URL(request.url).pathname, response.clone());
    }
    return response;
  } catch (error) {
    const path = new URL(request.url).pathname;
    return (await caches.match(path)) || (await caches.match("/")) || Response.error();
  }
}

async function staticFromCacheOrNetwork(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(STATIC_CACHE)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(pageFromNetworkOrCache(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFromCacheOrNetwork(request));
  }
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
      actions: [
        { action: "log", title: "Log now" },
        { action: "snooze", title: "Snooze" },
      ],
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const { url, reminder } = event.notification.data || {};
  const target =
    event.action === "snooze" && reminder ? `/reminders?snooze=${encodeURIComponent(reminder)}` : url || "/";
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) return open.navigate(target).then((w) => (w || open).focus());
      return self.clients.openWindow(target);
    }),
  );
});

// Service worker placeholder until the PWA issue: it installs and takes control, caching nothing yet.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

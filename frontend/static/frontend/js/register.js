// Registers the service worker from a module (django-pwa's tag would put an inline script in the
// page, which the Content-Security-Policy forbids). The worker is a module worker: it imports the
// outbox to send saved writes on the `sync` event.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/serviceworker.js", { scope: "/", type: "module" }).catch((error) => {
    console.warn("Hip2Knee works without its service worker, but not offline:", error);
  });
}

"""The PWA: pages, static ES modules, icons, manifest and service worker (django-pwa)."""

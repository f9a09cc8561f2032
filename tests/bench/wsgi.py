"""WSGI entry point for the load test: the app plus the bench's floor view."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
application = get_wsgi_application()

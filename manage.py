#!/usr/bin/env python
"""Django's command-line utility for Hip2Knee."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] == ["run"]:
        # `make run` is the laptop default: DEBUG on (and a key generated into var/) unless the
        # environment says otherwise, set before the settings load, which need a SECRET_KEY
        # when it is off.
        os.environ.setdefault("DEBUG", "1")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings now, to report what is missing
    except ImproperlyConfigured as exc:
        sys.exit(f"Hip2Knee cannot start: {exc}")  # one line that says what to set, no traceback
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

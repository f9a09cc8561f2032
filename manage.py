#!/usr/bin/env python
"""Django's command-line utility for Hip2Knee."""

import os
import sys

# The laptop's commands: `make run` and what the README runs beside it in another terminal.
LAPTOP_COMMANDS = ("run", "seed_demo", "createsuperuser")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] and sys.argv[1] in LAPTOP_COMMANDS:
        # the laptop default: DEBUG on (and the key generated into var/, the one `make run`
        # uses) unless the environment says otherwise, set before the settings load, which need
        # a SECRET_KEY when it is off
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

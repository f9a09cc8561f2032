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
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

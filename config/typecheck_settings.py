"""The settings mypy's Django plugin imports (``[tool.django-stubs]`` in pyproject.toml).

They are the real settings, given a placeholder ``SECRET_KEY`` when none is set: with DEBUG off
the settings refuse to load without one, and ``make lint`` runs with no environment. The plugin
only learns the installed apps and their models from them; nothing is served or signed with it.
"""

import os

os.environ.setdefault("SECRET_KEY", "type-checking-only-never-used-to-sign-anything")

from config.settings import *  # noqa: F403

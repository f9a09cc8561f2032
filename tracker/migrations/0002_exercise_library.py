"""Loads the exercise library and the two starter routines (tracker/library.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from tracker.library import sync_library

    sync_library(
        apps.get_model("tracker", "Exercise"),
        apps.get_model("tracker", "Routine"),
        apps.get_model("tracker", "RoutineItem"),
    )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""The bulletproofing starter's warm-up rolls the glutes and thighs for the library's own dose,
60 s each side, as the exercise library says (migration 0008's frozen warm-up had 30 s).

Only the starter itself changes: a routine a person copied from it is theirs and keeps what
they saved. Frozen values, so a fresh ``migrate`` never depends on today's library.
"""

from django.db import migrations

BULLETPROOFING = "Hip-to-Knee bulletproofing"
FOAM_ROLLING = "foam-rolling"
SECONDS_BEFORE = 30
SECONDS_AFTER = 60


def _set_seconds(apps, seconds_from, seconds_to):
    RoutineItem = apps.get_model("tracker", "RoutineItem")
    RoutineItem.objects.filter(
        routine__name=BULLETPROOFING,
        routine__starter=True,
        routine__user=None,
        exercise_id=FOAM_ROLLING,
        target=seconds_from,
    ).update(target=seconds_to)


def forwards(apps, schema_editor):
    _set_seconds(apps, SECONDS_BEFORE, SECONDS_AFTER)


def backwards(apps, schema_editor):
    _set_seconds(apps, SECONDS_AFTER, SECONDS_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0015_checkin_red_flags_at"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

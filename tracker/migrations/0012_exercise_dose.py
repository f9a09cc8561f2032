"""Each exercise keeps its own dose beyond sets and target: the tempo of a rep (empty for holds),
the rest between sets (45-90 s for strength, shorter for mobility; none between the two sides
of one set) and, where a band is used, the band to start with.

The doses are a frozen copy of tracker/library.py as it stood when this migration was written,
set on the library rows an existing database already has; later edits reach a database through
``manage.py load_library``.
"""

from django.db import migrations, models

# slug -> (tempo, rest_seconds, starting_band: empty where no band is used)
DOSES = {
    "glute-bridge": ("2 s up, hold 2 s, 3 s down", 60, ""),
    "single-leg-bridge": ("2 s up, hold 2 s, 3 s down", 60, ""),
    "side-lying-leg-raise": ("2 s up, hold 1 s, 3 s down", 45, ""),
    "clamshell": ("2 s open, hold 1 s, 3 s close", 45, ""),
    "banded-clamshell": ("2 s open, hold 1 s, 3 s close", 45, "yellow"),
    "lateral-band-walk": ("Slow steps, about 1 s each; the band stays taut", 60, "yellow"),
    "supported-squat": ("3 s down, 2 s up", 90, ""),
    "single-leg-rdl": ("3 s down, 2 s up", 60, ""),
    "kickstand-rdl": ("3 s down, 2 s up", 60, ""),
    "single-leg-squat": ("3 s down, 2 s up", 90, ""),
    "lateral-lunge": ("3 s down, 2 s up", 60, ""),
    "hip-flexor-stretch": ("", 20, ""),
    "hip-90-90": ("3 s each way", 20, ""),
    "figure-four-stretch": ("", 20, ""),
    "modified-pigeon": ("", 20, ""),
    "foam-rolling": ("", 0, ""),
}


def set_doses(apps, schema_editor):
    Exercise = apps.get_model("tracker", "Exercise")
    for slug, (tempo, rest_seconds, starting_band) in DOSES.items():
        Exercise.objects.filter(slug=slug).update(
            tempo=tempo, rest_seconds=rest_seconds, starting_band=starting_band
        )


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0011_push_subscription_failures'),
    ]

    operations = [
        migrations.AddField(
            model_name='exercise',
            name='rest_seconds',
            field=models.PositiveSmallIntegerField(default=60, help_text='Rest between sets; none between the two sides of one set.'),
        ),
        migrations.AddField(
            model_name='exercise',
            name='starting_band',
            field=models.CharField(blank=True, choices=[('yellow', 'yellow'), ('red', 'red'), ('green', 'green'), ('blue', 'blue'), ('black', 'black')], default='', help_text='The band to start with, where a band is used (empty where none is).', max_length=10),
        ),
        migrations.AddField(
            model_name='exercise',
            name='tempo',
            field=models.CharField(blank=True, default='', help_text='How a rep is paced; empty for holds.', max_length=80),
        ),
        migrations.AddConstraint(
            model_name='exercise',
            constraint=models.CheckConstraint(condition=models.Q(('rest_seconds__lte', 300)), name='exercise_rest_seconds'),
        ),
        migrations.AddConstraint(
            model_name='exercise',
            constraint=models.CheckConstraint(condition=models.Q(('starting_band', ''), ('starting_band__in', ('yellow', 'red', 'green', 'blue', 'black')), _connector='OR'), name='exercise_starting_band'),
        ),
        migrations.RunPython(set_doses, migrations.RunPython.noop),
    ]

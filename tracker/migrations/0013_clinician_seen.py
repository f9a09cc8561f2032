"""The person's word that a clinician has seen the knee and they may exercise: when, on which
local day, and the client_id that makes sending it again change nothing."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0012_exercise_dose'),
    ]

    operations = [
        migrations.AddField(
            model_name='profile',
            name='clinician_seen_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='profile',
            name='clinician_seen_client_id',
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='profile',
            name='clinician_seen_on',
            field=models.DateField(blank=True, help_text='Their local date.', null=True),
        ),
    ]

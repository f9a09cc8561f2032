"""When a red flag was last reported in a check-in: a confirmation that a clinician has seen the
knee clears the red flags reported before it, and a later save of the same day's check-in that
reports none must not raise them again. A check-in saved before this with a red flag takes its
last save as that moment (the rule read the last save until now)."""

from django.db import migrations, models
from django.db.models import F


def from_last_save(apps, schema_editor):
    CheckIn = apps.get_model("tracker", "CheckIn")
    CheckIn.objects.exclude(red_flags=[]).update(red_flags_at=F("updated_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0014_report_share_weeks'),
    ]

    operations = [
        migrations.AddField(
            model_name='checkin',
            name='red_flags_at',
            field=models.DateTimeField(blank=True, help_text='When a red flag was last added to this check-in.', null=True),
        ),
        migrations.RunPython(from_last_save, migrations.RunPython.noop),
    ]

"""When a red flag was last added to a check-in: a confirmation that a clinician has seen the
knee clears the red flags reported before it, and a later save of the same day's check-in that
adds none must not raise them again. Check-ins saved before this have none, and the rule reads
their last save instead (``rules.safety``), as it did."""

from django.db import migrations, models


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
    ]

"""Browser sessions marked with their user (tracker.browser_sessions is the session engine), so
all of one person's sessions can be ended at once. The live sessions in Django's own table are
carried over, each marked with its user, so nobody is signed out by the upgrade."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def carry_over(apps, schema_editor):
    """Django's database sessions, still live, into the new table (same key, same data: the
    engine is Django's with a user column, so it reads them as they are)."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("tracker", "BrowserSession")
    store = SessionStore()
    for old in Old.objects.filter(expire_date__gt=timezone.now()).iterator():
        user_id = store.decode(old.session_data).get(SESSION_KEY)
        New.objects.create(
            session_key=old.session_key,
            session_data=old.session_data,
            expire_date=old.expire_date,
            user_id=int(user_id) if str(user_id or "").isdigit() else None,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0008_routine_warmup_band_versions'),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='BrowserSession',
            fields=[
                ('session_key', models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name='session key')),
                ('session_data', models.TextField(verbose_name='session data')),
                ('expire_date', models.DateTimeField(db_index=True, verbose_name='expire date')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='browser_sessions', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'session',
                'verbose_name_plural': 'sessions',
                'abstract': False,
            },
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
    ]

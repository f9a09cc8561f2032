"""Each profile counts the changes to its user's sessions (with their sets) and check-ins.

The read answers kept in the cache (tracker/api/answers.py) are keyed on these counts, so the
database itself raises them, in the statement that changes the rows: no writer can forget (the
services, the admin, an import, a fix made in SQL), and a write costs no extra round trip.
PostgreSQL raises them once per statement (a session's sets are one INSERT); SQLite, which has no
statement triggers, once per row.
"""

from django.db import migrations, models

# (table, version, how a changed row names its user)
WATCHED = [
    ("tracker_workoutsession", "sessions_version", "user_id"),
    ("tracker_sessionset", "sessions_version", "session_id"),
    ("tracker_checkin", "checkins_version", "user_id"),
]


def _users_of(rows: str, via: str) -> str:
    if via == "user_id":
        return f"SELECT user_id FROM {rows}"
    return (
        f"SELECT s.user_id FROM tracker_workoutsession s WHERE s.id IN (SELECT session_id FROM {rows})"
    )


def _postgresql(table: str, version: str, via: str) -> tuple[list[str], list[str]]:
    function = f"{table}_touched"
    create = [
        f"""
        CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE tracker_profile SET {version} = {version} + 1
             WHERE user_id IN ({_users_of("changed", via)});
            RETURN NULL;
        END
        $$
        """
    ]
    drop = []
    for event, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        trigger = f"{table}_{event.lower()}_touches"
        create.append(
            f"CREATE TRIGGER {trigger} AFTER {event} ON {table} REFERENCING {rows} TABLE AS "
            f"changed FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    drop.append(f"DROP FUNCTION IF EXISTS {function}()")
    return create, drop


def _sqlite(table: str, version: str, via: str) -> tuple[list[str], list[str]]:
    create, drop = [], []
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        trigger = f"{table}_{event.lower()}_touches"
        if via == "user_id":
            user = f"{row}.user_id"
        else:
            user = f"(SELECT user_id FROM tracker_workoutsession WHERE id = {row}.session_id)"
        create.append(
            f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW BEGIN "
            f"UPDATE tracker_profile SET {version} = {version} + 1 WHERE user_id = {user}; END"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {trigger}")
    return create, drop


def _statements(vendor: str, *, forwards: bool) -> list[str]:
    make = {"postgresql": _postgresql, "sqlite": _sqlite}[vendor]
    out: list[str] = []
    for table, version, via in WATCHED:
        create, drop = make(table, version, via)
        out.extend(create if forwards else drop)
    return out


def add_triggers(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, forwards=True):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, forwards=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('tracker', '0005_profile_history_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='profile',
            name='checkins_version',
            field=models.PositiveIntegerField(default=0, editable=False, help_text="Raised by the database on any change to the user's check-ins (migration 0006's triggers): keys the read answers cached."),
        ),
        migrations.AddField(
            model_name='profile',
            name='sessions_version',
            field=models.PositiveIntegerField(default=0, editable=False, help_text="Raised by the database on any change to the user's sessions or their sets (migration 0006's triggers): keys the read answers cached."),
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]

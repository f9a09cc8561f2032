"""The counts the kept answers are keyed on move to a table of their own that only the database
writes, and progress keeps no history of its own (it reads its history summed by the database).

Triggers raise ``tracker_dataversion.sessions`` on any change to a user's sessions or their
sets and ``.checkins`` on any change to their check-ins, in the statement that changes the rows:
PostgreSQL once per statement (a session's sets are one INSERT), SQLite, which has no statement
triggers, once per row. A trigger on the user table creates each user's row. Profiles no longer
carry the counts, so saving a profile read earlier can never write an older count back.
"""

import importlib

from django.db import migrations, models
import django.db.models.deletion

# (table, count, how a changed row names its user)
WATCHED = [
    ("tracker_workoutsession", "sessions", "user_id"),
    ("tracker_sessionset", "sessions", "session_id"),
    ("tracker_checkin", "checkins", "user_id"),
]
EVENTS = (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
# An update counts for the rows' owners before and after (the admin can give a row to another user).
EVENTS_PG = (
    ("INSERT", (("NEW", "added"),)),
    ("UPDATE", (("OLD", "before"), ("NEW", "after"))),
    ("DELETE", (("OLD", "removed"),)),
)


def _users_of(rows: str, via: str) -> str:
    if via == "user_id":
        return f"SELECT user_id FROM {rows}"
    return f"SELECT s.user_id FROM tracker_workoutsession s WHERE s.id IN (SELECT session_id FROM {rows})"


def _postgresql() -> tuple[list[str], list[str]]:
    create, drop = [], []
    for table, count, via in WATCHED:
        for event, tables in EVENTS_PG:
            function = f"{table}_{event.lower()}_counts"
            users = " UNION ".join(_users_of(rows, via) for _, rows in tables)
            create.append(
                f"""
                CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE tracker_dataversion SET {count} = {count} + 1
                     WHERE user_id IN ({users});
                    RETURN NULL;
                END
                $$
                """
            )
            referencing = " ".join(f"{kind} TABLE AS {rows}" for kind, rows in tables)
            create.append(
                f"CREATE TRIGGER {function} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {function} ON {table}")
            drop.append(f"DROP FUNCTION IF EXISTS {function}()")
    create += [
        """
        CREATE FUNCTION tracker_user_dataversion() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO tracker_dataversion (user_id, sessions, checkins)
            SELECT id, 0, 0 FROM created ON CONFLICT (user_id) DO NOTHING;
            RETURN NULL;
        END
        $$
        """,
        "CREATE TRIGGER tracker_user_insert_dataversion AFTER INSERT ON tracker_user "
        "REFERENCING NEW TABLE AS created FOR EACH STATEMENT "
        "EXECUTE FUNCTION tracker_user_dataversion()",
    ]
    drop += [
        "DROP TRIGGER IF EXISTS tracker_user_insert_dataversion ON tracker_user",
        "DROP FUNCTION IF EXISTS tracker_user_dataversion()",
    ]
    return create, drop


def _sqlite() -> tuple[list[str], list[str]]:
    create, drop = [], []
    for table, count, via in WATCHED:
        for event, row in EVENTS:
            trigger = f"{table}_{event.lower()}_counts"
            rows = ("OLD", "NEW") if event == "UPDATE" else (row,)
            if via == "user_id":
                users = ", ".join(f"{r}.user_id" for r in rows)
            else:
                users = ", ".join(
                    f"(SELECT user_id FROM tracker_workoutsession WHERE id = {r}.session_id)"
                    for r in rows
                )
            create.append(
                f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW BEGIN "
                f"UPDATE tracker_dataversion SET {count} = {count} + 1 WHERE user_id IN ({users}); END"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {trigger}")
    create.append(
        "CREATE TRIGGER tracker_user_insert_dataversion AFTER INSERT ON tracker_user "
        "FOR EACH ROW BEGIN INSERT OR IGNORE INTO tracker_dataversion (user_id, sessions, "
        "checkins) VALUES (NEW.id, 0, 0); END"
    )
    drop.append("DROP TRIGGER IF EXISTS tracker_user_insert_dataversion")
    return create, drop


def _migration_0006():
    """Migration 0006, whose triggers raised the counts on the profile (dropped here, and made
    again when this migration is unapplied)."""
    return importlib.import_module("tracker.migrations.0006_profile_data_versions")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in _migration_0006()._statements(vendor, forwards=False):
        schema_editor.execute(sql)
    Profile = apps.get_model("tracker", "Profile")
    DataVersion = apps.get_model("tracker", "DataVersion")
    DataVersion.objects.bulk_create(
        DataVersion(user_id=user_id, sessions=sessions, checkins=checkins)
        for user_id, sessions, checkins in Profile.objects.values_list(
            "user_id", "sessions_version", "checkins_version"
        )
    )
    User = apps.get_model("tracker", "User")
    DataVersion.objects.bulk_create(
        DataVersion(user_id=pk)
        for pk in User.objects.exclude(data_version__isnull=False).values_list("pk", flat=True)
    )
    create, _ = {"postgresql": _postgresql, "sqlite": _sqlite}[vendor]()
    for sql in create:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    Profile = apps.get_model("tracker", "Profile")
    DataVersion = apps.get_model("tracker", "DataVersion")
    for user_id, sessions, checkins in DataVersion.objects.values_list(
        "user_id", "sessions", "checkins"
    ):
        Profile.objects.filter(user_id=user_id).update(
            sessions_version=sessions, checkins_version=checkins
        )
    _, drop = {"postgresql": _postgresql, "sqlite": _sqlite}[vendor]()
    for sql in [*drop, *_migration_0006()._statements(vendor, forwards=True)]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0006_profile_data_versions"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="data_version",
                        serialize=False,
                        to="tracker.user",
                    ),
                ),
                ("sessions", models.PositiveBigIntegerField(default=0, editable=False)),
                ("checkins", models.PositiveBigIntegerField(default=0, editable=False)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="profile", name="history_version"),
        migrations.RemoveField(model_name="profile", name="sessions_version"),
        migrations.RemoveField(model_name="profile", name="checkins_version"),
    ]

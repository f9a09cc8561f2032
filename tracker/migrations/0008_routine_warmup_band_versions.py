"""Routines shape the advice: a routine item can belong to the warm-up block and can carry the band
to use next; the bulletproofing starter gets its warm-up; and a count of each user's routine
changes joins the counts the kept answers are keyed on (the suggestions read the routine).

The warm-up (foam rolling before any stretching, then hip mobility and glute activation, as the
programme's guidance says: Collins et al. 2018) is a frozen copy of tracker/library.py's starter
as it stood when this migration was written, so a fresh ``migrate`` never depends on today's
library. Triggers raise ``tracker_dataversion.routines`` on any change to a user's routines or
their items, as migration 0007's do for sessions and check-ins: PostgreSQL once per statement,
SQLite once per row.
"""

from django.db import migrations, models

BULLETPROOFING = "Hip-to-Knee bulletproofing"
# (exercise, sets, target, per_side, warm-up)
BULLETPROOFING_BEFORE = [
    ("glute-bridge", 3, 10, False, False),
    ("single-leg-rdl", 3, 10, True, False),
    ("lateral-band-walk", 2, 20, False, False),
    ("single-leg-squat", 3, 8, True, False),
    ("hip-flexor-stretch", 2, 30, True, False),
    ("hip-90-90", 2, 10, True, False),
]
BULLETPROOFING_AFTER = [
    ("foam-rolling", 1, 30, True, True),
    ("hip-90-90", 2, 10, True, True),
    ("clamshell", 1, 10, True, True),
    ("glute-bridge", 3, 10, False, False),
    ("single-leg-rdl", 3, 10, True, False),
    ("lateral-band-walk", 2, 20, False, False),
    ("single-leg-squat", 3, 8, True, False),
    ("hip-flexor-stretch", 2, 30, True, False),
]

# (table, how a changed row names its user)
WATCHED = [
    ("tracker_routine", "user_id"),
    ("tracker_routineitem", "routine_id"),
]
EVENTS = (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",)))
EVENTS_PG = (
    ("INSERT", (("NEW", "added"),)),
    ("UPDATE", (("OLD", "before"), ("NEW", "after"))),
    ("DELETE", (("OLD", "removed"),)),
)


def _set_items(apps, items):
    Routine = apps.get_model("tracker", "Routine")
    RoutineItem = apps.get_model("tracker", "RoutineItem")
    Exercise = apps.get_model("tracker", "Exercise")
    routine = Routine.objects.filter(name=BULLETPROOFING, starter=True, user=None).first()
    needed = {slug for slug, *_ in items}
    if routine is None or Exercise.objects.filter(slug__in=needed).count() < len(needed):
        return  # a database without the library: load_library brings it in whole
    RoutineItem.objects.filter(routine_id=routine.pk).delete()
    RoutineItem.objects.bulk_create(
        RoutineItem(
            routine_id=routine.pk,
            position=position,
            exercise_id=slug,
            sets=sets,
            target=target,
            per_side=per_side,
            warmup=warmup,
        )
        for position, (slug, sets, target, per_side, warmup) in enumerate(items)
    )


def _postgresql():
    create, drop = [], []
    for table, via in WATCHED:
        for event, tables in EVENTS_PG:
            function = f"{table}_{event.lower()}_routine_counts"
            if via == "user_id":
                users = " UNION ".join(f"SELECT user_id FROM {rows}" for _, rows in tables)
            else:
                users = " UNION ".join(
                    "SELECT r.user_id FROM tracker_routine r "
                    f"WHERE r.id IN (SELECT routine_id FROM {rows})"
                    for _, rows in tables
                )
            create.append(
                f"""
                CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE tracker_dataversion SET routines = routines + 1
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
    return create, drop


def _sqlite():
    create, drop = [], []
    for table, via in WATCHED:
        for event, rows in EVENTS:
            trigger = f"{table}_{event.lower()}_routine_counts"
            if via == "user_id":
                users = ", ".join(f"{r}.user_id" for r in rows)
            else:
                users = ", ".join(
                    f"(SELECT user_id FROM tracker_routine WHERE id = {r}.routine_id)" for r in rows
                )
            create.append(
                f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW BEGIN "
                "UPDATE tracker_dataversion SET routines = routines + 1 "
                f"WHERE user_id IN ({users}); END"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {trigger}")
    return create, drop


def add_count(apps, schema_editor):
    schema_editor.execute(
        'ALTER TABLE "tracker_dataversion" ADD COLUMN "routines" bigint NOT NULL DEFAULT 0 '
        'CHECK ("routines" >= 0)'
    )


def drop_count(apps, schema_editor):
    schema_editor.execute('ALTER TABLE "tracker_dataversion" DROP COLUMN "routines"')


def forwards(apps, schema_editor):
    create, _ = {"postgresql": _postgresql, "sqlite": _sqlite}[schema_editor.connection.vendor]()
    for sql in create:
        schema_editor.execute(sql)
    _set_items(apps, BULLETPROOFING_AFTER)


def backwards(apps, schema_editor):
    _set_items(apps, BULLETPROOFING_BEFORE)
    _, drop = {"postgresql": _postgresql, "sqlite": _sqlite}[schema_editor.connection.vendor]()
    for sql in drop:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0007_data_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="routineitem",
            name="warmup",
            field=models.BooleanField(default=False, help_text="Part of the warm-up, done first."),
        ),
        migrations.AddField(
            model_name="routineitem",
            name="band",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[(1, "yellow"), (2, "red"), (3, "green"), (4, "blue"), (5, "black")],
                help_text="The band to use (Log prefills it), lightest (1) to heaviest (5).",
                null=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="routineitem",
            constraint=models.CheckConstraint(
                condition=models.Q(band__isnull=True)
                | (models.Q(band__gte=1) & models.Q(band__lte=5)),
                name="routine_item_band_level",
            ),
        ),
        # Added in place: SQLite would rebuild the table, which 0007's triggers name.
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_count, drop_count)],
            state_operations=[
                migrations.AddField(
                    model_name="dataversion",
                    name="routines",
                    field=models.PositiveBigIntegerField(db_default=0, editable=False),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]

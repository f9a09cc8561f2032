from django.apps import AppConfig
from django.db.backends.signals import connection_created


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Hip2Knee tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tracker.busy import sqlite_features_without_the_lock

        connection_created.connect(sqlite_features_without_the_lock)

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Hip2Knee tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tracker import logfilters
        from tracker.busy import sqlite_features_without_the_lock

        logfilters.install()  # no token of a link in any access log
        connection_created.connect(sqlite_features_without_the_lock)

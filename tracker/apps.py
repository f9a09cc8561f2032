from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Hip2Knee tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tracker import logfilters

        logfilters.install()  # no token of a link in any access log

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Hip2Knee tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tracker.models import Exercise
        from tracker.selectors.library import exercise_facts_forget

        def forget(**_: object) -> None:
            exercise_facts_forget()

        post_save.connect(forget, sender=Exercise, weak=False, dispatch_uid="exercise-facts")
        post_delete.connect(forget, sender=Exercise, weak=False, dispatch_uid="exercise-facts-d")

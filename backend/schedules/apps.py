from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    """Schedules: cron expressions and fixed rates that start ordinary executions."""

    name = "backend.schedules"
    label = "schedules"
    verbose_name = "Schedules"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from backend.schedules.beat import beat_task_install

        # Scale-out: the one periodic Celery task that ticks every schedule lives in
        # django-celery-beat's tables; (re)create it whenever the database is migrated.
        post_migrate.connect(beat_task_install, sender=self)

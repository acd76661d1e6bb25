from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Alert rules per workflow and the notifications (webhook, email) they send."""

    name = "backend.alerts"
    label = "alerts"
    verbose_name = "Alerts"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from backend.alerts.tasks import beat_task_install

        post_migrate.connect(beat_task_install, sender=self)

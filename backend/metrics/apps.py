from django.apps import AppConfig


class MetricsConfig(AppConfig):
    """Prometheus metrics and execution statistics, computed from the database at read time."""

    name = "backend.metrics"
    label = "metrics"
    verbose_name = "Metrics"

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from backend.metrics import delivery

        setting_changed.connect(delivery.reset_on_setting_change)

from django.apps import AppConfig


class ExecutionsConfig(AppConfig):
    """Executions and what makes them durable: history events, task tokens, timers."""

    name = "backend.executions"
    label = "executions"
    verbose_name = "Executions"

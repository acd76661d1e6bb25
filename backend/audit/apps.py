from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit log: who did what to which workflow or execution, from which client."""

    name = "backend.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from backend.audit import receivers

        receivers.connect()

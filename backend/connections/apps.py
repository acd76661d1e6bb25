from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    """Named credentials that HTTP Tasks use by name; secrets sealed at rest."""

    name = "backend.connections"
    label = "connections"
    verbose_name = "Connections"

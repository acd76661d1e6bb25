from django.apps import AppConfig


class EndpointsConfig(AppConfig):
    """Published endpoints: a workflow served at /run/<slug> (see docs/api.md, "Published endpoints")."""

    name = "backend.endpoints"
    label = "endpoints"
    verbose_name = "Published endpoints"

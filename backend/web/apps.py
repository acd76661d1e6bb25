from django.apps import AppConfig


class WebConfig(AppConfig):
    """The product's front pages and operational endpoints (landing page, /healthz)."""

    name = "backend.web"
    label = "web"

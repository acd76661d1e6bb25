"""A published endpoint and its API keys.

An endpoint belongs to its workflow's owner (no owner column of its own: the workflow's
decides). ``version`` is a version number of that workflow, or null for "the latest at the
time of each call". API keys are stored as the SHA-256 of the key (keys are 256-bit random
tokens, so a fast hash is enough); the key itself is shown once, when it is created.
"""

from __future__ import annotations

from django.db import models

from backend.workflows.models import WorkflowTemplate

# The runtime refuses execution input over 262,144 bytes; an endpoint may not accept more.
MAX_BODY_BYTES_LIMIT = 262_144
DEFAULT_MAX_BODY_BYTES = 262_144
SLUG_MAX_LENGTH = 64


class EndpointAuth(models.TextChoices):
    NONE = "none", "None (public)"
    API_KEY = "api_key", "API key (X-Api-Key header)"


class Endpoint(models.Model):
    template = models.ForeignKey(WorkflowTemplate, on_delete=models.CASCADE, related_name="endpoints")
    version = models.PositiveIntegerField(null=True, blank=True, help_text="empty: the latest version at each call")
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=SLUG_MAX_LENGTH, unique=True)
    description = models.TextField(blank=True, default="")
    enabled = models.BooleanField(default=True)
    auth = models.CharField(max_length=8, choices=EndpointAuth.choices, default=EndpointAuth.API_KEY)
    rate_limit_per_second = models.FloatField(null=True, blank=True, help_text="empty: no rate limit")
    rate_limit_burst = models.PositiveIntegerField(null=True, blank=True,
                                                   help_text="bucket size; empty: one second's worth")
    max_body_bytes = models.PositiveIntegerField(default=DEFAULT_MAX_BODY_BYTES)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=models.Q(auth__in=EndpointAuth.values), name="endpoint_auth_valid"),
            models.CheckConstraint(condition=models.Q(max_body_bytes__gte=1, max_body_bytes__lte=MAX_BODY_BYTES_LIMIT),
                                   name="endpoint_max_body_bytes_range"),
            models.CheckConstraint(condition=models.Q(rate_limit_per_second__isnull=True)
                                   | models.Q(rate_limit_per_second__gt=0), name="endpoint_rate_limit_positive"),
        ]

    def __str__(self) -> str:
        return self.slug


class EndpointApiKey(models.Model):
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=80, blank=True, default="")
    prefix = models.CharField(max_length=16, help_text="the key's first characters, to tell keys apart")
    key_hash = models.CharField(max_length=64, unique=True, editable=False, help_text="SHA-256 of the key, hex")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["endpoint_id", "id"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

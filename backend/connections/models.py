"""A connection: named credentials for HTTP Tasks (``Authentication: {"ConnectionName": ...}``).

``parameters`` holds what is not secret (user name, header name, token URL, client id,
scope); ``secret_sealed`` the secret (password, API key, token, client secret), encrypted
with Fernet (``backend.accounts.secret_box``; key from CREDENTIALS_ENCRYPTION_KEY).
The secret is never returned by a selector, shown in the admin, logged or recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ConnectionKind(models.TextChoices):
    BASIC = "basic", "Basic authentication"
    API_KEY = "api_key", "API key (header or query parameter)"
    BEARER = "bearer", "Bearer token"
    OAUTH2_CLIENT_CREDENTIALS = "oauth2", "OAuth 2 client credentials"


class Connection(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections")
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True, default="")
    kind = models.CharField(max_length=8, choices=ConnectionKind.choices)
    parameters = models.JSONField(default=dict, blank=True)
    secret_sealed = models.TextField(editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["owner_id", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="connection_name_unique_per_owner")]

    def __str__(self) -> str:
        return self.name

"""Credentials for programs: SecretId/SecretKey pairs for the cloud-style signed APIs.

(API tokens for the REST API are DRF's ``rest_framework.authtoken`` tokens.)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiCredential(models.Model):
    """One SecretId/SecretKey pair; the key is sealed (see ``secret_box``), never stored in clear."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_credentials")
    secret_id = models.CharField(max_length=64, unique=True)
    sealed_secret_key = models.TextField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["owner_id", "created_at"]

    def __str__(self) -> str:
        return self.secret_id

"""ALERTS_* settings with their defaults (override in Django settings)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "ALERTS_WEBHOOK_TIMEOUT_SECONDS": 5.0,
    # A webhook is retried until it answers 2xx, at most this many attempts in all ...
    "ALERTS_WEBHOOK_MAX_ATTEMPTS": 8,
    # ... waiting BASE * 2**(attempt - 1) seconds between them, never more than MAX.
    "ALERTS_BACKOFF_BASE_SECONDS": 5.0,
    "ALERTS_BACKOFF_MAX_SECONDS": 600.0,
    # How far back each evaluation looks again for executions that ended (a runner may
    # commit an end time slightly in the past); alerts' unique keys absorb the overlap.
    "ALERTS_SETTLE_SECONDS": 60.0,
    # Scale-out: how often Celery beat sends the alerts tick task.
    "ALERTS_BEAT_SECONDS": 10,
}


def alerts_setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])

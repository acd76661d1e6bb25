"""SCHEDULES_* and ALERTS_* settings from environment variables of those names.

Defaults and meanings: backend/schedules/settings.py and backend/alerts/settings.py
(docs/operations.md lists them). Only variables that are set are returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_FLOATS = ("SCHEDULES_GRACE_SECONDS", "SCHEDULES_POLL_SECONDS", "ALERTS_WEBHOOK_TIMEOUT_SECONDS",
           "ALERTS_BACKOFF_BASE_SECONDS", "ALERTS_BACKOFF_MAX_SECONDS", "ALERTS_SETTLE_SECONDS")
_INTS = ("SCHEDULES_BEAT_SECONDS", "ALERTS_BEAT_SECONDS", "ALERTS_WEBHOOK_MAX_ATTEMPTS")


def operations_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for names, kind in ((_FLOATS, float), (_INTS, int)):
        for name in names:
            if environ.get(name):
                try:
                    found[name] = kind(environ[name])
                except ValueError:
                    raise ImproperlyConfigured(f"{name}={environ[name]!r}: expected a number") from None
    return found

"""SCHEDULES_* settings with their defaults (override in Django settings or the environment)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # A tick is on time while it is at most this old; older ones were missed (the
    # service was down) and the schedule's missed-run policy decides about them.
    "SCHEDULES_GRACE_SECONDS": 60.0,
    # How often the in-process scheduler loop (runscheduler, embedded mode) looks.
    "SCHEDULES_POLL_SECONDS": 5.0,
    # Scale-out: how often Celery beat sends the schedules tick task.
    "SCHEDULES_BEAT_SECONDS": 10,
}


def schedules_setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])

"""CELERY_* settings: tasks run in-process unless CELERY_BROKER_URL names a broker.

Read by backend/celery.py (namespace "CELERY"). With a broker (redis://... or
amqp://...), tasks go to `celery -A backend.celery worker` processes and their
results to the database through django-celery-results.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def celery_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    broker_url = environ.get("CELERY_BROKER_URL")
    common: dict[str, Any] = {
        "CELERY_RESULT_BACKEND": environ.get("CELERY_RESULT_BACKEND", "django-db"),
        "CELERY_TASK_SERIALIZER": "json",
        "CELERY_RESULT_SERIALIZER": "json",
        "CELERY_ACCEPT_CONTENT": ["json"],
        "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP": True,
    }
    if broker_url:
        # `celery -A backend.celery beat` fires due workflow timers and re-queues executions a
        # crashed worker held (or run `manage.py runengine --scheduler-only` instead).
        beat = {"workflow-timers": {"task": "executions.tick", "schedule": 1.0}}
        return {**common, "CELERY_BROKER_URL": broker_url, "CELERY_TASK_ALWAYS_EAGER": False,
                "CELERY_BEAT_SCHEDULE": beat}
    # Embedded default: no broker process to install; .delay() runs the task inline.
    return {
        **common,
        "CELERY_BROKER_URL": "memory://",
        "CELERY_TASK_ALWAYS_EAGER": True,
        "CELERY_TASK_EAGER_PROPAGATES": True,
    }

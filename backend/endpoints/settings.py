"""The endpoints' knobs, read from Django settings with these defaults.

``ENDPOINTS_REDIS_URL`` (default: the ``REDIS_URL`` environment variable) shares the rate
limits' token buckets between processes; without it each server process keeps its own.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # How long a process serves an endpoint (its settings, keys, workflow) from memory
    # before reading it again: changes made in another process apply within this time.
    # Changes made through this process's services apply at once.
    "ENDPOINTS_CACHE_SECONDS": 1.0,
    # Threads that run invocations for the ASGI fast path (each holds a database connection).
    "ENDPOINTS_THREADS": 8,
    # Express summary rows of endpoint calls are written in batches by a writer thread
    # (backend/endpoints/recording.py); off: each call saves its row before answering.
    "ENDPOINTS_BATCH_SUMMARIES": True,
}


def endpoint_setting(name: str) -> Any:
    """The Django setting ``name``, else the environment variable of that name, else the default."""
    value = getattr(settings, name, None)
    if value is not None:
        return value
    default = DEFAULTS[name]
    text = os.environ.get(name)
    if not text:
        return default
    if isinstance(default, bool):
        return text.strip().lower() not in ("0", "false", "no", "off", "")
    return type(default)(text)


def redis_url() -> str | None:
    return getattr(settings, "ENDPOINTS_REDIS_URL", None) or os.environ.get("REDIS_URL") or None

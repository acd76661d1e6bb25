"""CHANNEL_LAYERS: in-memory by default; Redis when REDIS_URL is set.

The in-memory layer only reaches consumers in the same process, which is all the
embedded default (one daphne process) needs. Celery workers publishing live events
to browsers need the Redis layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def channel_layer_settings(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    redis_url = environ.get("REDIS_URL")
    if redis_url:
        return {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [redis_url]},
            }
        }
    return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

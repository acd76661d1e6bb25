"""Which invokers an execution's Tasks reach, under the execution's run role.

``backend.integrations.build_registry`` provides them (stored functions in the sandbox,
HTTP with the owner's connections, Celery tasks, ``States.Permissions``). Registries are
reused per thread for the same owner and role content, so a short execution does not pay
for building one; invokers hold no per-execution state.
"""

from __future__ import annotations

import threading
from typing import Any

from backend.connections.services import ConnectionResolver
from backend.engine.resources import ResourceRegistry
from backend.integrations import build_registry as build_integrations_registry
from backend.workflows.models import RunRole

_local = threading.local()


def build_registry(*, owner: Any, role: RunRole | None, express: bool = False) -> ResourceRegistry:
    """The registry for an execution; ``express``: wait in place for ``.sync`` Celery results."""
    key = (getattr(owner, "pk", owner), None if role is None else (role.pk, role.updated_at), express)
    cache: dict = getattr(_local, "registries", None) or {}
    _local.registries = cache
    registry = cache.get(key)
    if registry is None:
        if len(cache) > 256:
            cache.clear()
        registry = cache[key] = build_integrations_registry(
            owner=owner, role=role, celery_wait=express,
            connections=ConnectionResolver(owner=owner, role=role))
    return registry

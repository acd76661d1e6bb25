"""What workflow Tasks can call on this server: stored functions, HTTP APIs, Celery tasks.

``build_registry(owner=..., role=...)`` gives the engine's ``ResourceRegistry`` for one
execution: the run role is checked first (``States.Permissions``), then the call goes to
the integration its resource string names. ``poll_pending(calls)`` reports which
suspended ``.sync`` Celery calls have finished. Resource strings: ``docs/resources.md``.
"""

from backend.integrations.celery_tasks import poll_pending
from backend.integrations.registry import IntegrationRegistry, build_registry

__all__ = ["IntegrationRegistry", "build_registry", "poll_pending"]

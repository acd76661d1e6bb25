"""Who is acting, and through which client, for the code running now.

Set per request by ``AuditContextMiddleware`` and around scheduled starts by the
scheduler; the signal receivers read it when a model changes. A context variable, so
threads and asyncio tasks each see their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from backend.audit.models import AuditClient


@dataclass(frozen=True)
class AuditContext:
    client: str = AuditClient.SYSTEM
    actor: Any = None  # a user, or None
    request: HttpRequest | None = None  # its user is read late: DRF authenticates inside the view

    def current_actor(self) -> Any:
        if self.actor is not None:
            return self.actor
        user = getattr(self.request, "user", None) if self.request is not None else None
        return user if user is not None and user.is_authenticated else None


_current: ContextVar[AuditContext] = ContextVar("audit_context", default=AuditContext())


def audit_context_get() -> AuditContext:
    return _current.get()


@contextmanager
def audit_context(*, client: str, actor: Any = None, request: HttpRequest | None = None) -> Iterator[AuditContext]:
    token = _current.set(AuditContext(client=client, actor=actor, request=request))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def request_client(request: HttpRequest) -> str:
    """Which client sent ``request``: the wire APIs by their headers, /api/ is REST, else the browser."""
    if request.headers.get("X-TC-Action"):
        return AuditClient.ASW
    if request.headers.get("X-Amz-Target", "").startswith("AWSStepFunctions"):
        return AuditClient.SFN
    if request.path.startswith("/api/"):
        return AuditClient.REST
    return AuditClient.BROWSER

"""The fast path for published endpoints: ``/run/...`` served before Django's request handling.

``endpoint_router(app)`` wraps the project's HTTP ASGI application (``backend/asgi.py``):
paths under ``/run/`` go straight to ``backend.endpoints.invocation.handle`` in a small
thread pool (each thread keeps its database connection), everything else to ``app``.
Skipped for these paths: Django's URL resolver, middleware (sessions, CSRF, messages:
the endpoints use neither cookies nor forms; the Host header is still checked against
ALLOWED_HOSTS, and ``X-Content-Type-Options: nosniff`` still set) and the
sync-to-async hop per middleware. That is what lets one server process answer a
3-state Express endpoint at well over 1,000 calls per second (``make bench-endpoints``).
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from backend.endpoints.invocation import Call, Reply, error_reply, handle, parse_run_path
from backend.endpoints.models import MAX_BODY_BYTES_LIMIT
from backend.endpoints.settings import endpoint_setting
from backend.api.errors import ApiError

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_good_hosts: set[bytes] = set()


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        with _executor_lock:
            if _executor is None:
                _executor = ThreadPoolExecutor(max_workers=endpoint_setting("ENDPOINTS_THREADS"),
                                               thread_name_prefix="endpoint")
    return _executor


def _host_allowed(host: bytes) -> bool:
    if host in _good_hosts:
        return True
    domain, _port = split_domain_port(host.decode("latin-1"))
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    if domain and validate_host(domain, allowed):
        if len(_good_hosts) < 100:
            _good_hosts.add(host)
        return True
    return False


async def _send_reply(send: Any, reply: Reply, *, head: bool = False) -> None:
    headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in reply.all_headers()]
    headers.append((b"content-length", str(len(reply.body)).encode()))
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else reply.body})


def endpoint_router(app: Any) -> Any:
    """``app`` with ``/run/...`` answered by the published endpoints first."""

    async def router(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await app(scope, receive, send)
        parsed = parse_run_path(scope["path"])
        if parsed is None:
            return await app(scope, receive, send)
        slug, rest = parsed
        host = b""
        api_key = None
        declared_length = 0
        for name, value in scope["headers"]:
            if name == b"host":
                host = value
            elif name == b"x-api-key":
                api_key = value.decode("latin-1")
            elif name == b"content-length":
                try:
                    declared_length = int(value)
                except ValueError:
                    declared_length = -1
        method = scope["method"]
        head = method == "HEAD"
        if not host or not _host_allowed(host):
            return await _send_reply(send, error_reply(ApiError("DisallowedHost", "Invalid Host header.")), head=head)
        if declared_length < 0:
            return await _send_reply(send, error_reply(ApiError("SerializationException", "Invalid Content-Length.")))
        too_large = error_reply(ApiError("PayloadTooLarge", f"The request body is larger than {MAX_BODY_BYTES_LIMIT} bytes."))
        if declared_length > MAX_BODY_BYTES_LIMIT:
            return await _send_reply(send, too_large, head=head)
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            if chunk:
                body = body + chunk if body else chunk
                if len(body) > MAX_BODY_BYTES_LIMIT:
                    return await _send_reply(send, too_large, head=head)
            more = message.get("more_body", False)
        base_url = f"{scope.get('scheme', 'http')}://{host.decode('latin-1')}"
        call = Call(method="GET" if head else method, slug=slug, rest=rest, api_key=api_key, body=body,
                    base_url=base_url)
        reply = await asyncio.get_running_loop().run_in_executor(_pool(), handle, call)
        await _send_reply(send, reply, head=head)
        return None

    return router

"""The WebSocket side of the ASGI application (``backend/asgi.py``)."""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from django.urls import path, re_path

from backend.live.auth import TokenAuthMiddleware, origin_checked
from backend.live.consumers import ExecutionListStream, ExecutionStream, NotFound

websocket_urlpatterns = [
    path("ws/executions/", ExecutionListStream.as_asgi()),
    path("ws/executions/<int:execution_id>/", ExecutionStream.as_asgi()),
    path("ws/workflows/<int:template_id>/", ExecutionListStream.as_asgi()),
    re_path(r"", NotFound.as_asgi()),
]


def websocket_application() -> Any:
    return origin_checked(AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns))))

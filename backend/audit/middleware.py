"""``backend.audit.middleware.AuditContextMiddleware``: every request acts as its user, via its client."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from backend.audit.context import audit_context, request_client


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_context(client=request_client(request), request=request):
            return self.get_response(request)

"""Who is on the other end of a WebSocket: the session (browsers) or ``?token=`` (programs).

``channels.auth.AuthMiddlewareStack`` sets ``scope["user"]`` from the session cookie;
``TokenAuthMiddleware`` (inside it) replaces that user when the query string has a DRF
token (an unknown token gives the anonymous user, as a wrong password would).

``BrowserOriginValidator``: a browser always sends ``Origin``; a page of another site must
not use the visitor's session cookie to watch their executions, so a present Origin has to
match ``ALLOWED_HOSTS`` (or ``CSRF_TRUSTED_ORIGINS``). Programs send no Origin and
authenticate with their token.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _token_user(key: str) -> Any:
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


class TokenAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        tokens = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
        if tokens:
            scope = dict(scope, user=await _token_user(tokens[-1][:64]))
        return await super().__call__(scope, receive, send)


class BrowserOriginValidator(OriginValidator):
    def valid_origin(self, parsed_origin: Any) -> bool:
        return parsed_origin is None or self.validate_origin(parsed_origin)


def origin_checked(application: Any) -> BrowserOriginValidator:
    allowed = list(settings.ALLOWED_HOSTS) + list(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
    if settings.DEBUG and not settings.ALLOWED_HOSTS:
        allowed += ["localhost", "127.0.0.1", "[::1]"]
    return BrowserOriginValidator(application, allowed)

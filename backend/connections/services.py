"""Connections: create/update (sealing the secret) and apply them to HTTP requests.

``ConnectionResolver(owner=..., role=...)`` is what the HTTP integration takes
(``backend.integrations.http.ConnectionResolver``): ``authorize(authentication, request)``
returns the request with the credentials added. OAuth 2 access tokens are cached per
process until shortly before they expire, then fetched again.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from backend.accounts.secret_box import open_sealed, seal
from backend.connections.models import Connection, ConnectionKind
from backend.integrations.http import HttpRequest, InvalidHttpParameters
from backend.workflows.errors import ServiceError
from backend.workflows.models import RunRole
from backend.workflows.names import check_name
from backend.workflows.selectors import role_allows

# Which parameters each kind needs (the secret is separate).
_REQUIRED: dict[str, tuple[str, ...]] = {
    ConnectionKind.BASIC: ("username",),
    ConnectionKind.API_KEY: ("name", "location"),
    ConnectionKind.BEARER: (),
    ConnectionKind.OAUTH2_CLIENT_CREDENTIALS: ("token_url", "client_id"),
}
TOKEN_EXPIRY_MARGIN_S = 30.0  # refresh this long before the token says it expires
TOKEN_TIMEOUT_S = 10.0


class InvalidConnection(ServiceError):
    code = "ValidationException"


class ConnectionAlreadyExists(InvalidConnection):
    code = "ResourceAlreadyExists"


def connection_resource(name: str) -> str:
    """What a run role's patterns must match for a workflow to use connection ``name``."""
    return f"connection:{name}"


def check_connection(kind: str, parameters: Mapping[str, Any], secret: str) -> None:
    if kind not in _REQUIRED:
        raise InvalidConnection(f"Invalid connection: kind: must be one of {list(_REQUIRED)}")
    if not isinstance(parameters, Mapping):
        raise InvalidConnection("Invalid connection: parameters: must be an object")
    for field in _REQUIRED[kind]:
        if not isinstance(parameters.get(field), str) or not parameters[field]:
            raise InvalidConnection(f"Invalid connection: parameters.{field}: required text")
    if kind == ConnectionKind.API_KEY and parameters["location"] not in ("header", "query"):
        raise InvalidConnection("Invalid connection: parameters.location: must be 'header' or 'query'")
    if kind == ConnectionKind.OAUTH2_CLIENT_CREDENTIALS and not parameters["token_url"].startswith(
            ("http://", "https://")):
        raise InvalidConnection("Invalid connection: parameters.token_url: must be an http(s) URL")
    if not isinstance(secret, str) or not secret:
        raise InvalidConnection("Invalid connection: secret: required")


def connection_create(*, owner: AbstractBaseUser, name: str, kind: str, parameters: Mapping[str, Any],
                      secret: str, description: str = "") -> Connection:
    check_connection(kind, parameters, secret)
    name = check_name(name, what="connection")
    if Connection.objects.filter(owner=owner, name=name).exists():
        raise ConnectionAlreadyExists(f"Invalid connection: name: '{name}' already exists")
    return Connection.objects.create(owner=owner, name=name, kind=kind, parameters=dict(parameters),
                                     secret_sealed=seal(secret), description=description)


def connection_update(*, connection: Connection, parameters: Mapping[str, Any] | None = None,
                      secret: str | None = None, description: str | None = None) -> Connection:
    """Change parameters and/or rotate the secret (cached OAuth tokens are dropped with it)."""
    current = open_sealed(connection.secret_sealed) or ""
    new_parameters = dict(parameters) if parameters is not None else connection.parameters
    check_connection(connection.kind, new_parameters, secret if secret is not None else current or "?")
    connection.parameters = new_parameters
    if secret is not None:
        connection.secret_sealed = seal(secret)
    if description is not None:
        connection.description = description
    connection.updated_at = timezone.now()
    connection.save()
    return connection


# --- applying ------------------------------------------------------------------------------


class _TokenCache:
    """OAuth 2 access tokens by (connection, its last change), with their expiry."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[int, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str], now: float) -> str | None:
        with self._lock:
            found = self._tokens.get(key)
        return found[0] if found and found[1] > now else None

    def put(self, key: tuple[int, str], token: str, expires_at: float) -> None:
        with self._lock:
            self._tokens = {k: v for k, v in self._tokens.items() if k[0] != key[0]}
            self._tokens[key] = (token, expires_at)


token_cache = _TokenCache()


def _fetch_token(connection: Connection, secret: str) -> tuple[str, float]:
    """POST the client-credentials grant; (access token, lifetime in seconds)."""
    params = connection.parameters
    form = {"grant_type": "client_credentials", **({"scope": params["scope"]} if params.get("scope") else {})}
    basic = base64.b64encode(f"{params['client_id']}:{secret}".encode()).decode()
    request = urllib.request.Request(
        params["token_url"], data=urlencode(form).encode(), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
                 "Authorization": f"Basic {basic}"})
    try:
        with urllib.request.urlopen(request, timeout=TOKEN_TIMEOUT_S) as response:
            answer = json.loads(response.read())
        return str(answer["access_token"]), float(answer.get("expires_in", 3600))
    except urllib.error.HTTPError as exc:
        # The status only: a token endpoint's error body may echo what it was sent.
        raise InvalidHttpParameters(
            f"Authentication: connection '{connection.name}': the token endpoint answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
        raise InvalidHttpParameters(
            f"Authentication: connection '{connection.name}': no access token ({type(exc).__name__})") from None


def _with_query(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), (name, value)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def connection_apply(connection: Connection, request: HttpRequest,
                     clock: Callable[[], float] = time.monotonic) -> HttpRequest:
    """``request`` with ``connection``'s credentials added (headers or query)."""
    secret = open_sealed(connection.secret_sealed)
    if secret is None:
        raise InvalidHttpParameters(
            f"Authentication: connection '{connection.name}' cannot be unsealed (the encryption key changed)")
    params = connection.parameters
    headers = dict(request.headers)
    if connection.kind == ConnectionKind.BASIC:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{params['username']}:{secret}".encode()).decode()
    elif connection.kind == ConnectionKind.BEARER:
        headers["Authorization"] = f"Bearer {secret}"
    elif connection.kind == ConnectionKind.API_KEY:
        if params["location"] == "query":
            return replace(request, url=_with_query(request.url, params["name"], secret))
        headers[params["name"]] = secret
    else:
        key = (connection.pk, connection.updated_at.isoformat())
        now = clock()
        token = token_cache.get(key, now)
        if token is None:
            token, lifetime = _fetch_token(connection, secret)
            token_cache.put(key, token, now + max(lifetime - TOKEN_EXPIRY_MARGIN_S, 0.0))
        headers["Authorization"] = f"Bearer {token}"
    return replace(request, headers=headers)


class ConnectionResolver:
    """The HTTP integration's seam: the owner's connections, as far as the run role allows."""

    def __init__(self, *, owner: AbstractBaseUser | int, role: RunRole | None,
                 clock: Callable[[], float] = time.monotonic):
        self.owner_id = owner if isinstance(owner, int) else owner.pk
        self.role = role
        self.clock = clock

    def authorize(self, authentication: Mapping[str, Any], request: HttpRequest) -> HttpRequest:
        name = authentication.get("ConnectionName") or authentication.get("ConnectionArn")
        if not isinstance(name, str) or not name:
            raise InvalidHttpParameters("Authentication: ConnectionName must be a non-empty string.")
        name = name.rsplit("/", 1)[-1] if name.startswith("arn:") else name  # an ARN ends with its name
        connection = Connection.objects.filter(owner_id=self.owner_id, name=name).first()
        if connection is None:
            raise InvalidHttpParameters(f"Authentication: the connection '{name}' does not exist.")
        if not role_allows(role=self.role, resource=connection_resource(name)):
            raise InvalidHttpParameters(
                f"Authentication: the run role does not allow the connection '{name}' "
                f"(add the pattern '{connection_resource(name)}' to it).")
        return connection_apply(connection, request, clock=self.clock)

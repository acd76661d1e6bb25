"""The HTTP Task: ``arn:aws:states:::http:invoke`` and TCSL ``qrn:qcs:asw:REGION:APPID:http:invoke``.

Parameters as Step Functions' HTTP Task takes them: ``ApiEndpoint`` (http or https URL),
``Method``, ``Headers``, ``QueryParameters``, ``RequestBody`` and ``Transform``
(``RequestBodyEncoding``: ``NONE`` sends JSON, ``URL_ENCODED`` a form, with
``RequestEncodingOptions.ArrayFormat`` ``BRACKETS`` / ``COMMAS`` / ``INDICES`` / ``REPEAT``).
The result is ``{StatusCode, StatusText, Headers, ResponseBody}``: header values are
lists, a JSON response body is parsed, any other body is text. A status outside 2xx
fails the Task with ``States.Http.StatusCode.<code>`` (the response body as the cause);
a connection that cannot be made or breaks is ``States.Http.Socket``.

Time: a request is bounded by the Task's ``TimeoutSeconds`` (``States.Timeout`` when that
runs out) and by 60 seconds, the HTTP Task's own limit (``States.Http.Socket``).

``Authentication`` (``ConnectionArn`` on AWS; ``ConnectionName`` here) is handed to a
``ConnectionResolver``: the seam where named connections will add credentials.
Without one, a Task that asks for a connection fails with ``States.Runtime``.
"""

from __future__ import annotations

import functools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit, urlunsplit

from backend.engine.errors import DATA_LIMIT_EXCEEDED
from backend.engine.resources import TaskCall, TaskOutcome

HTTP_TASK_LIMIT_S = 60.0
MAX_RESPONSE_BYTES = 262_144  # a Task result cannot be larger anyway
MAX_CAUSE_CHARS = 32_768
METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"})
ARRAY_FORMATS = frozenset({"BRACKETS", "COMMAS", "INDICES", "REPEAT"})
SOCKET_ERROR = "States.Http.Socket"


class InvalidHttpParameters(ValueError):
    """The Task's Parameters do not describe a request we can send (message names the field)."""


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None


class ConnectionResolver(Protocol):
    def authorize(self, authentication: Mapping[str, Any], request: HttpRequest) -> HttpRequest:
        """The request with the named connection's credentials added; InvalidHttpParameters if unknown."""


class NoConnections:
    """No named connections are configured (the connections feature plugs in here)."""

    def authorize(self, authentication: Mapping[str, Any], request: HttpRequest) -> HttpRequest:
        name = authentication.get("ConnectionName") or authentication.get("ConnectionArn")
        raise InvalidHttpParameters(
            f"Authentication: the connection {name!r} does not exist (no connections are configured)."
        )


def build_request(params: Any) -> HttpRequest:
    """The request ``params`` (the Task's effective Parameters) describe."""
    if not isinstance(params, dict):
        raise InvalidHttpParameters("Parameters must be an object with ApiEndpoint and Method.")
    endpoint = params.get("ApiEndpoint")
    parts = urlsplit(endpoint) if isinstance(endpoint, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidHttpParameters(f"ApiEndpoint must be an http or https URL, got {endpoint!r}.")
    method = params.get("Method")
    if not isinstance(method, str) or method.upper() not in METHODS:
        raise InvalidHttpParameters(f"Method must be one of {', '.join(sorted(METHODS))}, got {method!r}.")
    headers = _string_map(params.get("Headers"), "Headers")
    url = _with_query(endpoint, params.get("QueryParameters"))
    body = _body(params.get("RequestBody"), params.get("Transform"), headers) if "RequestBody" in params else None
    return HttpRequest(method.upper(), url, headers, body)


def _string_map(value: Any, field: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidHttpParameters(f"{field} must be an object.")
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _with_query(endpoint: str, query: Any) -> str:
    if query is None:
        return endpoint
    if not isinstance(query, dict):
        raise InvalidHttpParameters("QueryParameters must be an object.")
    pairs = _form_pairs(query, "REPEAT")
    parts = urlsplit(endpoint)
    joined = "&".join(p for p in (parts.query, urlencode(pairs)) if p)
    return urlunsplit(parts._replace(query=joined))


def _form_pairs(data: dict, array_format: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in data.items():
        if not isinstance(value, list):
            pairs.append((key, _scalar(value)))
        elif array_format == "COMMAS":
            pairs.append((key, ",".join(_scalar(v) for v in value)))
        else:
            for index, item in enumerate(value):
                name = {"BRACKETS": f"{key}[]", "INDICES": f"{key}[{index}]"}.get(array_format, key)
                pairs.append((name, _scalar(item)))
    return pairs


def _body(body: Any, transform: Any, headers: dict[str, str]) -> bytes:
    lower = {k.lower() for k in headers}
    transform = transform if isinstance(transform, dict) else {}
    if transform.get("RequestBodyEncoding", "NONE") == "URL_ENCODED":
        if not isinstance(body, dict):
            raise InvalidHttpParameters(
                "RequestBody must be an object when Transform.RequestBodyEncoding is URL_ENCODED."
            )
        options = transform.get("RequestEncodingOptions") or {}
        array_format = options.get("ArrayFormat", "INDICES") if isinstance(options, dict) else "INDICES"
        if array_format not in ARRAY_FORMATS:
            raise InvalidHttpParameters(
                f"Transform.RequestEncodingOptions.ArrayFormat must be one of {', '.join(sorted(ARRAY_FORMATS))}."
            )
        if "content-type" not in lower:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return urlencode(_form_pairs(body, array_format)).encode()
    if isinstance(body, str):
        if "content-type" not in lower:
            headers["Content-Type"] = "text/plain; charset=utf-8"
        return body.encode()
    if "content-type" not in lower:
        headers["Content-Type"] = "application/json"
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


@functools.cache
def _shared_opener() -> urllib.request.OpenerDirector:
    """One opener per process: building one loads the system CA store (tens of ms).

    The environment's proxy settings apply, as for any HTTP client on the server.
    """
    return urllib.request.build_opener()


class HttpInvoker:
    """The invoker for HTTP resources (stdlib ``urllib``: one request per attempt, no pooling)."""

    def __init__(self, *, connections: ConnectionResolver | None = None, limit_s: float = HTTP_TASK_LIMIT_S):
        self.connections = connections or NoConnections()
        self.limit_s = limit_s
        self._opener = _shared_opener()

    def __call__(self, call: TaskCall) -> TaskOutcome:
        try:
            request = build_request(call.payload)
            authentication = call.payload.get("Authentication")
            if authentication is not None:
                if not isinstance(authentication, dict):
                    raise InvalidHttpParameters("Authentication must be an object.")
                request = self.connections.authorize(authentication, request)
        except InvalidHttpParameters as error:
            return TaskOutcome.failed("States.Runtime", f"The HTTP Task '{call.state_name}': {error}")
        task_bound = call.timeout_seconds is not None and call.timeout_seconds < self.limit_s
        budget = call.timeout_seconds if task_bound else self.limit_s
        try:
            status, reason, headers, raw = self._send(request, time.monotonic() + budget)
        except TimeoutError:
            if task_bound:
                return TaskOutcome.timed_out(None)
            return TaskOutcome.failed(SOCKET_ERROR, f"The request to {request.url} timed out after {budget:g} seconds.")
        except _TooLarge:
            return TaskOutcome.failed(
                DATA_LIMIT_EXCEEDED,
                f"The response of {request.url} is larger than the maximum of {MAX_RESPONSE_BYTES} bytes.",
            )
        except (OSError, urllib.error.URLError, ValueError) as error:
            reason_text = getattr(error, "reason", None) or error
            return TaskOutcome.failed(SOCKET_ERROR, f"The request to {request.url} failed: {reason_text}")
        if not 200 <= status < 300:
            cause = raw.decode("utf-8", "replace")[:MAX_CAUSE_CHARS] or f"{status} {reason}"
            return TaskOutcome.failed(f"States.Http.StatusCode.{status}", cause)
        return TaskOutcome.succeeded(
            {"Headers": headers, "ResponseBody": _response_body(raw, headers), "StatusCode": status,
             "StatusText": reason}
        )

    def _send(self, request: HttpRequest, deadline: float) -> tuple[int, str, dict[str, list[str]], bytes]:
        prepared = urllib.request.Request(request.url, data=request.body, headers=dict(request.headers),
                                          method=request.method)
        try:
            response = self._opener.open(prepared, timeout=_remaining(deadline))
        except urllib.error.HTTPError as error:  # a non-2xx answer is still an answer
            response = error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise TimeoutError from error
            raise
        with response:
            headers: dict[str, list[str]] = {}
            for name, value in response.headers.items():
                headers.setdefault(name, []).append(value)
            raw = _read_bounded(response, deadline)
            return response.status, response.reason or "", headers, raw


class _TooLarge(Exception):
    pass


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _read_bounded(response: Any, deadline: float) -> bytes:
    """The body, failing past the size limit or the deadline (a slow drip cannot hold the Task).

    Each read is bounded by the socket timeout set when the request was sent; the deadline
    is checked between reads.
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(65_536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise _TooLarge
        chunks.append(chunk)
        _remaining(deadline)


def _response_body(raw: bytes, headers: dict[str, list[str]]) -> Any:
    text = raw.decode("utf-8", "replace")
    content_type = next((v[0] for k, v in headers.items() if k.lower() == "content-type"), "")
    if "json" in content_type.lower() and text:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text

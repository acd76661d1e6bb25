"""Calls to published endpoints: request in, execution, response out. No web framework here.

Both front doors use ``handle``: the ASGI fast path (``backend.endpoints.asgi``, what the
server runs) and the Django views (``backend.endpoints.views``, for the test client and
WSGI). Routes under ``/run/``:

- ``POST /run/<slug>``: run the endpoint's workflow with the body as input (empty = ``{}``).
  Express: synchronously; 200 with the output as the body, or the execution's failure as
  an error (502 failed or aborted, 504 timed out). Standard: 202 with the execution's id,
  name and status URL (also in ``Location``).
- ``GET /run/<slug>/executions/<name>``: an execution of that workflow (status URL).
- ``GET /run/<slug>/openapi.json``: the endpoint's OpenAPI description (no key needed).

Checks, in order: endpoint exists and is enabled (404), API key (401 missing / 403 wrong),
rate limit (429 + Retry-After), body size (413), JSON (400). Errors use the REST API's
format ``{"error": {"code", "message", "details"?}}``.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import DatabaseError, connection

from backend.api import runtime
from backend.api.errors import ApiError
from backend.audit.context import audit_context
from backend.audit.models import AuditClient
from backend.endpoints import recording
from backend.endpoints.openapi import endpoint_openapi
from backend.endpoints.ratelimit import buckets, burst_for
from backend.endpoints.selectors import ServingEndpoint, endpoint_serving, serving_cache_drop
from backend.endpoints.services import SLUG_PATTERN, key_hash
from backend.endpoints.settings import endpoint_setting
from backend.executions.models import Execution
from backend.workflows.models import WorkflowType

logger = logging.getLogger(__name__)

RUN_PREFIX = "/run/"
API_KEY_HEADER = "X-Api-Key"
_JSON = ("Content-Type", "application/json")
_NOSNIFF = ("X-Content-Type-Options", "nosniff")
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


@dataclass(frozen=True)
class Call:
    method: str
    slug: str
    rest: str  # "" (the endpoint), "openapi.json" or "executions/<name>"
    api_key: str | None
    body: bytes
    base_url: str  # scheme://host of the request, for the URLs in answers


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default=())

    def all_headers(self) -> list[tuple[str, str]]:
        return [_JSON, _NOSNIFF, *self.headers]


def parse_run_path(path: str) -> tuple[str, str] | None:
    """``/run/<slug>[/<rest>]`` -> (slug, rest); None for other paths."""
    if not path.startswith(RUN_PREFIX):
        return None
    slug, _, rest = path[len(RUN_PREFIX):].partition("/")
    if not slug:
        return None
    return slug, rest


def _utf8(text: str) -> bytes:
    """JSON text as UTF-8; strings with lone surrogates (valid JSON escapes, not UTF-8) as \\u escapes."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(json.loads(text), ensure_ascii=True, separators=(",", ":")).encode("ascii")


def error_reply(error: ApiError, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    return Reply(error.status, _utf8(_encode({"error": error.as_dict()})), headers)


def json_reply(status: int, value: Any, headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    return Reply(status, _utf8(_encode(value)), headers)


def _not_found(slug: str) -> Reply:
    return error_reply(ApiError("ResourceNotFound", f"Endpoint Does Not Exist: '{slug}'"))


def handle(call: Call) -> Reply:
    """Answer one call under ``/run/``. Never raises; an unexpected failure is a logged 500."""
    try:
        with audit_context(client=AuditClient.REST):
            return _route(call)
    except ApiError as error:
        return error_reply(error)
    except DatabaseError:
        # A dropped connection (database restarted) or a row deleted under us: start
        # afresh on the next call, and say so without a stack trace to the caller.
        logger.exception("endpoint %s: database error", call.slug)
        connection.close()
        serving_cache_drop(call.slug)
        return error_reply(ApiError("ServiceUnavailable", "The database did not answer; try again.", status=503),
                           (("Retry-After", "1"),))
    except Exception:
        logger.exception("endpoint %s: unexpected error", call.slug)
        return error_reply(ApiError("InternalFailure", "The server failed to handle the request.", status=500))


def _route(call: Call) -> Reply:
    rest = call.rest.rstrip("/")
    if rest == "":
        if call.method != "POST":
            return _method_not_allowed("POST")
        return _invoke(call)
    if rest == "openapi.json":
        if call.method not in ("GET", "HEAD"):
            return _method_not_allowed("GET")
        return _openapi(call)
    head, _, name = rest.partition("/")
    if head == "executions" and name and "/" not in name:
        if call.method not in ("GET", "HEAD"):
            return _method_not_allowed("GET")
        return _execution_status(call, name)
    return error_reply(ApiError("ResourceNotFound", "Not found."))


def _method_not_allowed(allowed: str) -> Reply:
    return error_reply(ApiError("MethodNotAllowed", f"Use {allowed} here.", status=405), (("Allow", allowed),))


def _serving(call: Call) -> ServingEndpoint:
    # A slug no endpoint can have (say, with a NUL, which PostgreSQL refuses) is not looked up.
    endpoint = endpoint_serving(call.slug) if SLUG_PATTERN.fullmatch(call.slug) else None
    if endpoint is None:
        raise ApiError("ResourceNotFound", f"Endpoint Does Not Exist: '{call.slug}'")
    if not endpoint.enabled:
        raise ApiError("ResourceNotFound", f"Endpoint '{call.slug}' is disabled.")
    return endpoint


def _authorized(endpoint: ServingEndpoint, call: Call) -> Reply | None:
    if endpoint.auth != "api_key":
        return None
    if not call.api_key:
        return error_reply(ApiError("NotAuthenticated", f"This endpoint needs an API key in the {API_KEY_HEADER} header."),
                           (("WWW-Authenticate", f'ApiKey header="{API_KEY_HEADER}"'),))
    if key_hash(call.api_key) not in endpoint.key_hashes:
        return error_reply(ApiError("AccessDenied", "The API key is not valid for this endpoint."))
    return None


def _throttled(endpoint: ServingEndpoint) -> Reply | None:
    rate = endpoint.rate_limit_per_second
    if rate is None:
        return None
    wait = buckets().take(endpoint.bucket_key, rate, burst_for(rate, endpoint.rate_limit_burst))
    if wait <= 0:
        return None
    retry_after = max(1, math.ceil(wait))
    return error_reply(
        ApiError("ThrottlingException", f"Rate exceeded: this endpoint allows {rate:g} calls per second.",
                 status=429, details={"retry_after_seconds": round(wait, 3)}),
        (("Retry-After", str(retry_after)),))


def _input_text(endpoint: ServingEndpoint, body: bytes) -> str:
    if len(body) > endpoint.max_body_bytes:
        raise ApiError("PayloadTooLarge", f"The request body is larger than {endpoint.max_body_bytes} bytes.")
    if not body.strip():
        return "{}"
    try:
        text = body.decode("utf-8")
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
        if "\\u" in text:  # an escaped lone surrogate is JSON but no Unicode text: refuse it
            _encode(value).encode("utf-8")
    except (UnicodeError, ValueError) as error:
        raise ApiError("SerializationException", f"The request body is not valid JSON: {error}") from None
    except RecursionError:
        raise ApiError("SerializationException", "The request body is nested too deeply.") from None
    return text


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range for a JSON number")
    return value


def _invoke(call: Call) -> Reply:
    endpoint = _serving(call)
    refused = _authorized(endpoint, call) or _throttled(endpoint)
    if refused is not None:
        return refused
    input_text = _input_text(endpoint, call.body)
    template = endpoint.template
    if template.type == WorkflowType.EXPRESS:
        record = recording.record if endpoint_setting("ENDPOINTS_BATCH_SUMMARIES") else None
        result = runtime.execution_start_sync(template=template, name=None, input=input_text,
                                              version_number=endpoint.version, record=record)
        return _express_reply(result)
    execution = runtime.execution_start(template=template, name=None, input=input_text,
                                        version_number=endpoint.version)
    status_url = f"{call.base_url}{RUN_PREFIX}{endpoint.slug}/executions/{execution.name}"
    return json_reply(202, {
        "execution_id": execution.pk,
        "name": execution.name,
        "status": execution.status,
        "started_at": _iso(execution.started_at),
        "status_url": status_url,
        "api_url": f"{call.base_url}/api/executions/{execution.pk}/",
    }, (("Location", status_url),))


_FAILURES = {
    "FAILED": (502, "ExecutionFailed", "The execution failed"),
    "TIMED_OUT": (504, "ExecutionTimedOut", "The execution timed out"),
    "ABORTED": (502, "ExecutionAborted", "The execution was aborted"),
}


def _express_reply(result: Any) -> Reply:
    headers = (("X-Execution-Name", result.name),)
    if result.status == "SUCCEEDED":
        return Reply(200, _utf8(result.output if result.output is not None else "null"), headers)
    status, code, text = _FAILURES.get(result.status, (502, "ExecutionFailed", "The execution did not succeed"))
    message = f"{text}: {result.error}" if result.error else f"{text}."
    return error_reply(ApiError(code, message, status=status, details={
        "error": result.error, "cause": result.cause, "execution_name": result.name,
        "execution_arn": result.execution_arn, "status": result.status}), headers)


def _openapi(call: Call) -> Reply:
    endpoint = _serving(call)
    return json_reply(200, endpoint_openapi(endpoint, base_url=call.base_url))


def _execution_status(call: Call, name: str) -> Reply:
    endpoint = _serving(call)
    refused = _authorized(endpoint, call)
    if refused is not None:
        return refused
    execution = None
    if len(name) <= 80 and "\x00" not in name:
        execution = (Execution.objects.filter(template_id=endpoint.template.pk, name=name, parent__isnull=True)
                     .order_by("-id").first())
    if execution is None:
        raise ApiError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{name}'")
    output: Any = None
    if execution.output is not None:
        try:
            output = json.loads(execution.output)
        except ValueError:
            output = execution.output
    return json_reply(200, {
        "execution_id": execution.pk,
        "name": execution.name,
        "status": execution.status,
        "output": output,
        "error": execution.error,
        "cause": execution.cause,
        "started_at": _iso(execution.started_at),
        "stopped_at": _iso(execution.stopped_at),
        "status_url": f"{call.base_url}{RUN_PREFIX}{endpoint.slug}/executions/{execution.name}",
    })


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")

"""One error format for the REST API: ``{"error": {"code", "message", "field"|"pointer", "details"}}``."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db.models import ProtectedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from backend.api.errors import ApiError
from backend.workflows.errors import ServiceError

logger = logging.getLogger(__name__)

_DRF_CODES: list[tuple[type[exceptions.APIException], str]] = [
    (exceptions.ParseError, "SerializationException"),
    (exceptions.NotAuthenticated, "NotAuthenticated"),
    (exceptions.AuthenticationFailed, "NotAuthenticated"),
    (exceptions.PermissionDenied, "AccessDenied"),
    (exceptions.NotFound, "ResourceNotFound"),
    (exceptions.MethodNotAllowed, "MethodNotAllowed"),
    (exceptions.UnsupportedMediaType, "UnsupportedMediaType"),
    (exceptions.NotAcceptable, "NotAcceptable"),
    (exceptions.Throttled, "ThrottlingException"),
]


def error_response(error: ApiError) -> Response:
    return Response({"error": error.as_dict()}, status=error.status)


def _first_validation_problem(detail: Any, path: str = "") -> tuple[str, str]:
    """(field path, message) of the first problem in DRF's nested error detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            sub = "" if key == "non_field_errors" else (f"{path}.{key}" if path else str(key))
            return _first_validation_problem(value, sub)
    if isinstance(detail, list) and detail:
        for index, value in enumerate(detail):
            if value:
                sub = path if not isinstance(value, (dict, list)) else f"{path}.{index}" if path else str(index)
                return _first_validation_problem(value, sub)
    return path, str(detail)


def _simplify(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {str(key): _simplify(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_simplify(value) for value in detail]
    return str(detail)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, ApiError):
        return error_response(exc)
    if isinstance(exc, ServiceError):
        return error_response(ApiError.from_service_error(exc))
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_validation_problem(exc.detail)
        text = f"{field}: {message}" if field else message
        return error_response(ApiError("ValidationException", text, field=field or None, details=_simplify(exc.detail)))
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response(ApiError("PayloadTooLarge", f"The request body is larger than {limit} bytes."))
    if isinstance(exc, Http404):
        return error_response(ApiError("ResourceNotFound", "Not found."))
    if isinstance(exc, DjangoPermissionDenied):
        return error_response(ApiError("AccessDenied", "You do not have permission to perform this action."))
    if isinstance(exc, ProtectedError):
        names = sorted({str(obj) for obj in list(exc.protected_objects)[:5]})
        return error_response(ApiError("ResourceInUse", f"Still in use by: {', '.join(names)}", status=409))
    if isinstance(exc, exceptions.APIException):
        code = next((c for kind, c in _DRF_CODES if isinstance(exc, kind)), "ValidationException")
        response = error_response(ApiError(code, str(exc.detail), status=exc.status_code))
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            response["WWW-Authenticate"] = 'Token realm="api"'
        return response
    logger.exception("unexpected error in %s", context.get("view"))
    return Response(
        {"error": {"code": "InternalFailure", "message": "The server failed to handle the request."}},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )

"""Errors of the endpoint services (codes as the REST API's error format names them)."""

from __future__ import annotations

from backend.workflows.errors import ServiceError


class EndpointDoesNotExist(ServiceError):
    code = "ResourceNotFound"


class EndpointAlreadyExists(ServiceError):
    code = "ResourceAlreadyExists"


class InvalidEndpoint(ServiceError):
    code = "ValidationException"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field

"""The one error type every front door (REST, ASW, Step Functions) renders in its own envelope.

``code`` is the Step Functions error name where one exists (``StateMachineDoesNotExist``,
``InvalidDefinition`` ...), so the services' ``ServiceError`` codes pass through unchanged.
"""

from __future__ import annotations

from typing import Any

from backend.workflows.errors import ServiceError

# HTTP status of the REST API per error code; anything else that is the caller's fault is 400.
_STATUS_BY_CODE = {
    "StateMachineDoesNotExist": 404,
    "ExecutionDoesNotExist": 404,
    "ResourceNotFound": 404,
    "TaskDoesNotExist": 404,
    "StateMachineAlreadyExists": 409,
    "ExecutionAlreadyExists": 409,
    "ResourceAlreadyExists": 409,
    "ResourceConflictException": 409,
    "ExecutionNotRedrivable": 409,
    "TaskTimedOut": 409,
    "HistoryConflict": 409,
    "NotAuthenticated": 401,
    "AccessDenied": 403,
    "PayloadTooLarge": 413,
    "NotImplemented": 501,
}


class ApiError(Exception):
    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int | None = None,
        pointer: str | None = None,
        field: str | None = None,
        details: Any = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or _STATUS_BY_CODE.get(code, 400)
        self.pointer = pointer
        self.field = field
        self.details = details

    @classmethod
    def from_service_error(cls, error: ServiceError) -> ApiError:
        diagnostics = getattr(error, "diagnostics", None)
        if diagnostics:
            first = next((d for d in diagnostics if d.severity == "ERROR"), diagnostics[0])
            return cls(error.code, error.message, pointer=first.location, details=[diagnostic_dict(d) for d in diagnostics])
        return cls(error.code, error.message)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.pointer is not None:
            body["pointer"] = self.pointer
        if self.field is not None:
            body["field"] = self.field
        if self.details is not None:
            body["details"] = self.details
        return body


def diagnostic_dict(diagnostic: Any) -> dict[str, str]:
    return {
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "location": diagnostic.location,
    }


def not_found(what: str, name: Any) -> ApiError:
    codes = {"state machine": "StateMachineDoesNotExist", "execution": "ExecutionDoesNotExist"}
    titles = {"state machine": "State Machine Does Not Exist", "execution": "Execution Does Not Exist"}
    code = codes.get(what, "ResourceNotFound")
    title = titles.get(what, f"{what.capitalize()} Does Not Exist")
    return ApiError(code, f"{title}: '{name}'")


def not_implemented(operation: str) -> ApiError:
    """The execution runner does not offer this operation yet: say so, never pretend."""
    return ApiError(
        "NotImplemented",
        f"{operation} is not available: the execution runner does not provide it on this server yet.",
    )

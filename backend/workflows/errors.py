"""Errors the services raise for the caller's mistakes.

Each carries ``code``: the error name AWS Step Functions answers with for the same
mistake (``InvalidDefinition``, ``ExecutionAlreadyExists`` ...), so the API layer can
pass it on unchanged.
"""

from __future__ import annotations

from backend.engine.validation import Diagnostic


class ServiceError(Exception):
    code = "ValidationException"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidName(ServiceError):
    code = "InvalidName"


class InvalidDefinition(ServiceError):
    """The definition has errors; ``diagnostics`` locates each by JSON pointer."""

    code = "InvalidDefinition"

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "ERROR"]
        # AWS's message names the first problem: "Invalid State Machine Definition: 'CODE: text at /pointer'".
        first = errors[0]
        super().__init__(f"Invalid State Machine Definition: '{first.code}: {first.message} at {first.location}'")


class WorkflowAlreadyExists(ServiceError):
    code = "StateMachineAlreadyExists"


class VersionDoesNotExist(ServiceError):
    code = "StateMachineDoesNotExist"


class WorkflowTypeNotSupported(ServiceError):
    code = "StateMachineTypeNotSupported"


class WorkflowTypeNotChangeable(ServiceError):
    code = "ValidationException"


class RoleAlreadyExists(ServiceError):
    code = "ResourceAlreadyExists"


class InvalidRole(ServiceError):
    code = "ValidationException"


class FunctionAlreadyExists(ServiceError):
    code = "ResourceConflictException"


class InvalidFunction(ServiceError):
    code = "InvalidParameterValueException"

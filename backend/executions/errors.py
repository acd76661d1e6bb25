"""Errors of the execution services, named as Step Functions names them."""

from __future__ import annotations

from backend.workflows.errors import ServiceError


class ExecutionAlreadyExists(ServiceError):
    code = "ExecutionAlreadyExists"


class InvalidExecutionInput(ServiceError):
    code = "InvalidExecutionInput"


class HistoryConflict(ServiceError):
    """Events clash with recorded ones: another worker is driving this execution."""

    code = "HistoryConflict"


class InvalidToken(ServiceError):
    code = "InvalidToken"


class TaskDoesNotExist(ServiceError):
    code = "TaskDoesNotExist"


class TaskTimedOut(ServiceError):
    code = "TaskTimedOut"


class InvalidOutput(ServiceError):
    code = "InvalidOutput"


class LeaseLost(ServiceError):
    """A runner's lease ran out or the execution closed: it must stop driving it."""

    code = "LeaseLost"


class ExecutionDoesNotExist(ServiceError):
    code = "ExecutionDoesNotExist"


class ExecutionNotRedrivable(ServiceError):
    code = "ExecutionNotRedrivable"


class ExecutionLimitExceeded(ServiceError):
    code = "ExecutionLimitExceeded"

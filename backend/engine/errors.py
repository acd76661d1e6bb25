"""Errors the engine raises.

Two families, never mixed:

* ``StatesError``: a runtime error of an execution, named as the States Language
  names it (``States.Runtime``, ``States.IntrinsicFailure``, a Task's own error
  name ...). Retry and Catch match on ``error``; ``cause`` is the exact text AWS
  Step Functions gives for the same situation (users porting workflows see it in
  a Catch's ResultPath, so the wording matters).
* ``DefinitionError``: the definition itself is wrong. It names the place as a
  JSON pointer into the definition, a stable code and a message, exactly like a
  validation diagnostic.
"""

from __future__ import annotations

# Predefined error names (spec section "Errors").
ALL = "States.ALL"
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
INTRINSIC_FAILURE = "States.IntrinsicFailure"
ITEM_READER_FAILED = "States.ItemReaderFailed"
NO_CHOICE_MATCHED = "States.NoChoiceMatched"
PARAMETER_PATH_FAILURE = "States.ParameterPathFailure"
PERMISSIONS = "States.Permissions"
QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"
RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"
RESULT_WRITER_FAILED = "States.ResultWriterFailed"
RUNTIME = "States.Runtime"
TASK_FAILED = "States.TaskFailed"
TIMEOUT = "States.Timeout"
BRANCH_FAILED = "States.BranchFailed"


class StatesError(Exception):
    """A runtime error of an execution: ``error`` name and ``cause`` text."""

    __slots__ = ("error", "cause", "located", "heartbeat")

    def __init__(self, error: str, cause: str | None = None):
        super().__init__(error, cause)
        self.error = error
        self.cause = cause
        # True once the cause names the state it happened in (see Frame.locate).
        self.located = False
        # A States.Timeout because HeartbeatSeconds lapsed: ErrorEquals "States.HeartbeatTimeout" handles it too.
        self.heartbeat = False

    def __repr__(self) -> str:
        return f"StatesError({self.error!r}, {self.cause!r})"


class DefinitionError(Exception):
    """The definition is invalid at ``pointer`` (RFC 6901 JSON pointer)."""

    def __init__(self, pointer: str, code: str, message: str):
        super().__init__(f"{pointer}: {code}: {message}")
        self.pointer = pointer
        self.code = code
        self.message = message


def pointer_join(base: str, *tokens: object) -> str:
    """Append reference tokens to a JSON pointer, escaping ``~`` and ``/``."""
    for token in tokens:
        base += "/" + str(token).replace("~", "~0").replace("/", "~1")
    return base

"""Error names a function invocation can fail with, and the cause texts around them.

A failed invocation is reported as a cloud function runtime reports it: an ``error``
name (what a Task's Retry/Catch matches) and a ``cause`` that is the JSON text of
``{"errorMessage", "errorType", ...}``. Names follow AWS Lambda's Python runtime so a
workflow ported from AWS keeps its ``ErrorEquals`` lists:

* the handler raised: the exception's class name (``ValueError``, ``CustomException``);
* the runtime could not load or answer for the code: ``Runtime.*`` names, built in
  the worker (``runtime.py``) with Lambda's message texts;
* the worker process itself failed (timeout, crash, memory): built here, in the
  parent, with Lambda's ``"RequestId: <id> Error: <what>"`` message form.

Imported by the worker process too: keep it free of heavy imports.
"""

from __future__ import annotations

import json
import signal

# Raised by the code or its loading (built inside the worker).
MARSHAL_ERROR = "Runtime.MarshalError"
UNMARSHAL_ERROR = "Runtime.UnmarshalError"
USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
RESPONSE_SIZE_TOO_LARGE = "Function.ResponseSizeTooLarge"

# The worker process failed (built in the parent).
TIMEDOUT = "Sandbox.Timedout"
OUT_OF_MEMORY = "Runtime.OutOfMemory"
EXIT_ERROR = "Runtime.ExitError"
SERVICE_EXCEPTION = "Lambda.ServiceException"


def error_cause(error_message: str, error_type: str, stack_trace: list[str] | None = None) -> str:
    """The cause text: Lambda's error document without its ``requestId`` member.

    Key order and separators are the ones Lambda's runtime writes (Step Functions
    passes that text through unchanged). Platform errors (timeout, exit, memory)
    carry no ``stackTrace``, as on Lambda.
    """
    document: dict[str, object] = {"errorMessage": error_message, "errorType": error_type}
    if stack_trace is not None:
        document["stackTrace"] = stack_trace
    return json.dumps(document)


def platform_message(request_id: str, what: str) -> str:
    """Lambda's form for errors the sandbox (not the code) reports."""
    return f"RequestId: {request_id} Error: {what}"


def timed_out_message(seconds: float) -> str:
    return f"Task timed out after {seconds:.2f} seconds"


def exit_message(returncode: int) -> str:
    """``exit status 3`` / ``signal: killed``: the wording Lambda's Go init uses."""
    if returncode >= 0:
        return f"Runtime exited with error: exit status {returncode}"
    number = -returncode
    try:
        name = signal.strsignal(number) or f"signal {number}"
    except ValueError:
        name = f"signal {number}"
    return f"Runtime exited with error: signal: {name[0].lower()}{name[1:]}"


def out_of_memory_message(memory_mb: int) -> str:
    return f"Runtime exited with error: memory limit of {memory_mb} MB exceeded"

"""The execution runner's operations, as every front door calls them.

The runner (``backend.executions.runner`` / ``backend.executions.services``) is written
alongside this app. Each operation is looked up by name when it is called: where the
runner does not offer it yet, the caller gets the protocol's ``NotImplemented`` error
instead of a fake success. Service errors become ``ApiError`` with the same code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from backend.api.errors import ApiError, not_implemented
from backend.executions.models import Execution
from backend.workflows.errors import ServiceError
from backend.workflows.models import WorkflowTemplate

_RUNNER_MODULES = ("backend.executions.runner", "backend.executions.services")


def _operation(name: str, label: str) -> Callable[..., Any]:
    for module_name in _RUNNER_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, name, None)
        if callable(function):
            return function
    raise not_implemented(label)


@contextmanager
def service_errors() -> Iterator[None]:
    """Services' mistakes-of-the-caller as ApiError (same code, same message)."""
    try:
        yield
    except ServiceError as error:
        raise ApiError.from_service_error(error) from None


def _execution_of(result: Any) -> Execution:
    """Services answer an Execution or an ``ExecutionStart(execution, created)``."""
    return getattr(result, "execution", result)


def execution_start(*, template: WorkflowTemplate, name: str | None, input: str, version_number: int | None = None) -> Execution:
    start = _operation("execution_start", "StartExecution")
    kwargs: dict[str, Any] = {"template": template, "name": name, "input": input}
    if version_number is not None:
        kwargs["version_number"] = version_number
    with service_errors():
        return _execution_of(start(**kwargs))


def execution_start_sync(*, template: WorkflowTemplate, name: str | None, input: str,
                         version_number: int | None = None, record: Callable[[Execution], Any] | None = None) -> Any:
    """The runner's ExpressResult: execution_arn, name, status, output, error, cause, start_date, stop_date.

    ``record``: who writes the summary row (default: the runner, at once).
    """
    start_sync = _operation("execution_start_sync", "StartSyncExecution")
    kwargs: dict[str, Any] = {"template": template, "name": name, "input": input}
    if version_number is not None:
        kwargs["version_number"] = version_number
    if record is not None:
        kwargs["record"] = record
    with service_errors():
        return start_sync(**kwargs)


def express_run_recorded(*, template: WorkflowTemplate, name: str | None, input: str) -> tuple[Any, Execution | None]:
    """Run an Express execution to its end in this request: (the runner's ExpressResult, its summary row).

    The row is None when the runner records no Express summaries (``ENGINE_EXPRESS_RECORD`` off).
    """
    result = execution_start_sync(template=template, name=name, input=input)
    row = (Execution.objects.select_related("template", "version")
           .filter(template=template, type="EXPRESS", name=result.name).order_by("-id").first())
    return result, row


def execution_stop(*, execution: Execution, error: str | None, cause: str | None) -> Execution:
    stop = _operation("execution_stop", "StopExecution")
    with service_errors():
        result = stop(execution=execution, error=error, cause=cause)
    return _execution_of(result) if isinstance(getattr(result, "execution", result), Execution) else _reloaded(execution)


def execution_redrive(*, execution: Execution) -> Execution:
    redrive = _operation("execution_redrive", "RedriveExecution")
    with service_errors():
        result = redrive(execution=execution)
    return _execution_of(result) if isinstance(getattr(result, "execution", result), Execution) else _reloaded(execution)


def send_task_success(*, token: str, output: str) -> None:
    send = _operation("send_task_success", "SendTaskSuccess")
    with service_errors():
        send(token=token, output=output)


def send_task_failure(*, token: str, error: str | None, cause: str | None) -> None:
    send = _operation("send_task_failure", "SendTaskFailure")
    with service_errors():
        send(token=token, error=error, cause=cause)


def send_task_heartbeat(*, token: str) -> None:
    send = _operation("send_task_heartbeat", "SendTaskHeartbeat")
    with service_errors():
        send(token=token)


def _reloaded(execution: Execution) -> Execution:
    execution.refresh_from_db()
    return execution

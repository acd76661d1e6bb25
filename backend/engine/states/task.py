"""Task: calls a resource (a function, a service integration) through the scheduler.

History per attempt, as Step Functions writes it:
``TaskScheduled -> TaskStarted -> [TaskSubmitted] -> TaskSucceeded|TaskFailed|TaskTimedOut``,
or the ``LambdaFunction*`` family for legacy Lambda ARNs.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable, Generator

from ..definition import JSONATA, CompileContext, Node
from ..errors import RUNTIME, StatesError
from ..fields.io import compile_io, compile_jsonata_input_field, compile_reference_path_field
from ..journal import Event
from ..resources import LAMBDA_ARN, SUBMITTED, TaskCall, TaskOutcome, parse_resource
from ..scheduler import Invoke
from .recoverable import RecoverableState

Seconds = Callable[[Any, Any], "int | None"]


def outcome_from_event(event: Event) -> TaskOutcome:
    """Rebuild a Task attempt's outcome from its recorded completion event."""
    details = event.details or {}
    kind = event.type
    if kind.endswith("Succeeded"):
        return TaskOutcome.succeeded(details.get("output"))
    if kind.endswith("Submitted"):
        return TaskOutcome(SUBMITTED, submitted=details.get("output"))
    if kind.endswith("TimedOut"):
        return TaskOutcome.timed_out(details.get("cause"))
    return TaskOutcome.failed(details.get("error"), details.get("cause"))


class StateTask(RecoverableState):
    type_name = "Task"
    may_block = True

    def __init__(self, name: str, node: Node, context: CompileContext):
        super().__init__(name, node, context)
        resource = node.string("Resource", required=True)
        spec = parse_resource(resource)
        if spec is None:
            raise node.error("Resource", f"Invalid resource: {resource}", "INVALID_RESOURCE")
        if context.workflow_type == "EXPRESS" and spec.pattern in (".waitForTaskToken", ".sync", ".sync:2"):
            raise node.error("Resource", f"Express state machine does not support '{spec.pattern}' service integration")
        self.spec = spec
        self.io = compile_io(node, self.language, has_result=True, result_selector=True, arguments=True)
        node.exclusive("TimeoutSeconds", "TimeoutSecondsPath")
        node.exclusive("HeartbeatSeconds", "HeartbeatSecondsPath")
        self.timeout = self._compile_seconds(node, "TimeoutSeconds")
        self.heartbeat = self._compile_seconds(node, "HeartbeatSeconds")
        if spec.legacy_lambda:
            self.scheduled_event, self.started_event = "LambdaFunctionScheduled", "LambdaFunctionStarted"
            self.succeeded_event, self.failed_event = "LambdaFunctionSucceeded", "LambdaFunctionFailed"
            self.timed_out_event = "LambdaFunctionTimedOut"
        else:
            self.scheduled_event, self.started_event = "TaskScheduled", "TaskStarted"
            self.succeeded_event, self.failed_event = "TaskSucceeded", "TaskFailed"
            self.timed_out_event = "TaskTimedOut"
        self.resource_type = spec.service
        self.resource_name = spec.action + spec.pattern if spec.kind != LAMBDA_ARN else spec.text

    def _compile_seconds(self, node: Node, key: str) -> Seconds:
        path_key = key + "Path"
        if path_key in node:
            select = compile_reference_path_field(node, path_key)
            text = node.raw(path_key)

            def from_path(data: Any, frame: Any) -> int:
                value = select(data, frame)
                if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                    raise StatesError(RUNTIME, f"The {path_key} field refers to value \"{value}\" which is not a "
                                               f"valid positive integer: {text}")
                return value

            return from_path
        value = node.raw(key)
        if value is None:
            return lambda data, frame: None
        if self.language == JSONATA and isinstance(value, str):
            return compile_jsonata_input_field(node, key, typed=True)
        seconds = node.integer(key, minimum=1)
        return lambda data, frame: seconds

    def attempt(self, frame: Any, raw: Any) -> Generator[Any, Any, tuple[Any, dict | None]]:
        execution = frame.execution
        # Stable across replays and unique within the execution: a child execution's event
        # ids restart at 1, so its scope is part of the key.
        scope = frame.history.scope
        attempt_key = (f"{execution.arn}/{scope}" if scope else execution.arn) + \
            f"#{frame.entered_event_id}#{frame.retry_count}"
        if self.spec.callback:
            frame.task_token = hashlib.sha256(attempt_key.encode()).hexdigest()
        payload = self.io.effective_input(frame, raw)
        timeout = self.timeout(raw, frame)
        heartbeat = self.heartbeat(raw, frame)
        legacy = self.spec.legacy_lambda
        if legacy:
            details: dict[str, Any] = {"resource": self.spec.text, "input": payload}
            if timeout is not None:
                details["timeoutInSeconds"] = timeout
            frame.emit(self.scheduled_event, details)
            frame.emit(self.started_event)
        else:
            details = {"resourceType": self.resource_type, "resource": self.resource_name,
                       "region": self.spec.region, "parameters": payload}
            if timeout is not None:
                details["timeoutInSeconds"] = timeout
            if heartbeat is not None:
                details["heartbeatInSeconds"] = heartbeat
            frame.emit(self.scheduled_event, details)
            frame.emit(self.started_event, {"resourceType": self.resource_type, "resource": self.resource_name})
        call = TaskCall(
            spec=self.spec, payload=payload, state_name=self.name, execution_arn=execution.arn,
            attempt_key=attempt_key,
            timeout_seconds=timeout, heartbeat_seconds=heartbeat, task_token=frame.task_token,
        )
        request = Invoke(call, (self.succeeded_event, self.failed_event, self.timed_out_event), self._details({}))
        reply = yield request
        outcome = outcome_from_event(reply) if isinstance(reply, Event) else reply
        if outcome.status == SUBMITTED:
            frame.emit("TaskSubmitted", self._details({"output": outcome.submitted}))
            call.awaiting_callback = True
            call.waiting_since = frame.last_event_time
            reply = yield request
            outcome = outcome_from_event(reply) if isinstance(reply, Event) else reply
        if outcome.status == "SUCCEEDED":
            frame.emit(self.succeeded_event, self._details({"output": outcome.output}))
            return self.io.finish(frame, raw, payload, outcome.output)
        failure = {"error": outcome.error}
        if outcome.cause is not None:
            failure["cause"] = outcome.cause
        frame.emit(self.timed_out_event if outcome.status == "TIMED_OUT" else self.failed_event,
                   self._details(failure))
        error = StatesError(outcome.error, outcome.cause)
        error.located = True
        error.heartbeat = outcome.heartbeat
        raise error

    def _details(self, details: dict[str, Any]) -> dict[str, Any]:
        if self.spec.legacy_lambda:
            return details
        return {"resourceType": self.resource_type, "resource": self.resource_name, **details}

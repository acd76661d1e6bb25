"""Stored functions (the ``Function`` model) called by Tasks, run in the sandbox worker pool.

Three resource forms reach the same function: ``arn:aws:lambda:REGION:ACCT:function:NAME``
and TCSL ``qrn:qcs:asw:REGION:APPID:sdk:json:qcloud:scf:Invoke/NAME`` (the Task's input
is the event, the handler's return value is the result), and ``arn:aws:states:::lambda:invoke``
(``Parameters.FunctionName`` and ``Payload``; the result is Lambda's Invoke response
envelope, built by the engine's ``functions`` module exactly as for local functions).

Errors are the sandbox's, named as Lambda names them (the exception's class,
``Sandbox.Timedout``, ``Runtime.ExitError``, ``Runtime.OutOfMemory``, ...). When the
Task's own ``TimeoutSeconds`` (or what is left of the execution's) is shorter than the
function's timeout and runs out, the attempt is ``States.Timeout`` instead, as on Step
Functions.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from backend.engine.errors import DATA_LIMIT_EXCEEDED
from backend.engine.functions import PAYLOAD_LIMIT
from backend.engine.functions import _invoke_envelope as invoke_envelope  # no public name in the engine
from backend.engine.functions import _invoke_payload as invoke_payload
from backend.engine.resources import LAMBDA_INVOKE, TaskCall, TaskOutcome
from backend.sandbox import FunctionPool, FunctionSpec
from backend.workflows.function_pool import shared_function_pool
from backend.workflows.models import Function
from backend.workflows.selectors import function_spec

SANDBOX_TIMEDOUT = "Sandbox.Timedout"


@dataclass(frozen=True)
class FunctionCall:
    """What a function Task attempt asks for: which function, with which event."""

    name: str
    arn: str
    event: Any
    parameters: dict | None  # lambda:invoke's Parameters (for the response envelope), else None


def function_call(call: TaskCall) -> FunctionCall | TaskOutcome:
    """The function ``call`` names; a failed outcome when lambda:invoke lacks a usable FunctionName."""
    spec = call.spec
    if spec.kind == LAMBDA_INVOKE:
        params = call.payload if isinstance(call.payload, dict) else {}
        target = params.get("FunctionName")
        if not isinstance(target, str) or not target:
            return TaskOutcome.failed(
                "States.Runtime",
                f"The resource '{spec.text}' needs Parameters.FunctionName: the function's name or ARN.",
            )
        # A name, a partial or a full ARN, with or without a qualifier.
        name = target.split(":function:")[-1].split(":")[0] if ":function:" in target else target.split(":")[0]
        event = invoke_payload(params.get("Payload"))
    else:
        name, event, params = spec.function or "", call.payload, None
    arn = f"arn:aws:lambda:{spec.region}:{spec.account}:function:{name}"
    return FunctionCall(name, arn, event, params)


class StoredFunctions:
    """The invoker for function resources: the owner's ``Function`` of that name, in the sandbox.

    A looked-up function is reused for ``max_age_s`` (the database query costs more than
    a warm sandbox call): an edit reaches a running execution within that time, and the
    next execution at once (the runner builds a registry per run).
    """

    def __init__(self, *, owner_id: int | None, pool: FunctionPool | None = None, max_age_s: float = 1.0):
        self.owner_id = owner_id
        self._pool = pool
        self.max_age_s = max_age_s
        self._specs: dict[str, tuple[float, FunctionSpec]] = {}

    @property
    def pool(self) -> FunctionPool:
        return self._pool or shared_function_pool()

    def __call__(self, call: TaskCall, target: FunctionCall | None = None) -> TaskOutcome:
        resolved = target or function_call(call)
        if isinstance(resolved, TaskOutcome):
            return resolved
        spec = self._spec(resolved.name)
        if spec is None:
            return TaskOutcome.failed(
                "Lambda.ResourceNotFoundException",
                f"Function not found: {resolved.arn} (Service: AWSLambda; Status Code: 404; Error Code: "
                f"ResourceNotFoundException; Request ID: {uuid.uuid4()}; Proxy: null)",
            )
        # The same attempt (re-dispatched after a crash) gets the same request id, so a
        # function can recognise a repeat of a call it already made.
        request_id = str(uuid.uuid5(uuid.NAMESPACE_URL, call.attempt_key))
        result = self.pool.invoke(
            spec,
            resolved.event,
            context={"request_id": request_id, "invoked_function_arn": resolved.arn},
            timeout_s=call.timeout_seconds,
        )
        if not result.ok:
            if result.error == SANDBOX_TIMEDOUT and _task_deadline_was_first(call, spec):
                return TaskOutcome.timed_out(None)
            return TaskOutcome.failed(result.error or "States.TaskFailed", result.cause)
        text = result.payload_json or "null"
        if len(text.encode("utf-8")) > PAYLOAD_LIMIT:
            culprit = "lambda" if resolved.parameters is not None else call.spec.text
            return TaskOutcome.failed(
                DATA_LIMIT_EXCEEDED,
                f"The state/task '{culprit}' returned a result with a size exceeding the maximum number "
                "of bytes service limit.",
            )
        if resolved.parameters is not None:
            return TaskOutcome.succeeded(invoke_envelope(result.payload, text, resolved.parameters))
        return TaskOutcome.succeeded(result.payload)

    def _spec(self, name: str) -> FunctionSpec | None:
        now = time.monotonic()
        cached = self._specs.get(name)
        if cached is not None and now - cached[0] < self.max_age_s:
            return cached[1]
        try:
            function = Function.objects.get(owner_id=self.owner_id, name=name)
        except Function.DoesNotExist:
            self._specs.pop(name, None)
            return None
        spec = function_spec(function=function)
        self._specs[name] = (now, spec)
        return spec


def _task_deadline_was_first(call: TaskCall, spec: FunctionSpec) -> bool:
    return call.timeout_seconds is not None and call.timeout_seconds < spec.timeout_s

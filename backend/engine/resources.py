"""What a Task's ``Resource`` string means, and who runs it.

``parse_resource`` classifies the string once at compile time. At run time a
``TaskCall`` goes to the execution's ``Dispatcher``: the in-process one calls
the ``ResourceRegistry`` inline (with the Task timeout enforced); the Django
runtime can instead hand the call to a worker and answer ``PENDING`` so the
execution suspends, holding no thread, until the outcome is journaled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from .errors import TIMEOUT

# Resource kinds.
LAMBDA_ARN = "lambda-arn"             # arn:aws:lambda:REGION:ACCT:function:NAME[:QUALIFIER]
LAMBDA_INVOKE = "lambda-invoke"       # arn:aws:states:::lambda:invoke
SCF_INVOKE = "scf-invoke"             # qrn:qcs:asw:REGION:APPID:sdk:json:qcloud:scf:Invoke/NAME[/...]
SERVICE = "service"                   # any other integration (resolved through the registry)

_LAMBDA_ARN = re.compile(r"^arn:[\w-]+:lambda:([\w-]*):(\d*):function:([^:]+)(?::([^:]+))?$")
_SCF = re.compile(r"^qrn:qcs:asw:([\w-]*):(\d*):sdk:json:qcloud:scf:Invoke/([^/]+)(?:/(.*))?$")
_STATES = re.compile(r"^arn:[\w-]+:states:([\w-]*):(\d*):([\w-]+):(.+)$")
_QCLOUD = re.compile(r"^qrn:qcs:asw:([\w-]*):(\d*):sdk:json:qcloud:([\w-]+):(.+)$")

CALLBACK = ".waitForTaskToken"
SYNC = ".sync"


@dataclass(frozen=True)
class ResourceSpec:
    text: str
    kind: str
    region: str = "us-east-1"
    account: str = "111111111111"
    service: str = ""            # "lambda", "scf", "sqs" ...
    action: str = ""             # "invoke", "Invoke", ...
    function: str | None = None  # function name fixed by the resource string
    pattern: str = ""            # "", ".sync", ".sync:2", ".waitForTaskToken"

    @property
    def legacy_lambda(self) -> bool:
        return self.kind == LAMBDA_ARN

    @property
    def callback(self) -> bool:
        return self.pattern == CALLBACK


def parse_resource(text: str) -> ResourceSpec | None:
    """Classify a Resource string; None when it is no URI we know."""
    m = _LAMBDA_ARN.match(text)
    if m:
        return ResourceSpec(text, LAMBDA_ARN, m.group(1) or "us-east-1", m.group(2) or "111111111111",
                            "lambda", "invoke", m.group(3))
    m = _SCF.match(text)
    if m:
        return ResourceSpec(text, SCF_INVOKE, m.group(1), m.group(2), "scf", "Invoke", m.group(3))
    m = _STATES.match(text)
    if m:
        service, rest = m.group(3), m.group(4)
        action, pattern = rest, ""
        for suffix in (CALLBACK, ".sync:2", SYNC):
            if rest.endswith(suffix):
                action, pattern = rest[: -len(suffix)], suffix
                break
        kind = LAMBDA_INVOKE if (service, action) == ("lambda", "invoke") else SERVICE
        return ResourceSpec(text, kind, m.group(1) or "us-east-1", m.group(2) or "111111111111",
                            service, action, None, pattern)
    m = _QCLOUD.match(text)
    if m:
        return ResourceSpec(text, SERVICE, m.group(1), m.group(2), m.group(3), m.group(4))
    if text.startswith(("arn:", "qrn:")):
        return ResourceSpec(text, SERVICE)
    return None


@dataclass
class TaskCall:
    """One attempt of a Task, as handed to a dispatcher."""

    spec: ResourceSpec
    payload: Any                   # the effective input (Parameters / Arguments output)
    state_name: str
    execution_arn: str
    attempt_key: str               # execution [+ child scope] + StateEntered id + attempt: idempotency key
    timeout_seconds: float | None
    heartbeat_seconds: float | None = None
    task_token: str | None = None
    awaiting_callback: bool = False  # the submitting call is done; waiting for SendTask*
    waiting_since: float | None = None  # when that wait began (the TaskSubmitted event's time)
    execution_deadline_bound: bool = False  # timeout_seconds was cut to the execution's deadline


@dataclass
class TaskOutcome:
    """What a Task attempt ended with."""

    status: str                    # "SUCCEEDED" | "FAILED" | "TIMED_OUT"
    output: Any = None
    error: str | None = None
    cause: str | None = None
    submitted: Any = field(default=None)  # response of the submitting call for callbacks
    heartbeat: bool = False        # TIMED_OUT because HeartbeatSeconds lapsed (not TimeoutSeconds)

    @staticmethod
    def succeeded(output: Any) -> TaskOutcome:
        return TaskOutcome("SUCCEEDED", output)

    @staticmethod
    def failed(error: str, cause: str | None) -> TaskOutcome:
        return TaskOutcome("FAILED", None, error, cause)

    @staticmethod
    def timed_out(cause: str | None = None) -> TaskOutcome:
        return TaskOutcome("TIMED_OUT", None, TIMEOUT, cause)

    @staticmethod
    def heartbeat_timed_out() -> TaskOutcome:
        """No heartbeat for HeartbeatSeconds: AWS records ``States.Timeout`` too, without a cause."""
        return TaskOutcome("TIMED_OUT", None, TIMEOUT, None, heartbeat=True)


SUBMITTED = "SUBMITTED"  # TaskOutcome status: a callback task's submitting call returned

PENDING = object()
"""A dispatcher's answer when the outcome will arrive later (the execution suspends)."""

Invoker = Callable[[TaskCall], TaskOutcome]


class ResourceRegistry:
    """Maps resource kinds / services to invokers."""

    def __init__(self) -> None:
        self._by_kind: dict[str, Invoker] = {}
        self._by_service: dict[str, Invoker] = {}

    def register_kind(self, kind: str, invoker: Invoker) -> None:
        self._by_kind[kind] = invoker

    def register_service(self, service: str, invoker: Invoker) -> None:
        self._by_service[service] = invoker

    def invoke(self, call: TaskCall) -> TaskOutcome:
        spec = call.spec
        invoker = self._by_kind.get(spec.kind) or self._by_service.get(spec.service)
        if invoker is None:
            return TaskOutcome.failed(
                "States.TaskFailed",
                f"No handler is registered for the resource '{spec.text}'.",
            )
        return invoker(call)


class Dispatcher(Protocol):
    """How an execution reaches the outside world at its blocking points."""

    def invoke(self, call: TaskCall) -> TaskOutcome | object:
        """Run the call, or return ``PENDING`` to suspend the execution."""

    def wait_until(self, deadline: float) -> bool:
        """Wait for a timer; False suspends the execution instead."""


class InlineDispatcher:
    """Runs Task calls synchronously through a registry and sleeps on a clock.

    A ``.waitForTaskToken`` Task waits in-process, on ``self.callbacks``, for its
    callback, its ``TimeoutSeconds`` or its ``HeartbeatSeconds`` (the scheduler's
    only thread waits with it: other branches do not run meanwhile). When nothing
    bounds that wait (no timeout, no heartbeat, no execution deadline) or
    ``wait_for_callbacks`` is False, the execution suspends instead (``PENDING``).
    """

    def __init__(self, registry: ResourceRegistry, clock: Any, *, wait_for_callbacks: bool = True):
        from .callbacks import TaskCallbacks  # callbacks.py builds on this module's types

        self.registry = registry
        self.clock = clock
        self.wait_for_callbacks = wait_for_callbacks
        self.callbacks = TaskCallbacks(clock)

    def invoke(self, call: TaskCall) -> TaskOutcome | object:
        if call.spec.callback:
            if call.awaiting_callback:
                if not self.wait_for_callbacks:
                    return PENDING  # only SendTaskSuccess/Failure (journaled by the runtime) completes it
                since = call.waiting_since if call.waiting_since is not None else self.clock.now()
                outcome = self.callbacks.await_outcome(call, since)
                return PENDING if outcome is None else outcome
            outcome = self.registry.invoke(call)
            if outcome.status != "SUCCEEDED":
                return outcome
            return TaskOutcome(SUBMITTED, submitted=outcome.output)
        return self.registry.invoke(call)

    def wait_until(self, deadline: float) -> bool:
        self.clock.sleep_until(deadline)
        return True

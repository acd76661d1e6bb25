"""Helpers for the interpreter suites: compile + run a definition with fakes (import from tests)."""

from __future__ import annotations

from typing import Any, Callable

from backend.engine.clock import FakeClock
from backend.engine.execution import Execution, ExecutionResult
from backend.engine.program import compile_definition
from backend.engine.resources import LAMBDA_ARN, LAMBDA_INVOKE, SCF_INVOKE, ResourceRegistry, TaskCall, TaskOutcome


class FakeFunctions:
    """Task invoker backed by Python callables; counts every call."""

    def __init__(self, functions: dict[str, Callable[[Any], Any]] | None = None):
        self.functions = dict(functions or {})
        self.calls: list[tuple[str, Any]] = []

    def __call__(self, call: TaskCall) -> TaskOutcome:
        if call.spec.kind == LAMBDA_INVOKE:
            name, payload = call.payload["FunctionName"], call.payload.get("Payload")
        else:
            name, payload = call.spec.function, call.payload
        self.calls.append((name, payload))
        result = self.functions[name](payload)
        if isinstance(result, TaskOutcome):
            return result
        return TaskOutcome.succeeded(result)

    def registry(self) -> ResourceRegistry:
        registry = ResourceRegistry()
        for kind in (LAMBDA_ARN, LAMBDA_INVOKE, SCF_INVOKE):
            registry.register_kind(kind, self)
        return registry


def lambda_arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:111111111111:function:{name}"


def run_definition(definition: dict, input_value: Any = None, *, functions: FakeFunctions | None = None,
                   clock: FakeClock | None = None, **kwargs: Any) -> ExecutionResult:
    program = compile_definition(definition, workflow_type=kwargs.pop("workflow_type", "STANDARD"))
    registry = (functions or FakeFunctions()).registry()
    return Execution(program, input_value, registry=registry, clock=clock or FakeClock(), **kwargs).run()


def event_types(result: ExecutionResult) -> list[str]:
    return [event.type for event in result.events]

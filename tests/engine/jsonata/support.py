"""A stand-in for the interpreter's evaluation scope, and a one-call evaluator."""

from __future__ import annotations

from typing import Any

from backend.engine.jsonata_query import compile_jsonata_value


class FakeScope:
    """Implements EvalScope from a dict of variables; records what is read."""

    def __init__(self, variables: dict[str, Any] | None = None, context: dict | None = None):
        self.variables = variables if variables is not None else {}
        self.context = context if context is not None else {"Execution": {"Name": "run-1"}}
        self.looked_up: list[str] = []
        self.context_calls = 0

    def context_object(self) -> dict:
        self.context_calls += 1
        return self.context

    def get_variable(self, name: str) -> Any:
        self.looked_up.append(name)
        return self.variables[name]


def evaluate(value: Any, states: dict | None = None, scope: FakeScope | None = None, field: str = "Output", **kw):
    """Compile ``value`` and evaluate it once."""
    compiled = compile_jsonata_value(value, pointer="/States/S/" + field)
    return compiled.evaluate(states if states is not None else {"input": {}}, scope or FakeScope(), field=field, **kw)

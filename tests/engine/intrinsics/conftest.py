"""A minimal evaluation scope for intrinsic tests: a Context Object and workflow variables."""

from __future__ import annotations

from typing import Any

import pytest


class FakeScope:
    """Implements EvalScope with fixed values."""

    def __init__(self, context: dict | None = None, variables: dict[str, Any] | None = None):
        self.context = context if context is not None else {}
        self.variables = variables if variables is not None else {}

    def context_object(self) -> dict:
        return self.context

    def get_variable(self, name: str) -> Any:
        return self.variables[name]


@pytest.fixture
def scope() -> FakeScope:
    return FakeScope(
        context={
            "Execution": {"Id": "arn:aws:states:us-east-1:111111111111:execution:sm:run-1", "Name": "run-1"},
            "StateMachine": {"Id": "arn:aws:states:us-east-1:111111111111:stateMachine:sm", "Name": "sm"},
            "Map": {"Item": {"Index": 1, "Value": "Pikachu"}},
        },
        variables={"template": "It's {}!", "numbers": [3, 1, 3], "count": 4},
    )

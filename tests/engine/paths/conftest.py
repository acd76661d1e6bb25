"""A minimal evaluation scope for path tests: a Context Object and workflow variables."""

from __future__ import annotations

from typing import Any

import pytest


class FakeScope:
    """Implements EvalScope; counts Context Object builds to check they stay lazy."""

    def __init__(self, context: dict | None = None, variables: dict[str, Any] | None = None):
        self.context = context if context is not None else {}
        self.variables = variables if variables is not None else {}
        self.context_builds = 0

    def context_object(self) -> dict:
        self.context_builds += 1
        return self.context

    def get_variable(self, name: str) -> Any:
        return self.variables[name]


@pytest.fixture
def scope() -> FakeScope:
    return FakeScope(
        context={"Execution": {"Id": "arn:exec:1", "Input": {"k": "v"}}, "Map": {"Item": {"Index": 2, "Value": "x"}}},
        variables={"count": 3, "order": {"items": [{"sku": "a"}, {"sku": "b"}], "total": 9}},
    )

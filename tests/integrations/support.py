"""Helpers for the integrations suite: run a definition through the real engine."""

from __future__ import annotations

from typing import Any

from backend.engine.clock import SystemClock
from backend.engine.execution import Execution, ExecutionResult
from backend.engine.journal import MemoryJournal
from backend.engine.program import compile_definition
from backend.engine.resources import InlineDispatcher, ResourceRegistry

EVERYTHING = ["arn:*", "qrn:*"]  # a run role's patterns that allow every resource


def run_workflow(definition: dict, input_value: Any, registry: ResourceRegistry,
                 journal: MemoryJournal | None = None, name: str | None = None) -> ExecutionResult:
    """One execution through the real engine: compile, InlineDispatcher over ``registry``, system clock."""
    program = compile_definition(definition, workflow_type="STANDARD")
    clock = SystemClock()
    return Execution(program, input_value, name=name, journal=journal, dispatcher=InlineDispatcher(registry, clock),
                     clock=clock).run()


def task(resource: str, **fields: Any) -> dict:
    """A one-Task workflow calling ``resource`` (extra fields go on the Task state)."""
    return {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": resource, "End": True, **fields}}}


def caught(resource: str, **fields: Any) -> dict:
    """A Task whose every error is caught into ``$.error`` and ends in the state ``Caught``."""
    return {
        "StartAt": "Call",
        "States": {
            "Call": {"Type": "Task", "Resource": resource, "End": True, **fields,
                     "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Caught"}]},
            "Caught": {"Type": "Pass", "End": True},
        },
    }

"""No malformed definition produces a traceback: compile raises DefinitionError or the run ends cleanly."""

from __future__ import annotations

import copy
import random

import pytest

from backend.engine.clock import FakeClock
from backend.engine.errors import DefinitionError
from backend.engine.execution import Execution
from backend.engine.program import compile_definition

SEEDS = [
    {"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {"a.$": "$.x", "b.$": "States.Format('{}', $.x)"}, "ResultPath": "$.r",
              "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericGreaterThan": 1, "Next": "W"},
                                            {"And": [{"Variable": "$.y", "IsPresent": True},
                                                     {"Variable": "$.y", "StringMatches": "a*"}], "Next": "F"}],
              "Default": "M"},
        "W": {"Type": "Wait", "SecondsPath": "$.x", "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "Next": "Par",
              "ItemSelector": {"v.$": "$$.Map.Item.Value"},
              "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}}},
        "Par": {"Type": "Parallel", "Next": "S", "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}],
                "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}]},
        "S": {"Type": "Succeed"},
        "F": {"Type": "Fail", "ErrorPath": "$.e", "Cause": "c"}}},
    {"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "Assign": {"v": "{% $states.input.x %}"}, "Output": {"o": "{% $v %}"}, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.x > 1 %}", "Next": "T"}],
              "Default": "M"},
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 3,
              "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"}, "Next": "M",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "M"}]},
        "M": {"Type": "Map", "Items": "{% [1, 2] %}", "End": True,
              "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Wait", "Seconds": "{% 1 %}",
                                                                 "End": True}}}}}},
]
BAD_VALUES = [None, 0, -1, 1.5, "", "x", "$", "$.", "$$", "{% %}", "{% $nope %}", [], {}, [1], {"a": 1}, True,
              "States.Nope()", "$.a[", 2 ** 40]


def _locations(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _locations(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _locations(item, path + (index,))


def _mutations(count: int):
    rng = random.Random(1234)
    for _ in range(count):
        definition = copy.deepcopy(rng.choice(SEEDS))
        path = rng.choice([p for p in _locations(definition) if p])
        parent = definition
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and rng.random() < 0.25:
            del parent[path[-1]]
        else:
            parent[path[-1]] = rng.choice(BAD_VALUES)
        yield definition


@pytest.mark.parametrize("definition", list(_mutations(400)))
def test_mutated_definition_compiles_or_is_rejected_and_runs_cleanly(definition):
    try:
        program = compile_definition(definition)
    except DefinitionError as error:
        assert error.pointer.startswith("/") and error.code and error.message
        return
    result = Execution(program, {"x": 2, "items": [1, 2], "e": "E"}, clock=FakeClock()).run()
    assert result.status in ("SUCCEEDED", "FAILED", "TIMED_OUT")

from __future__ import annotations

import pytest

from tests.engine.support import run_definition


def choice_machine(rule: dict, default: bool = True) -> dict:
    states = {
        "C": {"Type": "Choice", "Choices": [{**rule, "Next": "Yes"}]},
        "Yes": {"Type": "Pass", "Result": "yes", "End": True},
        "No": {"Type": "Pass", "Result": "no", "End": True},
    }
    if default:
        states["C"]["Default"] = "No"
    return {"StartAt": "C", "States": states}


@pytest.mark.parametrize("rule, data, expected", [
    ({"Variable": "$.v", "StringEquals": "a"}, {"v": "a"}, "yes"),
    ({"Variable": "$.v", "StringEquals": "a"}, {"v": 1}, "no"),  # type mismatch is false
    ({"Variable": "$.v", "StringLessThan": "b"}, {"v": "a"}, "yes"),
    ({"Variable": "$.v", "StringMatches": "log-*.txt"}, {"v": "log-1.txt"}, "yes"),
    ({"Variable": "$.v", "StringMatches": "a\\*"}, {"v": "ab"}, "no"),
    ({"Variable": "$.v", "NumericEquals": 1}, {"v": 1.0}, "yes"),
    ({"Variable": "$.v", "NumericGreaterThanEquals": 2}, {"v": 1}, "no"),
    ({"Variable": "$.v", "NumericLessThanPath": "$.w"}, {"v": 1, "w": 2}, "yes"),
    ({"Variable": "$.v", "BooleanEquals": True}, {"v": 1}, "no"),
    ({"Variable": "$.v", "TimestampLessThan": "2020-01-01T00:00:00Z"}, {"v": "2019-12-31T23:59:59.5+00:00"}, "yes"),
    ({"Variable": "$.v", "TimestampEquals": "2020-01-01T00:00:00Z"}, {"v": "2020-01-01"}, "no"),
    ({"Variable": "$.v", "IsNull": True}, {"v": None}, "yes"),
    ({"Variable": "$.v", "IsPresent": False}, {}, "yes"),
    ({"Variable": "$.v", "IsNumeric": True}, {"v": True}, "no"),
    ({"Variable": "$.v", "IsTimestamp": True}, {"v": "2020-01-01T00:00:00Z"}, "yes"),
    ({"And": [{"Variable": "$.a", "NumericEquals": 1}, {"Variable": "$.b", "NumericEquals": 2}]}, {"a": 1, "b": 2}, "yes"),
    ({"Or": [{"Variable": "$.a", "NumericEquals": 9}, {"Variable": "$.b", "NumericEquals": 2}]}, {"a": 1, "b": 2}, "yes"),
    ({"Not": {"Variable": "$.a", "NumericEquals": 1}}, {"a": 1}, "no"),
])
def test_operators(rule, data, expected):
    assert run_definition(choice_machine(rule), data).output == expected


def test_no_match_without_default_fails_with_no_choice_matched():
    result = run_definition(choice_machine({"Variable": "$.v", "NumericEquals": 1}, default=False), {"v": 2})
    assert (result.status, result.error) == ("FAILED", "States.NoChoiceMatched")


def test_choice_loop_runs_until_the_condition_flips():
    definition = {
        "StartAt": "Inc",
        "States": {
            "Inc": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Check"},
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 5, "Next": "Inc"}],
                      "Default": "Done"},
            "Done": {"Type": "Succeed"},
        },
    }
    result = run_definition(definition, {"n": 0})
    assert result.output == {"n": 5}
    assert result.transitions == 11

"""The execution output quota (256 KiB of UTF-8) and $$.Execution.RedriveCount."""

from __future__ import annotations

import json

import pytest

from backend.engine.execution import PAYLOAD_LIMIT, Execution
from backend.engine.program import compile_definition

PASS = compile_definition(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))


def output_of_size(size: int, char: str = "x") -> str:
    """A JSON string value whose compact encoding is ``size`` UTF-8 bytes."""
    width = len(char.encode())
    assert (size - 2) % width == 0
    return char * ((size - 2) // width)


@pytest.mark.parametrize("char", ["x", "é", "€"])
def test_an_output_of_exactly_256_kib_succeeds_and_one_byte_more_fails(char):
    width = len(char.encode())
    fits = output_of_size(PAYLOAD_LIMIT - (PAYLOAD_LIMIT - 2) % width, char)
    result = Execution(PASS, fits).run()
    assert result.status == "SUCCEEDED"
    assert result.output_text == json.dumps(fits, ensure_ascii=False)
    too_big = fits + char
    result = Execution(PASS, too_big).run()
    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded")
    assert str(PAYLOAD_LIMIT) in result.cause
    assert [event.type for event in result.events][-1] == "ExecutionFailed"


def test_redrive_count_is_what_the_run_that_entered_the_state_saw():
    program = compile_definition(json.dumps({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Parameters": {"n.$": "$$.Execution.RedriveCount"}, "ResultPath": "$.a", "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"n.$": "$$.Execution.RedriveCount"}, "ResultPath": "$.b",
              "End": True}}}))
    assert Execution(program, {}).run().output == {"a": {"n": 0}, "b": {"n": 0}}
    assert Execution(program, {}, redrive_count=3).run().output == {"a": {"n": 3}, "b": {"n": 3}}
    # Events from #4 on (B entered) were recorded by the run of the second redrive.
    redriven = Execution(program, {}, redrive_count=2)
    redriven.redrive_points = ((4, 2),)
    assert redriven.run().output == {"a": {"n": 0}, "b": {"n": 2}}

from __future__ import annotations

import pytest

from backend.engine.errors import DefinitionError
from backend.engine.program import compile_definition
from tests.engine.support import run_definition


def machine(state: dict) -> dict:
    return {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True, **state}}}


def test_pass_without_fields_returns_its_input():
    assert run_definition(machine({}), {"a": 1}).output == {"a": 1}


def test_result_replaces_input_by_default():
    assert run_definition(machine({"Result": {"x": 1}}), {"a": 1}).output == {"x": 1}


def test_result_path_merges_into_the_input_without_mutating_it():
    original = {"a": {"b": 1}}
    result = run_definition(machine({"Result": 2, "ResultPath": "$.a.c"}), original)
    assert result.output == {"a": {"b": 1, "c": 2}}
    assert original == {"a": {"b": 1}}


def test_parameters_build_the_result_from_paths_and_intrinsics():
    state = {"Parameters": {"sum.$": "States.MathAdd($.x, 1)", "copy.$": "$.x", "fixed": "v"}}
    assert run_definition(machine(state), {"x": 41}).output == {"sum": 42, "copy": 41, "fixed": "v"}


def test_tcsl_pass_accepts_result_selector():
    state = {"Result": {"a": 1, "b": 2}, "ResultSelector": {"only.$": "$.b"}}
    assert run_definition(machine(state), {}).output == {"only": 2}


def test_oversized_literal_result_fails_with_data_limit_exceeded():
    result = run_definition(machine({"Result": "a" * 300_000}), {})
    assert (result.status, result.error) == ("FAILED", "States.DataLimitExceeded")
    assert "'P'" in result.cause


@pytest.mark.parametrize("definition, pointer", [
    ({"StartAt": "P", "States": {"P": {"Type": "Pass"}}}, "/States/P"),
    ({"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Nope"}}}, "/States/P/Next"),
    ({"StartAt": "Q", "States": {"P": {"Type": "Pass", "End": True}}}, "/StartAt"),
    ({"StartAt": "P", "States": {"P": {"Type": "Bogus", "End": True}}}, "/States/P/Type"),
    ({"StartAt": "P", "States": []}, "/States"),
])
def test_malformed_definitions_raise_a_located_definition_error(definition, pointer):
    with pytest.raises(DefinitionError) as caught:
        compile_definition(definition)
    assert caught.value.pointer == pointer

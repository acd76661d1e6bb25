"""Mistakes visible in the definition itself are DefinitionErrors at compile time."""

from __future__ import annotations

import pytest

from backend.engine.errors import DefinitionError
from backend.engine.intrinsics import compile_intrinsic

POINTER = "/States/Build~1It/Parameters/greeting.$"


def rejected(text: str) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        compile_intrinsic(text, pointer=POINTER)
    return caught.value


def test_error_names_the_pointer_and_the_field():
    error = rejected("States.Nope()")
    assert error.pointer == POINTER
    assert error.code == "SCHEMA_VALIDATION_FAILED"
    assert error.message.startswith(
        "The value for the field 'greeting.$' must be a valid JSONPath or a valid intrinsic function call"
    )
    assert "'States.Nope' is not a known intrinsic function" in error.message


def test_explicit_field_name_overrides_the_pointer():
    with pytest.raises(DefinitionError, match="field 'CausePath'"):
        compile_intrinsic("States.Format(1)", pointer="/States/Fail/CausePath", field="CausePath")


def test_function_names_are_case_sensitive():
    assert "not a known" in rejected("States.format('x')").message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("States.MathAdd(1)", "States.MathAdd takes exactly 2 arguments, but 1 was given"),
        ("States.UUID(1)", "States.UUID takes exactly 0 arguments, but 1 was given"),
        ("States.MathRandom(1)", "States.MathRandom takes 2 to 3 arguments, but 1 was given"),
        ("States.MathRandom(1, 2, 3, 4)", "States.MathRandom takes 2 to 3 arguments, but 4 were given"),
        ("States.Format()", "States.Format takes at least 1 argument, but 0 were given"),
        ("States.JsonMerge($.a, $.b)", "States.JsonMerge takes exactly 3 arguments, but 2 were given"),
    ],
)
def test_wrong_argument_count(text, reason):
    assert reason in rejected(text).message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("States.ArrayLength('abc')", "argument 1 of States.ArrayLength: expected an array, but a literal string was given"),
        ("States.JsonMerge($.a, 1, false)", "argument 2 of States.JsonMerge: expected an object"),
        ("States.MathAdd('1', 2)", "argument 1 of States.MathAdd: expected a number, but a literal string was given"),
        ("States.ArrayGetItem($.a, 1.5)", "expected an integer, but the literal 1.5 was given"),
        ("States.StringSplit($.s, 1)", "expected a string, but a literal number was given"),
        ("States.JsonMerge($.a, $.b, 'false')", "expected a boolean, but a literal string was given"),
        ("States.Format(null)", "expected a string, but a literal null was given"),
        ("States.JsonMerge($.a, $.b, true)", "only a shallow merge is supported"),
        ("States.Hash($.a, 'SHA-2')", "the algorithm 'SHA-2' is not supported"),
        ("States.ArrayPartition($.a, 0)", "the chunk size must be a positive integer, got 0"),
        ("States.ArrayRange(1, 5, 0)", "the step must not be 0"),
    ],
)
def test_literal_argument_that_can_never_work(text, reason):
    assert reason in rejected(text).message


def test_literal_format_template_must_match_its_arguments():
    assert "the template has 2 placeholder(s) '{}' but 1 value(s) were given" in rejected(
        "States.Format('{} and {}', $.a)"
    ).message
    assert "0 placeholder(s)" in rejected(r"States.Format('\{\}', $.a)").message


def test_nested_calls_are_checked_too():
    assert "States.MathAdd takes exactly 2" in rejected("States.Array(States.MathAdd(1))").message


def test_syntax_errors_and_bad_paths_are_definition_errors():
    assert "not closed" in rejected("States.Array($.a").message
    with pytest.raises(DefinitionError):
        compile_intrinsic("States.Array($.a[?(@.b ==)])", pointer=POINTER)


def test_an_integral_float_literal_is_an_integer():
    assert compile_intrinsic("States.ArrayGetItem($.a, 1.0)", pointer=POINTER)({"a": [7, 8]}, None) == 8

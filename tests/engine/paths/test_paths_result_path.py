"""ResultPath: replace, discard, merge into a copy of the raw input; never mutate."""

from __future__ import annotations

import copy

import pytest

from backend.engine.errors import DefinitionError, StatesError
from backend.engine.paths import compile_result_path


def apply(path, raw_input, result):
    return compile_result_path(path, pointer="/States/T/ResultPath").apply(raw_input, result)


def test_dollar_replaces_the_input():
    assert apply("$", {"a": 1}, {"r": 2}) == {"r": 2}


# IO-04: null discards the result; the output is the raw input.
def test_null_discards_the_result():
    raw = {"a": 1}
    assert apply(None, raw, {"r": 2}) is raw


# IO-06: merge into a copy of the raw input, overwriting or creating intermediates.
def test_merge_creates_intermediate_objects():
    raw = {"master": {"detail": [1, 2, 3]}}
    assert apply("$.master.result.sum", raw, 6) == {"master": {"detail": [1, 2, 3], "result": {"sum": 6}}}


def test_merge_overwrites_an_existing_field():
    assert apply("$.a", {"a": {"old": True}, "b": 2}, "new") == {"a": "new", "b": 2}


def test_merge_with_bracket_notation_and_index():
    assert apply("$['x y'][1]", {"x y": [0, 0, 0]}, "r") == {"x y": [0, "r", 0]}
    assert apply("$.a[-1].b", {"a": [{}, {"c": 1}]}, 2) == {"a": [{}, {"c": 1, "b": 2}]}


def test_copy_on_write_leaves_inputs_unchanged_and_shares_untouched_parts():
    raw = {"keep": {"deep": [1, 2]}, "path": {"sibling": {"x": 1}}}
    result = {"r": [1]}
    before_raw, before_result = copy.deepcopy(raw), copy.deepcopy(result)

    out = apply("$.path.target", raw, result)

    assert raw == before_raw and result == before_result
    assert out == {"keep": {"deep": [1, 2]}, "path": {"sibling": {"x": 1}, "target": {"r": [1]}}}
    # Only containers on the path are new; everything else is shared.
    assert out is not raw and out["path"] is not raw["path"]
    assert out["keep"] is raw["keep"]
    assert out["path"]["sibling"] is raw["path"]["sibling"]
    assert out["path"]["target"] is result


def test_key_order_of_the_raw_input_is_kept():
    assert list(apply("$.b", {"b": 0, "a": 1}, 2)) == ["b", "a"]
    assert list(apply("$.c", {"b": 0, "a": 1}, 2)) == ["b", "a", "c"]


# IO-07: a ResultPath that cannot be applied.
@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("$.x", "foo"),
        ("$.x", [1, 2]),
        ("$.a.b", {"a": 5}),
        ("$.a.b", {"a": None}),
        ("$.a[3]", {"a": [1]}),
        ("$.a[0]", {"a": {"0": 1}}),
        ("$.a[0]", {}),
    ],
)
def test_unappliable_result_path_is_result_path_match_failure(path, raw):
    with pytest.raises(StatesError) as caught:
        apply(path, raw, 1)
    assert caught.value.error == "States.ResultPathMatchFailure"
    assert path in caught.value.cause


def test_failure_cause_names_path_and_input():
    with pytest.raises(StatesError) as caught:
        apply("$.x", "foo", 1)
    assert caught.value.cause == 'Unable to apply ReferencePath $.x to input "foo"'
    with pytest.raises(StatesError) as caught:
        apply("$.a.b", {"a": 5, "k": [1]}, 1)
    assert caught.value.cause == 'Unable to apply ReferencePath $.a.b to input {"a":5,"k":[1]}'


# IO-08 / PATH-06 / VAR-12: ResultPath is a Reference Path on the input only.
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("$$.Execution", "Context Object"),
        ("$myVar", "variable"),
        ("$myVar.x", "variable"),
        ("$.a[0,1]", "Reference Path"),
        ("$.a[*]", "Reference Path"),
        ("$..a", "Reference Path"),
        ("$.a[?(@.x)]", "Reference Path"),
        ("$.a['x','y']", "Reference Path"),
        ("a.b", "must start with '$'"),
    ],
)
def test_invalid_result_paths_are_definition_errors(path, reason):
    with pytest.raises(DefinitionError) as caught:
        compile_result_path(path, pointer="/States/T/ResultPath")
    assert caught.value.pointer == "/States/T/ResultPath"
    assert caught.value.code == "INVALID_JSONPATH"
    assert reason in caught.value.message


def test_non_string_result_path_is_a_definition_error():
    with pytest.raises(DefinitionError):
        compile_result_path(["$"], pointer="/States/T/ResultPath")  # type: ignore[arg-type]

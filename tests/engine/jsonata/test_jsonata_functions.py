"""Step Functions' extra JSONata functions, and built-ins that must behave as in JavaScript."""

from __future__ import annotations

import hashlib
import re

import pytest

from backend.engine.jsonata_query import QueryEvaluationError
from tests.engine.jsonata.support import evaluate


def run(expression: str, states_input=None):
    return evaluate("{% " + expression + " %}", {"input": states_input if states_input is not None else {}})


def is_undefined(expression: str) -> bool:
    try:
        run(expression)
    except QueryEvaluationError as error:
        return error.cause.endswith("returned nothing (undefined).")
    return False


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("[0], 2", [[0]]),
        ("[0, 1], 1", [[0], [1]]),
        ("[0, 1, 2], 2", [[0, 1], [2]]),
        ("[0, 1, 2, 3], 2", [[0, 1], [2, 3]]),
        ("[0, 1, 2], 5", [[0, 1, 2]]),
        ("[0, 1, 2, 3, 4], 2.9", [[0, 1], [2, 3], [4]]),
    ],
)
def test_partition(arguments, expected):
    assert run(f"$partition({arguments})") == expected


@pytest.mark.parametrize("arguments", ["[1, 2], 0", "[], 2", "[1, 2], -1"])
def test_partition_without_chunks_is_undefined(arguments):
    assert is_undefined(f"$partition({arguments})")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("0, 9, 3", [0, 3, 6, 9]),
        ("0, 10, 3", [0, 3, 6, 9]),
        ("1, 9, 2", [1, 3, 5, 7, 9]),
        ("5, 1, -2", [5, 3, 1]),
        ("-1.7, 2, 1", [-1, 0, 1, 2]),
        ("4, 4, 1", 4),
    ],
)
def test_range(arguments, expected):
    assert run(f"$range({arguments})") == expected


@pytest.mark.parametrize("arguments", ["1, 5", "1, 5, 0", "1, 5, -1", "5, 1, 1"])
def test_range_that_cannot_be_walked_is_undefined(arguments):
    assert is_undefined(f"$range({arguments})")


@pytest.mark.parametrize(
    ("algorithm", "function"),
    [("MD5", hashlib.md5), ("SHA-1", hashlib.sha1), ("SHA-256", hashlib.sha256), ("SHA-512", hashlib.sha512)],
)
def test_hash(algorithm, function):
    assert run(f"$hash('input data', '{algorithm}')") == function(b"input data").hexdigest()


def test_hash_algorithm_names_are_case_sensitive():
    with pytest.raises(QueryEvaluationError) as caught:
        run("$hash('x', 'sha-256')")
    assert "threw an error during evaluation" in caught.value.cause
    assert is_undefined("$hash('x')")


def test_random_is_in_the_unit_interval_and_seeded_random_repeats():
    values = {run("$random()") for _ in range(20)}
    assert all(0 <= value < 1 for value in values) and len(values) > 1
    assert run("$random(7)") == run("$random(7)")
    assert run("$random(7)") != run("$random(8)")


def test_uuid_is_a_version_4_uuid():
    value = run("$uuid()")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", value)
    assert value != run("$uuid()")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-0", 0),
        ("1", 1),
        ("1.1", 1.1),
        ("true", True),
        ('"HelloWorld"', "HelloWorld"),
        ('[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]),
        ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []}),
        ("null", None),
    ],
)
def test_parse(text, expected):
    # The first seven are AWS-recorded (intrinsic_functions test_parse).
    assert run("$parse($states.input.text)", {"text": text}) == expected


@pytest.mark.parametrize("text", ["{oops", "NaN", "[1, Infinity]"])
def test_parse_of_bad_json_fails(text):
    with pytest.raises(QueryEvaluationError) as caught:
        run("$parse($states.input.text)", {"text": text})
    assert "threw an error during evaluation" in caught.value.cause


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("$string(1e20)", "100000000000000000000"),
        ("$string(1e21)", "1e+21"),
        ("$string(0.1 + 0.2)", "0.3"),
        ("$string(1/3)", "0.333333333333333"),
        ("$string(1.5e-7)", "1.5e-7"),
        ("$string({'a': [1.0, 0.1 + 0.2, null, true]})", '{"a":[1,0.3,null,true]}'),
        ("$string({'a': 1}, true)", '{\n  "a": 1\n}'),
        ("'n' & 2.50", "n2.5"),
        ("$string('text')", "text"),
    ],
)
def test_string_writes_numbers_as_javascript(expression, expected):
    assert run(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [("$number('2')", 2), ("$number('1e3')", 1000), ("$number('0x1F')", 31), ("$number(false)", 0)],
)
def test_number(expression, expected):
    assert run(expression) == expected


def test_merge_of_dynamic_objects():
    # AWS-recorded: evaluate_jsonata test_merge_with_dynamic_args.
    states_input = {"part1": {"hello": "world"}, "part2": {"foo": "bar"}}
    assert run("$merge([$states.input.part1, $states.input.part2])", states_input) == {
        "hello": "world",
        "foo": "bar",
    }

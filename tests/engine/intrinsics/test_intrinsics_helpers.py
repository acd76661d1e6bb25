"""The pure helpers in intrinsics.functions (also used by the JSONata extras)."""

from __future__ import annotations

import pytest

from backend.engine.intrinsics import functions as fn


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0.0, "0.0"),
        (100.0, "100.0"),
        (9999999.0, "9999999.0"),
        (10000000.0, "1.0E7"),
        (-1.5e-7, "-1.5E-7"),
        (1.7976931348623157e308, "1.7976931348623157E308"),
        (float("nan"), "NaN"),
        (float("-inf"), "-Infinity"),
    ],
)
def test_java_double_text(number, text):
    assert fn.java_double_text(number) == text


@pytest.mark.parametrize(("number", "rounded"), [(7, 7), (1.5, 2), (-1.5, -1), (-1.51, -2), (2.4999, 2), (1e20, 10**20)])
def test_java_round(number, rounded):
    assert fn.java_round(number) == rounded


def test_java_round_rejects_non_finite_numbers():
    with pytest.raises(fn.FunctionArgumentError):
        fn.java_round(float("inf"))


def test_split_format_template():
    assert fn.split_format_template("a{}b{}") == ["a", "b", ""]
    assert fn.split_format_template(r"\{}{}") == ["{}", ""]
    with pytest.raises(fn.FunctionArgumentError):
        fn.split_format_template("x\\")


def test_partition_and_range_and_unique():
    assert fn.partition([1, 2, 3], 2) == [[1, 2], [3]]
    with pytest.raises(fn.FunctionArgumentError):
        fn.partition([1], 0)
    assert fn.array_range(0, -4, -2) == [0, -2, -4]
    with pytest.raises(fn.FunctionArgumentError):
        fn.array_range(0, 1, 0)
    assert fn.array_unique([{"a": [1]}, {"a": [1.0]}, {"a": [True]}]) == [{"a": [1]}, {"a": [True]}]


def test_hash_text_of_non_strings_hashes_their_json_text():
    assert fn.hash_text({"a": 1}, "MD5") == fn.hash_text('{"a":1}', "MD5")


def test_random_integer_with_a_seed_is_deterministic():
    assert fn.random_integer(0, 10**9, 7) == fn.random_integer(0, 10**9, 7)


def test_json_equal():
    assert fn.json_equal({"a": [1, None]}, {"a": [1.0, None]})
    assert not fn.json_equal(1, True)
    assert not fn.json_equal({"a": 1}, {"a": 1, "b": 2})
    assert not fn.json_equal([1], (1,))

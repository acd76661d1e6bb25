"""The ``States.*`` functions: their parameters and what they compute.

Each entry says how many arguments a function takes and which JSON type each must
have. The compiler uses the types to reject literal arguments of the wrong type when
the definition is compiled; the implementations check the values again at run time
(paths and nested calls are only known then) and raise ``FunctionArgumentError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from backend.engine.intrinsics import functions as fn
from backend.engine.intrinsics.functions import FunctionArgumentError
from backend.engine.json_types import json_type

# Parameter kinds (JSON types; "integer" is a number with no fractional part).
ANY = "any"
ARRAY = "array"
BOOLEAN = "boolean"
INTEGER = "integer"
NUMBER = "number"
OBJECT = "object"
STRING = "string"


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    implementation: Callable[..., Any]
    parameters: tuple[str, ...]
    optional: int = 0  # how many trailing parameters may be left out
    variadic: str | None = None  # kind of any arguments after ``parameters``
    # Extra check of a literal argument's value: (position, value) -> reason or None.
    literal_rule: Callable[[int, Any], str | None] | None = None

    @property
    def min_arguments(self) -> int:
        return len(self.parameters) - self.optional

    @property
    def max_arguments(self) -> int | None:
        return None if self.variadic else len(self.parameters)

    def kind_of(self, position: int) -> str:
        if position < len(self.parameters):
            return self.parameters[position]
        return self.variadic or ANY

    def arity_text(self) -> str:
        low, high = self.min_arguments, self.max_arguments
        if high is None:
            return f"at least {low} argument{'s' if low != 1 else ''}"
        if low == high:
            return f"exactly {low} argument{'s' if low != 1 else ''}"
        return f"{low} to {high} arguments"


# --- run-time argument checks ---------------------------------------------------------

_ORDINALS = ("first", "second", "third")


def _wrong_type(value: Any, position: int, expected: str) -> FunctionArgumentError:
    ordinal = _ORDINALS[position] if position < len(_ORDINALS) else f"#{position + 1}"
    return FunctionArgumentError(
        f"the {ordinal} argument must be {expected}, but was {json_type(value)}: {fn.json_text(value)}"
    )


def _string(value: Any, position: int) -> str:
    if isinstance(value, str):
        return value
    raise _wrong_type(value, position, "a string")


def _array(value: Any, position: int) -> list:
    if isinstance(value, list):
        return value
    raise _wrong_type(value, position, "an array")


def _object(value: Any, position: int) -> dict:
    if isinstance(value, dict):
        return value
    raise _wrong_type(value, position, "an object")


def _number(value: Any, position: int) -> int | float:
    if fn.is_number(value):
        return value
    raise _wrong_type(value, position, "a number")


def _integer(value: Any, position: int) -> int:
    if type(value) is int:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _wrong_type(value, position, "an integer")


# --- implementations ------------------------------------------------------------------


def _format(template: Any, *values: Any) -> str:
    pieces = fn.split_format_template(_string(template, 0))
    return fn.fill_format_template(pieces, values)


def _string_to_json(text: Any) -> Any:
    return fn.parse_json_text(_string(text, 0))


def _json_to_string(value: Any) -> str:
    return fn.json_text(value)


def _array_of(*values: Any) -> list:
    return list(values)


def _array_partition(items: Any, size: Any) -> list:
    return fn.partition(_array(items, 0), _integer(size, 1))


def _array_contains(items: Any, value: Any) -> bool:
    return fn.array_contains(_array(items, 0), value)


def _array_range(start: Any, end: Any, step: Any) -> list:
    return fn.array_range(_integer(start, 0), _integer(end, 1), _integer(step, 2))


def _array_get_item(items: Any, index: Any) -> Any:
    return fn.array_get_item(_array(items, 0), _integer(index, 1))


def _array_length(items: Any) -> int:
    return len(_array(items, 0))


def _array_unique(items: Any) -> list:
    return fn.array_unique(_array(items, 0))


def _base64_encode(text: Any) -> str:
    return fn.base64_encode(_string(text, 0))


def _base64_decode(text: Any) -> str:
    return fn.base64_decode(_string(text, 0))


def _hash(data: Any, algorithm: Any) -> str:
    return fn.hash_text(data, _string(algorithm, 1))


def _json_merge(left: Any, right: Any, deep: Any) -> dict:
    if deep is not False:
        if deep is True:
            raise FunctionArgumentError("only a shallow merge is supported: the third argument must be false")
        raise _wrong_type(deep, 2, "a boolean")
    return fn.json_merge(_object(left, 0), _object(right, 1))


def _math_random(start: Any, end: Any, seed: Any = None) -> int:
    low = fn.java_round(_number(start, 0))
    high = fn.java_round(_number(end, 1))
    if seed is not None:
        seed = fn.java_round(_number(seed, 2))
    return fn.random_integer(low, high, seed)


def _math_add(left: Any, right: Any) -> int:
    if type(left) is int and type(right) is int:  # the common case, kept fast
        return left + right
    return fn.java_round(_number(left, 0)) + fn.java_round(_number(right, 1))


def _string_split(text: Any, delimiters: Any) -> list[str]:
    return fn.string_split(_string(text, 0), _string(delimiters, 1))


def _uuid() -> str:
    return fn.uuid4()


def _positive_size(position: int, value: Any) -> str | None:
    if position == 1 and fn.is_number(value) and value <= 0:
        return f"the chunk size must be a positive integer, got {fn.json_text(value)}"
    return None


def _non_zero_step(position: int, value: Any) -> str | None:
    if position == 2 and value == 0 and fn.is_number(value):
        return "the step must not be 0"
    return None


def _known_algorithm(position: int, value: Any) -> str | None:
    if position == 1 and value not in fn.HASH_ALGORITHMS:
        return f"the algorithm '{value}' is not supported; use one of {', '.join(fn.HASH_ALGORITHMS)}"
    return None


def _shallow_only(position: int, value: Any) -> str | None:
    if position == 2 and value is True:
        return "only a shallow merge is supported: the third argument must be false"
    return None


FORMAT = "States.Format"

_SPECS = (
    FunctionSpec(FORMAT, _format, (STRING,), variadic=ANY),
    FunctionSpec("States.StringToJson", _string_to_json, (STRING,)),
    FunctionSpec("States.JsonToString", _json_to_string, (ANY,)),
    FunctionSpec("States.Array", _array_of, (), variadic=ANY),
    FunctionSpec("States.ArrayPartition", _array_partition, (ARRAY, INTEGER), literal_rule=_positive_size),
    FunctionSpec("States.ArrayContains", _array_contains, (ARRAY, ANY)),
    FunctionSpec("States.ArrayRange", _array_range, (INTEGER, INTEGER, INTEGER), literal_rule=_non_zero_step),
    FunctionSpec("States.ArrayGetItem", _array_get_item, (ARRAY, INTEGER)),
    FunctionSpec("States.ArrayLength", _array_length, (ARRAY,)),
    FunctionSpec("States.ArrayUnique", _array_unique, (ARRAY,)),
    FunctionSpec("States.Base64Encode", _base64_encode, (STRING,)),
    FunctionSpec("States.Base64Decode", _base64_decode, (STRING,)),
    FunctionSpec("States.Hash", _hash, (ANY, STRING), literal_rule=_known_algorithm),
    FunctionSpec("States.JsonMerge", _json_merge, (OBJECT, OBJECT, BOOLEAN), literal_rule=_shallow_only),
    FunctionSpec("States.MathRandom", _math_random, (NUMBER, NUMBER, NUMBER), optional=1),
    FunctionSpec("States.MathAdd", _math_add, (NUMBER, NUMBER)),
    FunctionSpec("States.StringSplit", _string_split, (STRING, STRING)),
    FunctionSpec("States.UUID", _uuid, ()),
)

FUNCTIONS: dict[str, FunctionSpec] = {spec.name: spec for spec in _SPECS}


def literal_problem(spec: FunctionSpec, position: int, value: Any) -> str | None:
    """Why a literal argument at ``position`` can never work (``None`` when it can)."""
    reason = _type_mismatch(spec.kind_of(position), value)
    if reason is None and spec.literal_rule is not None:
        reason = spec.literal_rule(position, value)
    return reason


def _type_mismatch(kind: str, value: Any) -> str | None:
    if kind == ANY:
        return None
    if kind in (ARRAY, OBJECT):
        return f"expected an {kind}, but a literal {json_type(value)} was given"
    actual = json_type(value)
    if kind == INTEGER:
        if fn.is_number(value) and float(value).is_integer():
            return None
        return f"expected an integer, but the literal {fn.json_text(value)} was given"
    if kind == NUMBER:
        return None if actual == "number" else f"expected a number, but a literal {actual} was given"
    if kind == actual:
        return None
    return f"expected a {kind}, but a literal {actual} was given"

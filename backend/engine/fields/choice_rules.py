"""Choice rules compiled to small predicate functions ``rule(data, frame) -> bool``.

JSONPath rules: ``And`` / ``Or`` / ``Not`` or ``Variable`` + one comparison
operator (value or ``...Path`` form). A comparison between mismatched types is
simply false. JSONata rules use ``Condition``.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..definition import JSONATA, Node
from ..errors import RUNTIME, DefinitionError, StatesError
from ..paths import compile_path
from .timestamps import parse_timestamp

Rule = Callable[[Any, Any], bool]


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _string_op(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda a, b: isinstance(a, str) and isinstance(b, str) and op(a, b)


def _numeric_op(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda a, b: _is_number(a) and _is_number(b) and op(a, b)


def _timestamp_op(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(a: Any, b: Any) -> bool:
        ta, tb = parse_timestamp(a), parse_timestamp(b)
        return ta is not None and tb is not None and op(ta, tb)

    return compare


def _boolean_equals(a: Any, b: Any) -> bool:
    return isinstance(a, bool) and isinstance(b, bool) and a == b


_EQ = lambda a, b: a == b  # noqa: E731
_LT = lambda a, b: a < b  # noqa: E731
_GT = lambda a, b: a > b  # noqa: E731
_LE = lambda a, b: a <= b  # noqa: E731
_GE = lambda a, b: a >= b  # noqa: E731

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "StringEquals": _string_op(_EQ),
    "StringLessThan": _string_op(_LT),
    "StringGreaterThan": _string_op(_GT),
    "StringLessThanEquals": _string_op(_LE),
    "StringGreaterThanEquals": _string_op(_GE),
    "NumericEquals": _numeric_op(_EQ),
    "NumericLessThan": _numeric_op(_LT),
    "NumericGreaterThan": _numeric_op(_GT),
    "NumericLessThanEquals": _numeric_op(_LE),
    "NumericGreaterThanEquals": _numeric_op(_GE),
    "BooleanEquals": _boolean_equals,
    "TimestampEquals": _timestamp_op(_EQ),
    "TimestampLessThan": _timestamp_op(_LT),
    "TimestampGreaterThan": _timestamp_op(_GT),
    "TimestampLessThanEquals": _timestamp_op(_LE),
    "TimestampGreaterThanEquals": _timestamp_op(_GE),
}

TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "IsNull": lambda v: v is None,
    "IsNumeric": _is_number,
    "IsString": lambda v: isinstance(v, str),
    "IsBoolean": lambda v: isinstance(v, bool),
    "IsTimestamp": lambda v: parse_timestamp(v) is not None,
}

def _glob(pattern: str) -> re.Pattern[str]:
    """StringMatches: ``*`` is a wildcard; ``\\*`` and ``\\\\`` are literal."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "*" else re.escape(c))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def compile_rule(node: Node, top_level: bool) -> Rule:
    data = node.data
    if "And" in data or "Or" in data:
        key = "And" if "And" in data else "Or"
        items = node.array(key) or []
        if not items:
            raise node.error(key, f"'{key}' must be a non-empty array")
        rules = tuple(compile_rule(Node(item, f"{node.at(key)}/{i}"), False) for i, item in enumerate(items))
        if key == "And":
            return lambda value, frame: all(rule(value, frame) for rule in rules)
        return lambda value, frame: any(rule(value, frame) for rule in rules)
    if "Not" in data:
        inner = compile_rule(node.child("Not"), False)
        return lambda value, frame: not inner(value, frame)
    variable_text = node.string("Variable")
    if variable_text is None:
        raise node.error(None, "A choice rule needs 'Variable' and a comparison operator, or And/Or/Not")
    select = compile_path(variable_text, pointer=node.at("Variable")).select
    operators = [k for k in data if k in COMPARISONS or k.endswith("Path") and k[:-4] in COMPARISONS
                 or k in TYPE_TESTS or k in ("IsPresent", "StringMatches")]
    if len(operators) != 1:
        raise node.error(None, "A choice rule must have exactly one comparison operator")
    op = operators[0]
    operand = data[op]

    if op == "IsPresent":
        if not isinstance(operand, bool):
            raise node.error(op, "'IsPresent' must be a boolean")

        def is_present(value: Any, frame: Any) -> bool:
            try:
                select(value, frame)
            except StatesError:
                return not operand
            return operand

        return is_present

    def variable(value: Any, frame: Any) -> Any:
        return select(value, frame)

    if op in TYPE_TESTS:
        if not isinstance(operand, bool):
            raise node.error(op, f"'{op}' must be a boolean")
        test = TYPE_TESTS[op]

        def type_test(value: Any, frame: Any) -> bool:
            try:
                v = select(value, frame)
            except StatesError:
                return False
            return test(v) == operand

        return type_test
    if op == "StringMatches":
        if not isinstance(operand, str):
            raise node.error(op, "'StringMatches' must be a string")
        matcher = _glob(operand).fullmatch
        return lambda value, frame: (lambda v: isinstance(v, str) and matcher(v) is not None)(variable(value, frame))
    if op.endswith("Path"):
        compare = COMPARISONS[op[:-4]]
        if not isinstance(operand, str):
            raise node.error(op, f"'{op}' must be a path")
        other = compile_path(operand, pointer=node.at(op)).select
        return lambda value, frame: compare(variable(value, frame), other(value, frame))
    compare = COMPARISONS[op]
    _check_operand(node, op, operand)
    return lambda value, frame: compare(variable(value, frame), operand)


def _check_operand(node: Node, op: str, operand: Any) -> None:
    if op.startswith("String") or op.startswith("Timestamp"):
        ok = isinstance(operand, str)
    elif op.startswith("Numeric"):
        ok = _is_number(operand)
    else:
        ok = isinstance(operand, bool)
    if not ok:
        raise node.error(op, f"Invalid value for '{op}': {operand!r}")


def compile_condition(node: Node) -> Rule:
    """JSONata ``Condition``: a boolean, or an expression that must evaluate to one."""
    from ..jsonata_query import compile_jsonata_value

    if "Condition" not in node:
        raise node.error(None, "These fields are required: [Condition]")
    condition = node.raw("Condition")
    if isinstance(condition, bool):
        return lambda states, frame: condition
    compiled = compile_jsonata_value(condition, pointer=node.at("Condition"))

    def evaluate(states: Any, frame: Any) -> bool:
        from .io import evaluate_jsonata

        return evaluate_jsonata(compiled, states, frame, "Condition", typed=True)

    return evaluate


__all__ = ["DefinitionError", "JSONATA", "RUNTIME", "compile_condition", "compile_rule"]

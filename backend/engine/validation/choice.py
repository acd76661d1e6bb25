"""Choice rules (CHO-01/03/04, CHO-16): their shape and the type of each operator's value."""

from __future__ import annotations

from typing import Any

from backend.engine.errors import pointer_join
from backend.engine.validation.codes import Code
from backend.engine.validation.context import Context
from backend.engine.validation.diagnostics import Collector
from backend.engine.validation.expressions import check_jsonata_value, check_path, is_jsonata
from backend.engine.validation.fields import JSONATA, JSONPATH
from backend.engine.validation.loader import json_type_name
from backend.engine.validation.values import did_you_mean, is_number, is_timestamp

_VALUE_KINDS = {"String": "string", "Numeric": "number", "Boolean": "boolean", "Timestamp": "timestamp"}
_COMPARISONS = ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")

# operator name -> kind of value it takes ("path" for the *Path variants)
OPERATORS: dict[str, str] = {}
for _prefix, _kind in _VALUE_KINDS.items():
    for _suffix in _COMPARISONS if _prefix != "Boolean" else ("Equals",):
        OPERATORS[_prefix + _suffix] = _kind
        OPERATORS[_prefix + _suffix + "Path"] = "path"
OPERATORS["StringMatches"] = "string"
for _name in ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"):
    OPERATORS[_name] = "boolean"

_BOOLEAN_RULES = ("And", "Or", "Not")
_JSONPATH_RULE_FIELDS = frozenset({"Variable", "Comment", *OPERATORS, *_BOOLEAN_RULES})
_JSONATA_TOP_RULE_FIELDS = frozenset({"Condition", "Next", "Comment", "Assign", "Output"})
_MAX_RULE_DEPTH = 50
_STATE_INPUT = frozenset({"input", "context"})


def check_choices(choices: Any, pointer: str, language: str, ctx: Context) -> list[tuple[str, str]]:
    """Check the ``Choices`` array; return the (target, pointer) of every rule's Next."""
    out = ctx.out
    if not isinstance(choices, list):
        out.error(
            Code.WRONG_FIELD_TYPE, pointer, f"'Choices' must be an array of rules, got {json_type_name(choices)}."
        )
        return []
    if not choices:
        out.error(Code.INVALID_FIELD_VALUE, pointer, "'Choices' must contain at least one rule.")
        return []
    edges: list[tuple[str, str]] = []
    for index, rule in enumerate(choices):
        here = pointer_join(pointer, index)
        if not _is_rule_object(rule, here, out):
            continue
        if "Next" not in rule:
            out.error(Code.SCHEMA_VALIDATION_FAILED, here, "These fields are required: [Next]")
        elif isinstance(rule["Next"], str):
            edges.append((rule["Next"], pointer_join(here, "Next")))
        else:
            out.error(
                Code.WRONG_FIELD_TYPE,
                pointer_join(here, "Next"),
                f"'Next' must be the name of a state, got {json_type_name(rule['Next'])}.",
            )
        if language == JSONATA:
            _check_jsonata_rule(rule, here, ctx)
        else:
            _check_top_jsonpath_rule(rule, here, ctx)
    return edges


def _is_rule_object(rule: Any, pointer: str, out: Collector) -> bool:
    """Whether a Choice rule (top-level or nested in And/Or) is a JSON object; says so when not."""
    if isinstance(rule, dict):
        return True
    out.error(Code.INVALID_CHOICE_RULE, pointer, f"A Choice rule must be a JSON object, got {json_type_name(rule)}.")
    return False


def _check_jsonata_rule(rule: dict, pointer: str, ctx: Context) -> None:
    out = ctx.out
    for key in rule:
        if key in _JSONATA_TOP_RULE_FIELDS:
            continue
        here = pointer_join(pointer, key)
        if key in _JSONPATH_RULE_FIELDS:
            out.error(
                Code.FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE,
                here,
                f"'{key}' is a JSONPath Choice rule field; a JSONata rule uses 'Condition' instead.",
            )
        else:
            out.error(
                Code.UNKNOWN_FIELD,
                here,
                f"Field '{key}' is not supported in a Choice rule.{did_you_mean(str(key), _JSONATA_TOP_RULE_FIELDS)}",
            )
    if "Condition" not in rule:
        out.error(Code.SCHEMA_VALIDATION_FAILED, pointer, "These fields are required: [Condition]")
    else:
        condition = rule["Condition"]
        here = pointer_join(pointer, "Condition")
        if is_jsonata(condition):
            check_jsonata_value(condition, here, out, states_fields=_STATE_INPUT)
        elif not isinstance(condition, bool):
            out.error(
                Code.WRONG_FIELD_TYPE,
                here,
                "'Condition' must be true, false or a JSONata expression '{% ... %}', "
                f"got {json_type_name(condition)}.",
            )
    if "Output" in rule:
        check_jsonata_value(rule["Output"], pointer_join(pointer, "Output"), out, states_fields=_STATE_INPUT)
    if "Comment" in rule and not isinstance(rule["Comment"], str):
        out.error(
            Code.WRONG_FIELD_TYPE,
            pointer_join(pointer, "Comment"),
            f"'Comment' must be a string, got {json_type_name(rule['Comment'])}.",
        )
    if "Assign" in rule:
        ctx.check_assign(rule["Assign"], pointer_join(pointer, "Assign"), JSONATA, _STATE_INPUT)


def _check_top_jsonpath_rule(rule: dict, pointer: str, ctx: Context) -> None:
    out = ctx.out
    for key in ("Output", "Condition"):
        if key in rule:
            out.error(
                Code.FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE,
                pointer_join(pointer, key),
                f"'{key}' is a JSONata Choice rule field; this state uses JSONPath.",
            )
    if "Assign" in rule:
        ctx.check_assign(rule["Assign"], pointer_join(pointer, "Assign"), JSONPATH, _STATE_INPUT)
    body = {k: v for k, v in rule.items() if k not in ("Next", "Assign", "Output", "Condition")}
    _check_jsonpath_rule(body, pointer, ctx, depth=0)


def _check_jsonpath_rule(rule: dict, pointer: str, ctx: Context, depth: int) -> None:
    out = ctx.out
    if depth > _MAX_RULE_DEPTH:
        out.error(Code.TOO_DEEPLY_NESTED, pointer, f"Choice rules are nested more than {_MAX_RULE_DEPTH} levels deep.")
        return
    for key in rule:
        if key in _JSONPATH_RULE_FIELDS:
            continue
        here = pointer_join(pointer, key)
        if key == "Next" and depth > 0:
            out.error(Code.INVALID_CHOICE_RULE, here, "A rule nested inside 'And', 'Or' or 'Not' must not have 'Next'.")
        elif key == "Assign" and depth > 0:
            out.error(
                Code.INVALID_CHOICE_RULE, here, "A rule nested inside 'And', 'Or' or 'Not' must not have 'Assign'."
            )
        else:
            out.error(
                Code.UNKNOWN_FIELD,
                here,
                f"Field '{key}' is not supported in a Choice rule.{did_you_mean(str(key), _JSONPATH_RULE_FIELDS)}",
            )
    if "Comment" in rule and not isinstance(rule["Comment"], str):
        out.error(
            Code.WRONG_FIELD_TYPE,
            pointer_join(pointer, "Comment"),
            f"'Comment' must be a string, got {json_type_name(rule['Comment'])}.",
        )
    operators = [k for k in rule if k in OPERATORS or k in _BOOLEAN_RULES]
    if not operators:
        if "Variable" in rule:
            message = "This rule has a 'Variable' but no comparison operator (e.g. 'StringEquals', 'IsPresent')."
        else:
            message = "A Choice rule needs 'Variable' with one comparison operator, or one of 'And', 'Or', 'Not'."
        out.error(Code.INVALID_CHOICE_RULE, pointer, message)
        return
    if len(operators) > 1:
        out.error(
            Code.INVALID_CHOICE_RULE,
            pointer,
            f"A Choice rule must have exactly one operator, found {len(operators)}: {', '.join(operators)}.",
        )
        return
    operator = operators[0]
    here = pointer_join(pointer, operator)
    value = rule[operator]
    if operator in _BOOLEAN_RULES:
        if "Variable" in rule:
            out.error(
                Code.INVALID_CHOICE_RULE,
                pointer_join(pointer, "Variable"),
                f"A rule using '{operator}' must not have 'Variable'; put it in the nested rules.",
            )
        _check_boolean_rule(operator, value, here, ctx, depth)
        return
    if "Variable" not in rule:
        out.error(Code.INVALID_CHOICE_RULE, pointer, f"The comparison '{operator}' needs a 'Variable' to compare.")
    else:
        check_path(rule["Variable"], pointer_join(pointer, "Variable"), out, reference=True)
    _check_operator_value(operator, value, here, ctx)


def _check_boolean_rule(operator: str, value: Any, pointer: str, ctx: Context, depth: int) -> None:
    out = ctx.out
    if operator == "Not":
        if not isinstance(value, dict):
            out.error(
                Code.INVALID_CHOICE_RULE, pointer, f"'Not' must be a single rule object, got {json_type_name(value)}."
            )
            return
        _check_jsonpath_rule(value, pointer, ctx, depth + 1)
        return
    if not isinstance(value, list) or not value:
        got = "an empty array" if isinstance(value, list) else json_type_name(value)
        out.error(Code.INVALID_CHOICE_RULE, pointer, f"'{operator}' must be a non-empty array of rules, got {got}.")
        return
    for index, nested in enumerate(value):
        here = pointer_join(pointer, index)
        if not _is_rule_object(nested, here, out):
            continue
        _check_jsonpath_rule(nested, here, ctx, depth + 1)


def _check_operator_value(operator: str, value: Any, pointer: str, ctx: Context) -> None:
    out = ctx.out
    kind = OPERATORS[operator]
    if kind == "path":
        check_path(value, pointer, out)
        return
    ok = {
        "string": isinstance(value, str),
        "number": is_number(value),
        "boolean": isinstance(value, bool),
        "timestamp": isinstance(value, str),
    }[kind]
    if not ok:
        article = "an" if kind[0] in "aeiou" else "a"
        out.error(Code.WRONG_FIELD_TYPE, pointer, f"'{operator}' takes {article} {kind}, got {json_type_name(value)}.")
    elif kind == "timestamp" and not is_timestamp(value):
        out.error(
            Code.INVALID_FIELD_VALUE,
            pointer,
            f"'{operator}' takes an RFC 3339 timestamp like '2024-01-31T12:00:00Z', got '{value}'.",
        )

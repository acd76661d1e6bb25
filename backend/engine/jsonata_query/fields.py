"""Fields whose JSONata value must have a particular type (and range).

``evaluate_field(compiled, states, scope, field=...)`` looks the field's rule up
by its last segment (``Choices[1]/Condition`` -> ``Condition``) and returns the
checked value: ``Items`` an array, ``Condition`` a boolean, ``TimeoutSeconds``
a positive integer, ``ToleratedFailurePercentage`` a number from 0 to 100 ...
A value of the wrong type fails with AWS's "unexpected result type" cause; one
out of range with the field's own sentence. Both are
``States.QueryEvaluationError``.

Only the ``Items`` wording and the two tolerated-failure sentences are recorded
from AWS; the others follow the same pattern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from backend.engine.jsonata_query.value import CompiledValue
from backend.engine.scope import EvalScope


@dataclass(frozen=True)
class FieldRule:
    expected: str  # a JSON type name, or "integer" for a whole number
    in_range: Callable[[Any], bool] = lambda value: True
    range_message: Callable[[Any], str] = lambda value: ""


def _non_negative(name: str) -> FieldRule:
    return FieldRule("integer", lambda value: value >= 0, lambda value: f"{name} cannot be negative.")


def _positive(name: str) -> FieldRule:
    return FieldRule("integer", lambda value: value > 0, lambda value: f"{name} must be a positive integer.")


FIELD_RULES: dict[str, FieldRule] = {
    "Items": FieldRule("array"),
    "Condition": FieldRule("boolean"),
    "Timestamp": FieldRule("string"),
    "Error": FieldRule("string"),
    "Cause": FieldRule("string"),
    "TimeoutSeconds": _positive("TimeoutSeconds"),
    "HeartbeatSeconds": _positive("HeartbeatSeconds"),
    "Seconds": _non_negative("Seconds"),
    "MaxConcurrency": _non_negative("MaxConcurrency"),
    "MaxItems": _non_negative("MaxItems"),
    "MaxItemsPerBatch": _non_negative("MaxItemsPerBatch"),
    "MaxInputBytesPerBatch": _non_negative("MaxInputBytesPerBatch"),
    "ToleratedFailureCount": _non_negative("ToleratedFailureCount"),
    "ToleratedFailurePercentage": FieldRule(
        "number",
        lambda value: 0 <= value <= 100,
        lambda value: "ToleratedFailurePercentage must be between 0 and 100.",
    ),
}


def field_rule(field: str) -> FieldRule | None:
    """The rule for a field named as in a cause (``Choices[0]/Condition``), if it has one."""
    return FIELD_RULES.get(field.rsplit("/", 1)[-1])


def evaluate_field(
    compiled: CompiledValue,
    states: dict,
    scope: EvalScope,
    *,
    field: str,
    state_name: str | None = None,
    entered_event_id: int | None = None,
) -> Any:
    """Evaluate ``compiled`` and check it against the rule of ``field`` (plain evaluation when none)."""
    rule = field_rule(field)
    where = {"field": field, "state_name": state_name, "entered_event_id": entered_event_id}
    if rule is None:
        return compiled.evaluate(states, scope, **where)
    value = compiled.evaluate_typed(states, scope, expected=rule.expected, **where)
    if not rule.in_range(value):
        raise compiled.range_error(rule.range_message(value), **where)
    return value

"""The JSONata query language as Step Functions runs it.

CONTRACT (owned by the jsonata_query module):

    is_jsonata(value) -> bool
        A string that starts with ``{%`` and ends with ``%}``.

    compile_jsonata_value(value: Any, *, pointer: str) -> CompiledValue
        ``value`` is a field's JSON value (Arguments, Output, an Assign value, Items ...).
        Every ``{% ... %}`` string in it, at any depth, is an expression; everything else
        is a literal. Syntax errors -> DefinitionError(pointer, "INVALID_JSONATA_EXPRESSION", ...)
        (so are JSONata 2.1's ``??`` and ``?:``, which AWS's JSONata 2.0.6 lacks).
    CompiledValue.evaluate(states: dict, scope: EvalScope, *, field: str,
                           state_name: str | None = None, entered_event_id: int | None = None) -> Any
        ``states`` is the ``$states`` binding ({"input":..., "context":..., "result":...,
        "errorOutput":...}); leave out the keys a field may not read (reading one is then
        undefined). When "context" is absent and an expression mentions it, it is taken
        from ``scope.context_object()``. Variables come from ``scope`` (only the names the
        expressions mention are looked up; an unset one reads as undefined).
        ``field`` names the field in causes (``Output``, ``Assign/x``, ``Choices[0]/Condition``);
        positions inside the value are appended (``Output/a/b[0]``).
        Failures (runtime error, undefined result, a function as result) ->
        QueryEvaluationError (a StatesError "States.QueryEvaluationError" with ``.detail``, the
        cause without the state prefix, and ``.location``, the field, for EvaluationFailed
        events). With ``state_name`` the cause carries AWS's prefix
        "An error occurred while executing the state 'X' (entered at the event id #N). ".
        Results are plain JSON: JSON null is None, whole numbers are int, sequences are lists,
        non-finite numbers are "Infinity" / "-Infinity" / "NaN".
    CompiledValue.is_constant: bool   True when no expression is inside (fast path).
    CompiledValue.is_expression: bool The whole value is one expression.
    CompiledValue.variable_references: tuple[str, ...]   variable names read (no ``$``).
    CompiledValue.evaluate_typed(states, scope, *, field, expected, state_name=None,
                                 entered_event_id=None) -> Any
        ``evaluate`` and require a JSON type ("array", "object", "string", "boolean", "number",
        or "integer": a whole number, returned as int); otherwise AWS's "returned an unexpected
        result type. Expected 'array', but was 'boolean' for value: true".

    evaluate_field(compiled, states, scope, *, field, state_name=None, entered_event_id=None)
        ``evaluate`` plus the type/range check of a typed field, chosen by the field's last
        segment: Items (array), Condition (boolean), Timestamp / Error / Cause (string),
        TimeoutSeconds / HeartbeatSeconds (integer > 0), Seconds / MaxConcurrency / MaxItems /
        ToleratedFailureCount (integer >= 0, returned as int), ToleratedFailurePercentage
        (number 0..100). Other fields: plain ``evaluate``.

    Language level: JSONata 2.0.6 as AWS runs it: ``$eval`` is not available (T1006), ``??``
    and ``?:`` do not parse, arithmetic and ``$string``/``$number`` behave as in JavaScript,
    plus ``$partition``, ``$range``, ``$hash``, ``$random``, ``$uuid``, ``$parse``. An
    expression that defines functions is stopped after 5 s (D1012).
"""

from backend.engine.jsonata_query.expression import (
    INVALID_JSONATA_EXPRESSION,
    JsonataExpression,
    is_jsonata,
)
from backend.engine.jsonata_query.fields import FIELD_RULES, evaluate_field, field_rule
from backend.engine.jsonata_query.messages import QueryEvaluationError, state_cause
from backend.engine.jsonata_query.value import CompiledValue, compile_jsonata_value

__all__ = [
    "FIELD_RULES",
    "INVALID_JSONATA_EXPRESSION",
    "CompiledValue",
    "JsonataExpression",
    "QueryEvaluationError",
    "compile_jsonata_value",
    "evaluate_field",
    "field_rule",
    "is_jsonata",
    "state_cause",
]

"""The JSONata query language as Step Functions runs it.

CONTRACT (owned by the jsonata_query module):

    is_jsonata(value) -> bool
        A string that starts with ``{%`` and ends with ``%}``.

    compile_jsonata_value(value: Any, *, pointer: str) -> CompiledValue
        ``value`` is a field's JSON value (Arguments, Output, an Assign value, Items ...).
        Every ``{% ... %}`` string in it, at any depth, is an expression; everything else
        is a literal. Syntax errors -> DefinitionError.
    CompiledValue.evaluate(states: dict, scope: EvalScope, *, field: str) -> Any
        ``states`` is the ``$states`` binding ({"input":..., "context":..., "result":...,
        "errorOutput":...}); variables come from ``scope``. Failures (runtime error,
        undefined result, unset variable) -> StatesError("States.QueryEvaluationError", <AWS cause>).
    CompiledValue.is_constant: bool   True when no expression is inside (fast path).
"""

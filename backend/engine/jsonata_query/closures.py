"""Simple expressions compiled to Python closures.

Most Step Functions expressions are a comparison or a bit of arithmetic over
``$states.input...`` paths, variables and literals::

    {% $states.input.value >= 20 and $states.input.value < 30 %}
    {% $states.input.counter + 1 %}

Such an expression is turned into nested closures that read the paths
straight from the data and apply jsonata-python's own operator methods
(``evaluate_numeric_expression``, ``evaluate_equality_expression`` ...) to the
operands, so the semantics are the library's while its per-node dispatch,
frames and hooks are skipped; calls of built-in functions go through the
library's ``apply`` (signature checks included). Anything else (lambdas,
predicates, object or array constructors, ``:=``) is left to the library, and so is an evaluation
whose path meets an array, where JSONata's mapping rules apply (``UseLibrary``).
"""

from __future__ import annotations

from typing import Any, Callable

from jsonata.jexception import JException
from jsonata.jsonata import Jsonata
from jsonata.parser import Parser
from jsonata.utils import Utils

from backend.engine.jsonata_query.conversion import NULL, to_binding
from backend.engine.jsonata_query.evaluator import (
    ARRAY_MET,
    FUNCTIONS,
    PLAIN_PATH,
    collapse_sequence,
    is_plain,
    read_plain_path,
)
from backend.engine.scope import EvalScope

# (states, scope) -> a jsonata value (None: undefined)
Closure = Callable[[dict, EvalScope], Any]

_NUMERIC = frozenset({"+", "-", "*", "/", "%"})
_EQUALITY = frozenset({"=", "!="})
_COMPARISON = frozenset({"<", "<=", ">", ">="})


class UseLibrary(Exception):
    """This evaluation needs the library (a path met an array, an error to word)."""


def compile_closure(ast: Parser.Symbol, engine: Jsonata, function_names: frozenset[str]) -> Closure | None:
    """A closure computing ``ast``, or ``None`` when the expression is not one of the simple kinds."""
    try:
        return _compile(ast, engine, function_names)
    except _NotSimple:
        return None


class _NotSimple(Exception):
    pass


def _compile(node: Parser.Symbol, engine: Jsonata, function_names: frozenset[str]) -> Closure:
    kind = node.type
    if kind == PLAIN_PATH and is_plain(node, frozenset({"steps", "plain_path"})):
        root, names = node.plain_path
        return _path(root, names, function_names)
    if kind == "variable" and node.value and is_plain(node):
        return _path(str(node.value), (), function_names)
    if kind in ("string", "number", "value") and is_plain(node):
        literal = NULL if node.value is None else node.value
        return lambda states, scope: literal
    if kind == "binary" and is_plain(node, frozenset({"lhs", "rhs"})):
        return _binary(
            str(node.value),
            _compile(node.lhs, engine, function_names),
            _compile(node.rhs, engine, function_names),
            engine,
        )
    if kind == "unary" and node.value == "-" and is_plain(node, frozenset({"expression"})):
        return _negate(_compile(node.expression, engine, function_names))
    if kind == "condition" and is_plain(node, frozenset({"condition", "then", "_else"})):
        condition = _compile(node.condition, engine, function_names)
        then = _compile(node.then, engine, function_names)
        otherwise = _compile(node._else, engine, function_names) if node._else is not None else None
        return _choose(condition, then, otherwise)
    if kind == "function" and is_plain(node, frozenset({"procedure", "arguments"})):
        return _call(node, engine, function_names)
    if kind == "block" and len(node.expressions or ()) == 1 and is_plain(node, frozenset({"expressions"})):
        return _compile(node.expressions[0], engine, function_names)
    raise _NotSimple()


def _path(root: str, names: tuple[str, ...], function_names: frozenset[str]) -> Closure:
    if root == "states":

        def read_states(states: dict, scope: EvalScope) -> Any:
            value = read_plain_path(states, names)
            if value is ARRAY_MET:
                raise UseLibrary()
            return value

        return read_states
    if root in function_names:
        raise _NotSimple()  # ``$sum`` alone is the function itself

    def read_variable(states: dict, scope: EvalScope) -> Any:
        try:
            value = read_plain_path(to_binding(scope.get_variable(root)), names)
        except KeyError:
            return None  # unset: undefined
        if value is ARRAY_MET:
            raise UseLibrary()
        return value

    return read_variable


def _binary(op: str, left: Closure, right: Closure, engine: Jsonata) -> Closure:
    if op == "and":
        return lambda states, scope: Jsonata.boolize(left(states, scope)) and Jsonata.boolize(right(states, scope))
    if op == "or":
        return lambda states, scope: Jsonata.boolize(left(states, scope)) or Jsonata.boolize(right(states, scope))
    if op in _NUMERIC:
        numeric = engine.evaluate_numeric_expression
        return lambda states, scope: numeric(left(states, scope), right(states, scope), op)
    if op in _EQUALITY:
        equality = engine.evaluate_equality_expression
        return lambda states, scope: equality(left(states, scope), right(states, scope), op)
    if op in _COMPARISON:
        comparison = engine.evaluate_comparison_expression
        return lambda states, scope: comparison(left(states, scope), right(states, scope), op)
    if op == "&":
        concat = engine.evaluate_string_concat
        return lambda states, scope: concat(left(states, scope), right(states, scope))
    raise _NotSimple()  # "..", "in"


def _call(node: Parser.Symbol, engine: Jsonata, function_names: frozenset[str]) -> Closure:
    """A call of a built-in (or Step Functions) function with simple arguments."""
    procedure = node.procedure
    if getattr(procedure, "type", None) != "variable" or not is_plain(procedure):
        raise _NotSimple()
    function = FUNCTIONS.get(procedure.value)
    if procedure.value not in function_names or function is None:
        raise _NotSimple()  # not a function: the library raises T1006
    arguments = [_compile(argument, engine, function_names) for argument in node.arguments or ()]
    apply = engine.apply

    def call(states: dict, scope: EvalScope) -> Any:
        values = [argument(states, scope) for argument in arguments]
        try:
            result = apply(function, values, None, None)
        except JException as error:
            # What the library's evaluate_function adds to an error of the call.
            if error.location < 0:
                error.location = node.position
            if error.current is None:
                error.current = node.token
            raise
        return collapse_sequence(result)

    return call


def _negate(operand: Closure) -> Closure:
    def negate(states: dict, scope: EvalScope) -> Any:
        value = operand(states, scope)
        if value is None:
            return None
        if not Utils.is_numeric(value):
            raise UseLibrary()  # which words the error (D1002)
        return Utils.convert_number(-float(value))

    return negate


def _choose(condition: Closure, then: Closure, otherwise: Closure | None) -> Closure:
    def choose(states: dict, scope: EvalScope) -> Any:
        if Jsonata.boolize(condition(states, scope)):
            return then(states, scope)
        return otherwise(states, scope) if otherwise is not None else None

    return choose

"""jsonata-python's evaluator, tuned for how Step Functions uses it.

* One frame per evaluation, whose misses go straight to a flattened dict of the
  built-in and Step Functions functions (jsonata-python looks names, and its
  two evaluation hooks, up at every node, frame by frame).
* Plain dotted paths from a variable (``$states.input.order.id``, ``$var.a``),
  the bulk of real expressions, are marked at compile time and read straight
  from the data; one that meets an array on its way is handed back to the
  library, whose mapping rules then apply.
* Arithmetic follows JavaScript where the port follows Python: ``x / 0`` is
  Infinity (``0 / 0`` NaN) instead of a ZeroDivisionError, an overflow is
  Infinity instead of an immediate D1001, and ``%`` keeps fractions. As in
  JSONata, a non-finite number is refused (D1001) once used as an operand; as
  a result it is written "Infinity" / "NaN", as AWS does.
* Function signatures are checked with a type lookup for plain JSON values
  (the library's ``Signature.get_symbol`` runs four predicates per array item
  first); the answer is the same.
"""

from __future__ import annotations

import math
from typing import Any

from jsonata.functions import Functions
from jsonata.jexception import JException
from jsonata.jsonata import Jsonata
from jsonata.parser import Parser
from jsonata.signature import Signature
from jsonata.utils import Utils

from backend.engine.jsonata_query.conversion import NULL
from backend.engine.jsonata_query.functions import BASE_FRAME

PLAIN_PATH = "plain-path"  # the node type given to a plain dotted path

_MISSING = object()
ARRAY_MET = object()  # a plain path met an array: JSONata's mapping rules apply
# Every function an expression can call by name (``eval`` maps to None: not callable).
FUNCTIONS = {**Jsonata.static_frame.bindings, **BASE_FRAME.bindings}
_PLAIN_ATTRIBUTES = frozenset({"id", "value", "type", "position"})


_SIGNATURE_SYMBOLS = {str: "s", bool: "b", int: "n", float: "n", list: "a", dict: "o"}
_library_get_symbol = Signature.get_symbol


def _get_symbol(self: Signature, value: Any) -> str:
    # A value of exactly these types is never a function, lambda or regex.
    symbol = _SIGNATURE_SYMBOLS.get(type(value))
    return symbol if symbol is not None else _library_get_symbol(self, value)


Signature.get_symbol = _get_symbol


class EvaluationFrame(Jsonata.Frame):
    """The frame of one evaluation: its own bindings, then the shared ones in one step."""

    def __init__(self) -> None:
        super().__init__(BASE_FRAME)

    def lookup(self, name: str) -> Any:
        value = self.bindings.get(name, _MISSING)
        if value is not _MISSING:
            return value
        return FUNCTIONS.get(name)


class StepFunctionsJsonata(Jsonata):
    """A parsed expression whose plain paths are read without the general path machinery."""

    def evaluate_numeric_expression(self, lhs: Any, rhs: Any, op: Any) -> Any:
        if lhs is None or rhs is None or not (Utils.is_numeric(lhs) and Utils.is_numeric(rhs)):
            return super().evaluate_numeric_expression(lhs, rhs, op)  # undefined, or T2001 / T2002
        left, right = float(lhs), float(rhs)
        if op == "+":
            result = left + right
        elif op == "-":
            result = left - right
        elif op == "*":
            result = left * right
        elif op == "/":
            result = _js_divide(left, right)
        else:  # "%": the remainder takes the dividend's sign, as math.fmod does
            result = math.fmod(left, right) if right else math.nan
        return Utils.convert_number(result) if math.isfinite(result) else result

    def apply_inner(self, proc: Any, args: Any, input: Any, environment: Any) -> Any:
        # The library prints "Proc not found" to stdout before raising T1006 for a
        # non-function; stdout is the CLI's answer channel, so raise it here first.
        if not (
            Functions.is_lambda(proc)
            or isinstance(proc, (Jsonata.JFunction, Jsonata.JLambda))
            or Functions.is_regex(proc)
        ):
            raise JException("T1006", 0)
        return super().apply_inner(proc, args, input, environment)

    def _eval(self, expr: Any, input: Any, environment: Any) -> Any:
        if getattr(expr, "type", None) != PLAIN_PATH:
            return super()._eval(expr, input, environment)
        root, names = expr.plain_path
        value = read_plain_path(environment.lookup(root), names)
        if value is not ARRAY_MET:
            return value
        return collapse_sequence(self.evaluate_path(expr, input, environment))


def collapse_sequence(result: Any) -> Any:
    """What the library's _eval does with every result: a sequence of one is its item, of none undefined."""
    if result is not None and Utils.is_sequence(result) and not result.tuple_stream:
        if not result:
            return None
        if len(result) == 1 and not result.keep_singleton:
            return result[0]
    return result


def _js_divide(left: float, right: float) -> float:
    if right:
        return left / right
    if left == 0 or math.isnan(left):
        return math.nan
    return math.copysign(math.inf, left) * math.copysign(1.0, right)


def read_plain_path(value: Any, names: tuple[str, ...]) -> Any:
    """``value.name.name...`` as jsonata sees it (``None``: undefined), or ``ARRAY_MET``."""
    for name in names:
        if type(value) is dict:
            value = value.get(name, _MISSING)
            if value is _MISSING:
                return None
            if value is None:
                value = NULL
        elif isinstance(value, list):
            return ARRAY_MET
        else:
            return None
    if isinstance(value, list) and type(value) is not list:
        return ARRAY_MET  # a jsonata sequence bound to a variable: the library knows its flags
    return value


def mark_plain_paths(nodes: list[Parser.Symbol]) -> None:
    """Give every plain dotted path among ``nodes`` the ``PLAIN_PATH`` type."""
    procedures = {id(node.procedure) for node in nodes if node.type in ("function", "partial")}
    for node in nodes:
        if node.type == "path" and id(node) not in procedures:
            plain_path = plain_path_of(node)
            if plain_path is not None:
                node.plain_path = plain_path
                node.type = PLAIN_PATH


def plain_path_of(node: Parser.Symbol) -> tuple[str, tuple[str, ...]] | None:
    """``(variable, names)`` when ``node`` is ``$variable.name.name...`` and nothing more."""
    if node.type == "variable":
        steps = [node]
    elif node.type == "path" and is_plain(node, frozenset({"steps"})):
        steps = node.steps
    else:
        return None
    root, *names = steps
    if root.type != "variable" or not root.value:
        return None
    if not all(is_plain(step) for step in steps) or any(step.type != "name" for step in names):
        return None
    return str(root.value), tuple(str(step.value) for step in names)


def is_plain(node: Parser.Symbol, extra: frozenset = frozenset()) -> bool:
    """No predicate, stage, grouping, focus ... on ``node``: only ``extra`` children."""
    return all(
        name in _PLAIN_ATTRIBUTES or name in extra or name.startswith("_") or value in (None, False, 0)
        for name, value in vars(node).items()
    )

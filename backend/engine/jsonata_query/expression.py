"""One ``{% ... %}`` expression: parsed once, evaluated many times.

Evaluation binds ``$states`` and only the workflow variables the expression
mentions (found once, in the parsed tree) in a small frame hung from the shared
Step Functions function frame, then runs jsonata-python's evaluator on the
parsed tree directly: no per-call parsing, no input validation walk, no
in-place null conversion. Simple expressions (paths, literals, operators)
run as Python closures without the library's machinery (``closures.py``).
"""

from __future__ import annotations

from typing import Any, Iterator

from jsonata.jexception import JException
from jsonata.jsonata import Jsonata
from jsonata.parser import Parser
from jsonata.timebox import Timebox
from jsonata.tokenizer import Tokenizer

from backend.engine.errors import DefinitionError
from backend.engine.jsonata_query.conversion import to_binding, to_json
from backend.engine.jsonata_query.closures import UseLibrary, compile_closure
from backend.engine.jsonata_query.evaluator import EvaluationFrame, StepFunctionsJsonata, mark_plain_paths
from backend.engine.jsonata_query.functions import FUNCTION_NAMES
from backend.engine.jsonata_query.messages import runtime_error_text
from backend.engine.scope import EvalScope

INVALID_JSONATA_EXPRESSION = "INVALID_JSONATA_EXPRESSION"

# An expression that defines functions can loop (recursion); it gets a time bound.
EVALUATION_TIMEOUT_MS = 5_000

# Parse-tree attributes that are not sub-expressions (or point back up the tree).
_NOT_CHILDREN = frozenset(
    {"_outer_instance", "environment", "input", "signature", "seeking_parent", "ancestor", "slot", "tuple"}
)


class Undefined(Exception):
    """The expression evaluated to nothing."""


def is_jsonata(value: Any) -> bool:
    """A JSONata string: starts exactly with ``{%`` and ends exactly with ``%}``."""
    return isinstance(value, str) and len(value) >= 4 and value.startswith("{%") and value.endswith("%}")


class JsonataExpression:
    """A compiled JSONata expression; ``text`` is the part AWS quotes in its causes."""

    __slots__ = ("text", "_compiled", "_variables", "_reads_context", "_defines_functions", "_calls_functions", "_closure")

    def __init__(self, source: str, *, pointer: str):
        self.text = source[2:-2].strip()
        try:
            self._compiled = StepFunctionsJsonata(self.text)
        except JException as error:
            raise DefinitionError(pointer, INVALID_JSONATA_EXPRESSION, runtime_error_text(error)) from None
        except Exception as error:  # the port's parser can fail on odd input with Python errors
            raise DefinitionError(pointer, INVALID_JSONATA_EXPRESSION, str(error) or type(error).__name__) from None
        if self._compiled.errors:
            raise DefinitionError(pointer, INVALID_JSONATA_EXPRESSION, str(self._compiled.errors[0]))
        _reject_newer_operators(self.text, pointer)
        nodes = list(_walk(self._compiled.ast))
        self._variables = _variable_names(nodes)
        self._reads_context = "context" in self.text
        self._defines_functions = any(node.type == "lambda" for node in nodes)
        self._calls_functions = any(node.type in ("function", "partial") for node in nodes)
        mark_plain_paths(nodes)
        self._closure = compile_closure(self._compiled.ast, self._compiled, FUNCTION_NAMES)

    @property
    def variable_references(self) -> tuple[str, ...]:
        """Names of the workflow variables the expression may read (without ``$``)."""
        return self._variables

    def evaluate(self, states: dict, scope: EvalScope) -> Any:
        """The plain JSON result. Raises ``Undefined``, ``UnsupportedResult`` or the evaluator's error."""
        if self._reads_context and "context" not in states:
            states = {**states, "context": scope.context_object()}
        if self._closure is not None:
            if self._calls_functions:
                self._make_current()
            try:
                result = self._closure(states, scope)
            except UseLibrary:
                pass
            else:
                if result is None:
                    raise Undefined()
                return to_json(result)
        frame = EvaluationFrame()
        bindings = frame.bindings
        bindings["states"] = states
        for name in self._variables:
            try:
                bindings[name] = to_binding(scope.get_variable(name))
            except KeyError:
                pass  # unset: reads as undefined
        if self._defines_functions:
            Timebox(frame, EVALUATION_TIMEOUT_MS, None)
        compiled = self._make_current()
        result = compiled.eval(compiled.ast, None, frame)
        if result is None:
            raise Undefined()
        return to_json(result)

    def _make_current(self) -> StepFunctionsJsonata:
        # $now() and $millis() read the timestamp of the thread's "current" instance.
        compiled = self._compiled
        Jsonata.CURRENT.jsonata = compiled
        compiled.timestamp = Timebox.current_milli_time()
        return compiled


def _walk(node: Any) -> Iterator[Parser.Symbol]:
    """Every node of a parse tree (each once)."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (list, tuple)):
            stack.extend(current)
            continue
        if not isinstance(current, Parser.Symbol) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for name, child in vars(current).items():
            if name not in _NOT_CHILDREN and isinstance(child, (Parser.Symbol, list, tuple)):
                stack.append(child)


def _variable_names(nodes: list[Parser.Symbol]) -> tuple[str, ...]:
    """Variables read, minus ``$states``, the expression's own (``:=``, parameters) and called functions."""
    called = {
        id(node.procedure)
        for node in nodes
        if node.type in ("function", "partial") and getattr(node.procedure, "type", None) == "variable"
    }
    local = {"", "states"}
    for node in nodes:
        if node.type == "bind" and getattr(node.lhs, "type", None) == "variable":
            local.add(node.lhs.value)
        elif node.type == "lambda":
            local.update(argument.value for argument in node.arguments or ())
    names: dict[str, None] = {}
    for node in sorted(nodes, key=lambda node: node.position or 0):  # in order of appearance
        if node.type != "variable" or node.value in local:
            continue
        if id(node) in called and node.value in FUNCTION_NAMES:
            continue
        names[str(node.value)] = None
    return tuple(names)


def _reject_newer_operators(text: str, pointer: str) -> None:
    """AWS runs JSONata 2.0.6; ``??`` and ``?:`` arrived in 2.1 and do not parse there.

    The parser desugars both into conditions, so the check reads the tokens.
    """
    if "??" not in text and "?:" not in text.replace(" ", ""):
        return
    tokens = Tokenizer(text)
    try:
        while (token := tokens.next(False)) is not None:
            if token.type == "operator" and token.value in ("??", "?:"):
                raise DefinitionError(
                    pointer, INVALID_JSONATA_EXPRESSION, f"S0204: Unknown operator: \"{token.value}\""
                )
    except JException:
        return  # a regex literal read without its parse context; the parser accepted the text



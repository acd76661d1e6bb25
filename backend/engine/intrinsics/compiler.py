"""Turning a parsed intrinsic call into a plain Python closure, once per definition.

Static mistakes (bad syntax, unknown function, wrong number of arguments, a literal
of the wrong type, a literal Format template whose ``{}`` count does not match)
raise ``DefinitionError``. What only the data can reveal raises
``StatesError("States.IntrinsicFailure", cause)`` when the closure runs; a path
argument that selects nothing raises the paths module's ``States.Runtime``.
"""

from __future__ import annotations

from typing import Any, Callable, NoReturn

from backend.engine.errors import INTRINSIC_FAILURE, DefinitionError, StatesError
from backend.engine.intrinsics import functions as fn
from backend.engine.intrinsics.catalog import FORMAT, FUNCTIONS, FunctionSpec, literal_problem
from backend.engine.intrinsics.functions import FunctionArgumentError
from backend.engine.intrinsics.syntax import Call, IntrinsicSyntaxError, Literal, Node, parse_intrinsic
from backend.engine.scope import EvalScope

SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED"

Evaluator = Callable[[Any, EvalScope], Any]


def compile_intrinsic(text: str, *, pointer: str, field: str | None = None) -> Evaluator:
    """Compile ``States.Name(...)`` into ``evaluate(data, scope) -> value``.

    ``field`` is the definition field holding the call (``"greeting.$"``,
    ``"CausePath"``); it defaults to the last token of ``pointer`` and is only used in
    error texts.
    """
    if field is None:
        field = _last_token(pointer)
    compiler = _Compiler(pointer, field)
    try:
        call = parse_intrinsic(text)
    except IntrinsicSyntaxError as exc:
        compiler.reject(str(exc))
    return compiler.call(call)


def _last_token(pointer: str) -> str:
    token = pointer.rsplit("/", 1)[-1]
    return token.replace("~1", "/").replace("~0", "~")


def _failure(name: str, error: FunctionArgumentError) -> StatesError:
    return StatesError(INTRINSIC_FAILURE, f"Invalid arguments in {name}: {error}")


class _Compiler:
    def __init__(self, pointer: str, field: str):
        self.pointer = pointer
        self.field = field

    def reject(self, reason: str) -> NoReturn:
        raise DefinitionError(
            self.pointer,
            SCHEMA_VALIDATION_FAILED,
            f"The value for the field '{self.field}' must be a valid JSONPath or a valid "
            f"intrinsic function call: {reason}",
        )

    def call(self, call: Call) -> Evaluator:
        spec = FUNCTIONS.get(call.name)
        if spec is None:
            self.reject(f"'{call.name}' is not a known intrinsic function")
        self.check_arguments(spec, call.arguments)
        if spec.name == FORMAT and isinstance(call.arguments[0], Literal):
            return self.literal_format(call)
        arguments = [self.argument(node) for node in call.arguments]
        return _bind(spec.name, spec.implementation, arguments)

    def check_arguments(self, spec: FunctionSpec, arguments: tuple[Node, ...]) -> None:
        count = len(arguments)
        high = spec.max_arguments
        if count < spec.min_arguments or (high is not None and count > high):
            given = f"{count} {'was' if count == 1 else 'were'} given"
            self.reject(f"{spec.name} takes {spec.arity_text()}, but {given}")
        for position, node in enumerate(arguments):
            if isinstance(node, Literal):
                reason = literal_problem(spec, position, node.value)
                if reason:
                    self.reject(f"argument {position + 1} of {spec.name}: {reason}")

    def literal_format(self, call: Call) -> Evaluator:
        """States.Format with a literal template: split it once, here."""
        template = call.arguments[0]
        try:
            pieces = tuple(fn.split_format_template(template.raw))
        except FunctionArgumentError as exc:
            self.reject(f"{FORMAT}: {exc}")
        placeholders = len(pieces) - 1
        values = len(call.arguments) - 1
        if placeholders != values:
            self.reject(
                f"{FORMAT}: the template has {placeholders} placeholder(s) '{{}}' "
                f"but {values} value(s) were given"
            )

        def fill(*values: Any) -> str:
            return fn.fill_format_template(pieces, values)

        return _bind(FORMAT, fill, [self.argument(node) for node in call.arguments[1:]])

    def argument(self, node: Node) -> Evaluator:
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Literal):
            return _Constant(node.value)
        return self.path(node.text)

    def path(self, text: str) -> Evaluator:
        # Imported here: the paths module imports this package for ``.$`` fields.
        from backend.engine.paths import compile_path

        select = compile_path(text, pointer=self.pointer).select
        field = self.field

        def select_argument(data: Any, scope: EvalScope) -> Any:
            return select(data, scope, field)

        return select_argument


class _Constant:
    """A literal argument; ``_bind`` reads ``value`` directly where it can."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value

    def __call__(self, data: Any, scope: EvalScope) -> Any:
        return self.value


def _bind(name: str, implementation: Callable[..., Any], arguments: list[Evaluator]) -> Evaluator:
    """A closure calling ``implementation`` on the evaluated arguments.

    Specialised by argument count: this runs on every state transition that uses
    the call, and avoiding a per-call list or ``*args`` keeps it cheap.
    """
    if len(arguments) == 0:

        def evaluate(data: Any, scope: EvalScope) -> Any:
            try:
                return implementation()
            except FunctionArgumentError as exc:
                raise _failure(name, exc) from None

    elif len(arguments) == 1:
        (first,) = arguments

        def evaluate(data: Any, scope: EvalScope) -> Any:
            value = first(data, scope)
            try:
                return implementation(value)
            except FunctionArgumentError as exc:
                raise _failure(name, exc) from None

    elif len(arguments) == 2 and isinstance(arguments[1], _Constant):
        # ``States.MathAdd($.n, 1)``, ``States.StringSplit($.s, ',')``: the common shape.
        first, constant = arguments[0], arguments[1].value

        def evaluate(data: Any, scope: EvalScope) -> Any:
            left = first(data, scope)
            try:
                return implementation(left, constant)
            except FunctionArgumentError as exc:
                raise _failure(name, exc) from None

    elif len(arguments) == 2:
        first, second = arguments

        def evaluate(data: Any, scope: EvalScope) -> Any:
            left = first(data, scope)
            right = second(data, scope)
            try:
                return implementation(left, right)
            except FunctionArgumentError as exc:
                raise _failure(name, exc) from None

    else:
        all_arguments = tuple(arguments)

        def evaluate(data: Any, scope: EvalScope) -> Any:
            values = [argument(data, scope) for argument in all_arguments]
            try:
                return implementation(*values)
            except FunctionArgumentError as exc:
                raise _failure(name, exc) from None

    return evaluate

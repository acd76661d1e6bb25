"""Intrinsic functions (``States.Format(...)``, ``States.MathAdd(...)`` ...).

CONTRACT (owned by the intrinsics module):

    is_intrinsic(text: str) -> bool
        True when ``text`` looks like an intrinsic function call (``States.Name(...)``).

    compile_intrinsic(text: str, *, pointer: str, field: str | None = None)
            -> Callable[[Any, EvalScope], Any]
        Parses the call once. Arguments may be literals, Paths (``$.x``, ``$$.x``, ``$var``)
        and nested calls. The returned function evaluates it against the state's data.
        Bad syntax, unknown function, wrong argument count, literal argument of the wrong
        type -> DefinitionError(pointer, "SCHEMA_VALIDATION_FAILED", ...).
        Failures at run time -> StatesError("States.IntrinsicFailure", <cause>); a path
        argument that selects nothing -> the paths module's States.Runtime error.
        ``field`` (added, optional) names the definition field for error texts; it
        defaults to the last token of ``pointer``.

Layout: ``syntax`` parses the call text, ``catalog`` lists the functions and their
parameters, ``compiler`` builds the closures, ``functions`` holds the pure data
functions (also meant for the JSONata extras ``$partition``, ``$range``, ``$hash``,
``$random``, ``$uuid``).
"""

from backend.engine.intrinsics.compiler import compile_intrinsic
from backend.engine.intrinsics.syntax import FUNCTION_PREFIX


def is_intrinsic(text: str) -> bool:
    """True for a ``States.``-prefixed string: such a value is compiled (and rejected
    with a clear message when malformed) as an intrinsic, never as a path."""
    return isinstance(text, str) and text.startswith(FUNCTION_PREFIX)


__all__ = ["compile_intrinsic", "is_intrinsic"]

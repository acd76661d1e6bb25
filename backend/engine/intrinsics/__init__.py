"""Intrinsic functions (``States.Format(...)``, ``States.MathAdd(...)`` ...).

CONTRACT (owned by the intrinsics module):

    is_intrinsic(text: str) -> bool
        True when ``text`` looks like an intrinsic function call (``States.Name(...)``).

    compile_intrinsic(text: str, *, pointer: str) -> Callable[[Any, EvalScope], Any]
        Parses the call once. Arguments may be literals, Paths (``$.x``, ``$$.x``, ``$var``)
        and nested calls. The returned function evaluates it against the state's data.
        Bad syntax, unknown function, wrong argument count -> DefinitionError.
        Failures at run time -> StatesError("States.IntrinsicFailure", <AWS cause>)
        (or whatever error AWS gives for that case).
"""

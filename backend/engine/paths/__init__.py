"""JSONPath in the States Language: Paths, Reference Paths, ResultPath and payload templates.

CONTRACT (the interpreter relies on exactly these names; owned by the paths module):

    compile_path(path: str, *, pointer: str) -> CompiledPath
        A Path (InputPath, OutputPath, a ``.$`` value, ItemsPath ...). ``path`` may start
        with ``$`` (the input), ``$$`` (the Context Object) or ``$name`` (a variable).
        Raises DefinitionError(pointer, "INVALID_JSONPATH", ...) on bad syntax.

    CompiledPath.select(data, scope: EvalScope) -> Any
        The value the path selects (a list when the path can select several nodes).
        When nothing matches: raises StatesError("States.Runtime", <AWS cause>).
    CompiledPath.text: str        the original path text

    compile_reference_path(path: str, *, pointer: str) -> CompiledPath
        Same, but a Reference Path (one node only; no filters, slices, unions, wildcards).

    compile_result_path(path: str | None, *, pointer: str) -> CompiledResultPath
        CompiledResultPath.apply(raw_input, result) -> new state value. Never mutates its
        arguments (copy-on-write along the path). ``None`` discards the result.

    compile_payload_template(template: dict, *, pointer: str) -> CompiledTemplate
        Parameters / ResultSelector / ItemSelector / Arguments-like templates with ``.$`` keys.
        CompiledTemplate.render(data, scope: EvalScope) -> Any
        ``.$`` values: Paths (``$``, ``$$``, ``$var``) or intrinsic function calls.

Additions to the contract (all optional, backward compatible):

    CompiledPath.select(data, scope, field=None)
        ``field`` names the definition field holding the path (``"value.$"``,
        ``"ErrorPath"``). Without it a miss gives AWS's InputPath/OutputPath cause
        ``Invalid path '$.x' : No results for path: $['x']``; with it, AWS's field cause
        ``The JSONPath '$.x' specified for the field 'x.$' could not be found in the
        input '<compact input JSON>'``.
    CompiledPath.is_definite / is_reference
        One value vs a list of matches; whether it is a Reference Path.
    compile_dynamic_value(value, *, pointer, field) -> Callable[[data, scope], Any]
        One ``.$`` value on its own (a Path or an intrinsic call), e.g. for a JSONPath
        ``Assign`` entry or ``ErrorPath``/``CausePath``.
    to_aws_json(value) -> str
        JSON the way AWS embeds it in error causes (compact, input key order).

Layout: ``syntax`` splits a path text into root and steps, ``compiled_path`` evaluates
Paths, ``result_path`` applies ResultPath, ``template`` compiles payload templates.
"""

from backend.engine.paths.compiled_path import (
    INVALID_JSONPATH,
    CompiledPath,
    compile_path,
    compile_reference_path,
    to_aws_json,
)
from backend.engine.paths.result_path import CompiledResultPath, compile_result_path
from backend.engine.paths.template import (
    SCHEMA_VALIDATION_FAILED,
    CompiledTemplate,
    compile_dynamic_value,
    compile_payload_template,
)

__all__ = [
    "INVALID_JSONPATH",
    "SCHEMA_VALIDATION_FAILED",
    "CompiledPath",
    "CompiledResultPath",
    "CompiledTemplate",
    "compile_dynamic_value",
    "compile_path",
    "compile_payload_template",
    "compile_reference_path",
    "compile_result_path",
    "to_aws_json",
]

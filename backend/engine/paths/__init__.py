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

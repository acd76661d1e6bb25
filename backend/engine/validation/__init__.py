"""Static validation of a definition: AWS-style diagnostics located by JSON pointer.

CONTRACT (owned by the validation module):

    validate_definition(definition: str | dict, *, workflow_type: str = "STANDARD")
        -> list[Diagnostic]
    Diagnostic: dataclass(severity: "ERROR"|"WARNING", code: str, message: str, location: str)
        ``location`` is a JSON pointer into the definition, e.g. "/States/Check/Choices/0/Next".
    A definition is valid when no diagnostic has severity ERROR.

Additions (backward compatible):

    validate(definition, *, workflow_type="STANDARD", strict=False) -> ValidationReport
        ValidationReport(diagnostics, truncated) with .result ("OK" | "FAIL"), .is_valid,
        .to_dict() -- the shape of ValidateStateMachineDefinition's answer.
    validate_definition(..., strict=False)
        ``strict``: plain ASL instead of TCSL tolerance: unreachable states become errors
        (warnings otherwise) and TCSL extensions (Pass.ResultSelector) are rejected.
    Code, Severity: the stable codes (CODES.md documents each).

At most 100 diagnostics are returned (errors first); ``truncated`` says when more were
found. The root of the definition is located as "/" (as AWS does). Validation never
raises on bad input: every problem becomes a diagnostic.
"""

from __future__ import annotations

from typing import Any

from backend.engine.validation.codes import Code, Severity
from backend.engine.validation.context import Context
from backend.engine.validation.diagnostics import MAX_DIAGNOSTICS, Collector, Diagnostic, ValidationReport
from backend.engine.validation.loader import load_definition
from backend.engine.validation.machine import check_machine, machine_language, report_duplicate_fields

WORKFLOW_TYPES = ("STANDARD", "EXPRESS")

__all__ = [
    "Code",
    "Diagnostic",
    "MAX_DIAGNOSTICS",
    "Severity",
    "ValidationReport",
    "validate",
    "validate_definition",
]


def validate(definition: Any, *, workflow_type: str = "STANDARD", strict: bool = False) -> ValidationReport:
    """Check ``definition`` (JSON text or already-parsed object) and report every problem."""
    out = Collector()
    workflow_type = str(workflow_type).upper()
    if workflow_type not in WORKFLOW_TYPES:
        out.error(
            Code.INVALID_FIELD_VALUE,
            "/",
            f"Unknown workflow type '{workflow_type}'; it must be STANDARD or EXPRESS.",
        )
        return out.report()
    parsed = load_definition(definition, out)
    if parsed is None:
        return out.report()
    try:
        ctx = Context(out, machine_language(parsed, out), workflow_type, strict)
        check_machine(parsed, ctx)
        report_duplicate_fields(parsed, "", ctx)
    except RecursionError:
        out.error(Code.TOO_DEEPLY_NESTED, "/", "The definition is nested too deeply to be checked.")
    return out.report()


def validate_definition(
    definition: str | dict, *, workflow_type: str = "STANDARD", strict: bool = False
) -> list[Diagnostic]:
    return validate(definition, workflow_type=workflow_type, strict=strict).diagnostics

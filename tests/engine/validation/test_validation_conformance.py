"""The 626 AWS-recorded conformance definitions were all accepted by AWS: none may get an
ERROR diagnostic (warnings are fine where AWS would warn too)."""

from __future__ import annotations

from backend.engine.validation import Severity, validate


def test_every_conformance_definition_is_valid(conformance_cases: list[dict]) -> None:
    assert len(conformance_cases) >= 600
    rejected = {}
    for case in conformance_cases:
        report = validate(case["definition"], workflow_type=case.get("type", "STANDARD"))
        errors = [d for d in report.diagnostics if d.severity == Severity.ERROR.value]
        if errors:
            rejected[case["id"]] = [(d.location, d.code, d.message) for d in errors]
    assert not rejected, f"{len(rejected)} AWS-accepted definitions rejected, e.g. {next(iter(rejected.items()))}"


def test_conformance_definitions_are_valid_as_text_too(conformance_cases: list[dict]) -> None:
    """The JSON-text path (duplicate-key aware parser) agrees with the parsed-object path."""
    import json

    for case in conformance_cases[:100]:
        as_text = validate(json.dumps(case["definition"]), workflow_type=case.get("type", "STANDARD"))
        as_object = validate(case["definition"], workflow_type=case.get("type", "STANDARD"))
        assert as_text.diagnostics == as_object.diagnostics, case["id"]

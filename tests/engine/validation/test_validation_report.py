"""The report itself: contract shape, ordering, truncation, TCSL tolerance, messages."""

from __future__ import annotations

import json

from backend.engine.validation import MAX_DIAGNOSTICS, Diagnostic, validate, validate_definition


def _machine(states: dict, **top) -> dict:
    return {"StartAt": next(iter(states)), "States": states, **top}


def test_contract_returns_a_list_of_diagnostics() -> None:
    diagnostics = validate_definition('{"StartAt": "A", "States": {}}')
    assert all(isinstance(d, Diagnostic) for d in diagnostics)
    assert diagnostics[0].to_dict().keys() == {"severity", "code", "message", "location"}


def test_report_shape_matches_validate_state_machine_definition() -> None:
    ok = validate(_machine({"A": {"Type": "Succeed"}})).to_dict()
    assert ok == {"result": "OK", "diagnostics": [], "truncated": False}
    failed = validate({}).to_dict()
    assert failed["result"] == "FAIL"


def test_at_most_100_diagnostics_errors_first_and_truncated() -> None:
    states = {f"S{i}": {"Type": "Pass", "End": True, "Parameters": {"a": "$.x"}} for i in range(80)}
    states.update({f"T{i}": {"Type": "Bogus"} for i in range(80)})
    report = validate(_machine(states))
    assert len(report.diagnostics) == MAX_DIAGNOSTICS
    assert report.truncated
    severities = [d.severity for d in report.diagnostics]
    assert severities == sorted(severities, key=lambda s: s != "ERROR")
    assert severities.count("ERROR") == 80


def test_all_problems_are_collected_not_just_the_first() -> None:
    definition = _machine(
        {
            "A": {"Type": "Pass", "Next": "Nowhere"},
            "B": {"Type": "Wait", "End": True},
            "C": {"Type": "Task", "Resource": 5, "End": True},
        }
    )
    locations = {d.location for d in validate_definition(definition) if d.severity == "ERROR"}
    assert locations == {"/States/A/Next", "/States/B", "/States/C/Resource"}


def test_tcsl_tolerance() -> None:
    definition = _machine(
        {
            "Sum": {
                "Type": "Task",
                "Resource": "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/sum/$LATEST/default",
                "Next": "Shape",
            },
            "Shape": {"Type": "Pass", "ResultSelector": {"total.$": "$.total"}, "Next": "Each"},
            "Each": {
                "Type": "Map",
                "Iterator": {"StartAt": "One", "States": {"One": {"Type": "Pass", "End": True}}},
                "MaxConcurrency": 1,
                "End": True,
            },
        },
        TimeoutSeconds=10_000_000,
    )
    assert validate_definition(definition) == []
    strict = {(d.code, d.location) for d in validate_definition(definition, strict=True)}
    assert strict == {("FIELD_NOT_ALLOWED", "/States/Shape/ResultSelector")}


def test_malformed_qrn_is_an_invalid_resource() -> None:
    definition = _machine({"T": {"Type": "Task", "Resource": "qrn:qcs:asw:sh:1:function:sum", "End": True}})
    [diagnostic] = validate_definition(definition)
    assert (diagnostic.code, diagnostic.location) == ("INVALID_RESOURCE", "/States/T/Resource")
    assert "qrn:qcs:asw:REGION:APPID:sdk:json:qcloud:SERVICE:ACTION" in diagnostic.message


def test_pointer_escapes_slash_and_tilde_in_state_names() -> None:
    definition = _machine({"a/b~c": {"Type": "Pass", "Next": "missing"}, "End": {"Type": "Succeed"}})
    locations = [d.location for d in validate_definition(definition) if d.severity == "ERROR"]
    assert locations == ["/States/a~1b~0c/Next"]


def test_text_and_object_give_the_same_answer() -> None:
    definition = _machine({"A": {"Type": "Pass", "Result": {"x.$": "$"}, "End": True}})
    assert validate_definition(json.dumps(definition)) == validate_definition(definition)


def test_machine_query_language_is_the_default_for_nested_states() -> None:
    """ST-05: a state inside a JSONata Parallel of a JSONPath machine is JSONPath."""
    branch = {"StartAt": "In", "States": {"In": {"Type": "Pass", "Parameters": {"a.$": "$.x"}, "End": True}}}
    definition = _machine({"P": {"Type": "Parallel", "QueryLanguage": "JSONata", "Branches": [branch], "End": True}})
    assert validate_definition(definition) == []


def test_jsonata_expressions_in_typed_fields_are_compiled() -> None:
    definition = _machine(
        {"W": {"Type": "Wait", "Seconds": "{% $states.input.delay + %}", "End": True}}, QueryLanguage="JSONata"
    )
    [diagnostic] = validate_definition(definition)
    assert (diagnostic.code, diagnostic.location) == ("INVALID_JSONATA", "/States/W/Seconds")


def test_unknown_workflow_type() -> None:
    [diagnostic] = validate_definition(_machine({"A": {"Type": "Succeed"}}), workflow_type="FAST")
    assert diagnostic.code == "INVALID_FIELD_VALUE"


def test_express_timeout_beyond_five_minutes_is_a_warning() -> None:
    definition = _machine({"A": {"Type": "Succeed"}}, TimeoutSeconds=3600)
    assert validate_definition(definition) == []
    [diagnostic] = validate_definition(definition, workflow_type="EXPRESS")
    assert (diagnostic.severity, diagnostic.code, diagnostic.location) == (
        "WARNING",
        "INVALID_FIELD_VALUE",
        "/TimeoutSeconds",
    )


def test_texts_aws_recorded() -> None:
    """ValidateStateMachineDefinition answers recorded on AWS (LocalStack snapshot
    test_sfn_api_validation, 2025-10-19): same code, location and message."""

    def only(definition, workflow_type: str = "STANDARD") -> tuple[str, str, str]:
        [diagnostic] = validate_definition(definition, workflow_type=workflow_type)
        return diagnostic.code, diagnostic.location, diagnostic.message

    assert only(" ") == ("SCHEMA_VALIDATION_FAILED", "/", "Definition must be a valid JSON object")
    assert only("{}") == ("SCHEMA_VALIDATION_FAILED", "/", "These fields are required: [States, StartAt]")
    no_start = {"States": {"A": {"Type": "Pass", "End": True}}}
    assert only(no_start) == ("SCHEMA_VALIDATION_FAILED", "/", "These fields are required: [StartAt]")
    downgrade = {
        "QueryLanguage": "JSONata",
        "StartAt": "Pass",
        "States": {"Pass": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}},
    }
    assert only(downgrade) == (
        "SCHEMA_VALIDATION_FAILED",
        "/States/Pass",
        "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
    )
    callback = _machine(
        {
            "SendMessageWithWait": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "https://sqs.example/q", "MessageBody": {"token.$": "$$.Task.Token"}},
                "End": True,
            }
        }
    )
    assert only(callback, "EXPRESS") == (
        "SCHEMA_VALIDATION_FAILED",
        "/States/SendMessageWithWait/Resource",
        "Express state machine does not support '.waitForTaskToken' service integration ",
    )


def test_malformed_json_message_gives_line_and_column() -> None:
    [diagnostic] = validate_definition('{"StartAt": "A",\n "States": {"A": {"Type": "Pass" "End": true}}}')
    assert diagnostic.code == "INVALID_JSON_DESCRIPTION"
    assert "line 2, column 34" in diagnostic.message

from __future__ import annotations

import json

import pytest

from backend.engine.execution import Execution
from backend.engine.functions import LocalFunctions, load_function_map
from backend.engine.program import compile_definition
from backend.engine.resources import ResourceRegistry


@pytest.fixture
def functions_dir(tmp_path):
    (tmp_path / "echo.py").write_text("def handler(event, context):\n    return event\n")
    (tmp_path / "boom.py").write_text(
        "class CustomError(Exception):\n    pass\n\n"
        "def handler(event, context):\n    raise CustomError('went wrong')\n")
    (tmp_path / "slow.py").write_text("import time\n\ndef handler(event, context):\n    time.sleep(5)\n")
    return tmp_path


def run(resource_state: dict, input_value, functions_dir):
    program = compile_definition({"StartAt": "T", "States": {"T": {"Type": "Task", "End": True, **resource_state}}})
    registry = LocalFunctions(load_function_map(str(functions_dir))).register(ResourceRegistry())
    return Execution(program, input_value, registry=registry).run()


def test_lambda_arn_calls_the_handler_with_the_effective_input(functions_dir):
    result = run({"Resource": "arn:aws:lambda:us-east-1:111111111111:function:echo"}, {"a": 1}, functions_dir)
    assert result.output == {"a": 1}


def test_tcsl_scf_invoke_resolves_to_the_same_handler(functions_dir):
    result = run({"Resource": "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/echo/$LATEST/default"},
                 {"b": 2}, functions_dir)
    assert result.output == {"b": 2}


def test_lambda_invoke_returns_the_aws_envelope(functions_dir):
    result = run({"Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "echo", "Payload": {"body": "string body"}}}, {}, functions_dir)
    out = result.output
    assert out["Payload"] == {"body": "string body"} and out["StatusCode"] == 200
    assert out["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"] == "23"
    assert out["SdkHttpMetadata"]["AllHttpHeaders"]["Content-Length"] == ["23"]
    assert set(out) == {"ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"}


def test_raising_handler_fails_with_class_name_and_runtime_style_cause(functions_dir):
    result = run({"Resource": "arn:aws:lambda:us-east-1:111111111111:function:boom"}, {}, functions_dir)
    assert result.error == "CustomError"
    cause = json.loads(result.cause)
    assert cause["errorMessage"] == "went wrong" and cause["errorType"] == "CustomError"
    assert isinstance(cause["stackTrace"], list) and cause["requestId"]


def test_missing_function_gives_aws_error(functions_dir):
    result = run({"Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "nope"}}, {},
                 functions_dir)
    assert result.error == "Lambda.ResourceNotFoundException"
    assert result.cause.startswith("Function not found: arn:aws:lambda:us-east-1:111111111111:function:nope")


def test_task_timeout_is_enforced_on_a_real_handler(functions_dir):
    result = run({"Resource": "arn:aws:lambda:us-east-1:111111111111:function:slow", "TimeoutSeconds": 1}, {},
                 functions_dir)
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert "LambdaFunctionTimedOut" in [e.type for e in result.events]


def test_function_map_file_relative_paths(tmp_path, functions_dir):
    mapping = tmp_path / "functions.json"
    mapping.write_text(json.dumps({"alias": str(functions_dir / "echo.py")}))
    assert load_function_map(str(mapping)) == {"alias": str(functions_dir / "echo.py")}


@pytest.mark.parametrize("text, kind, service, action, function, pattern", [
    ("arn:aws:lambda:eu-west-1:123456789012:function:fn", "lambda-arn", "lambda", "invoke", "fn", ""),
    ("arn:aws:lambda:eu-west-1:123456789012:function:fn:prod", "lambda-arn", "lambda", "invoke", "fn", ""),
    ("arn:aws:states:::lambda:invoke", "lambda-invoke", "lambda", "invoke", None, ""),
    ("arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda-invoke", "lambda", "invoke", None,
     ".waitForTaskToken"),
    ("arn:aws:states:::states:startExecution.sync:2", "service", "states", "startExecution", None, ".sync:2"),
    ("qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/sum", "scf-invoke", "scf", "Invoke", "sum", ""),
    ("qrn:qcs:asw:sh:1250000000:sdk:json:qcloud:mps:ProcessMedia", "service", "mps", "ProcessMedia", None, ""),
])
def test_resource_classification(text, kind, service, action, function, pattern):
    from backend.engine.resources import parse_resource

    spec = parse_resource(text)
    assert (spec.kind, spec.service, spec.action, spec.function, spec.pattern) == (
        kind, service, action, function, pattern)


def test_unknown_resource_strings_are_rejected_at_compile_time():
    from backend.engine.errors import DefinitionError

    with pytest.raises(DefinitionError) as caught:
        compile_definition({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "ftp://x", "End": True}}})
    assert (caught.value.pointer, caught.value.code) == ("/States/T/Resource", "INVALID_RESOURCE")

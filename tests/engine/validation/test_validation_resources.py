"""Task Resource URIs: the families the checklist names (TASK-16/17, TC-01/02) and their
integration pattern, which the Express restrictions (INT-09) depend on."""

from __future__ import annotations

import pytest

from backend.engine.validation.resources import InvalidResource, classify_resource


@pytest.mark.parametrize(
    ("resource", "kind", "pattern", "service", "action"),
    [
        ("arn:aws:states:::lambda:invoke", "aws-integration", "request-response", "lambda", "invoke"),
        ("arn:aws:states:::lambda:invoke.waitForTaskToken", "aws-integration", "waitForTaskToken", "lambda", "invoke"),
        ("arn:aws:states:::states:startExecution.sync:2", "aws-integration", "sync:2", "states", "startExecution"),
        ("arn:aws:states:::ecs:runTask.sync", "aws-integration", "sync", "ecs", "runTask"),
        ("arn:aws:states:::http:invoke", "aws-integration", "request-response", "http", "invoke"),
        ("arn:aws:states:::aws-sdk:s3:listObjectsV2", "aws-sdk", "request-response", "s3", "listObjectsV2"),
        ("arn:aws:lambda:us-east-1:111111111111:function:my-fn", "lambda", "request-response", "lambda", "invoke"),
        ("arn:aws:lambda:us-east-1:111111111111:function:my-fn:$LATEST", "lambda", "request-response", "lambda", "invoke"),
        ("arn:aws:states:eu-west-1:123456789012:activity:work", "activity", "request-response", "states", "activity"),
        (
            "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:mps:ProcessMedia",
            "tcsl", "request-response", "mps", "ProcessMedia",
        ),
        ("qrn:qcs:asw:sh:1250000000:sdk:json:qcloud:scf:Invoke/sum", "tcsl", "request-response", "scf", "Invoke/sum"),
        ("celery:reports.build", "other", "request-response", None, None),
    ],
)
def test_known_families(resource: str, kind: str, pattern: str, service: str | None, action: str | None) -> None:
    info = classify_resource(resource)
    assert (info.kind, info.pattern, info.service, info.action) == (kind, pattern, service, action)


@pytest.mark.parametrize(
    "resource",
    [
        "",
        "lambda",
        " arn:aws:states:::lambda:invoke",
        "arn:aws:lambda:us-east-1:111111111111:fn",
        "arn:aws:lambda:us-east-1:111111111111:function:f.sync",
        "arn:aws:s3:::bucket",
        "arn:aws:states:::",
        "arn:aws:states:us-east-1:123456789012:activity:a.waitForTaskToken",
        "qrn:qcs:asw:sh:1:function:sum",
    ],
)
def test_malformed_resources_say_why(resource: str) -> None:
    with pytest.raises(InvalidResource) as raised:
        classify_resource(resource)
    assert "'" in str(raised.value)  # every reason shows the expected shape

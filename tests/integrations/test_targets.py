"""Which integration each resource string reaches (docs/resources.md)."""

from __future__ import annotations

import pytest

from backend.engine.resources import parse_resource
from backend.integrations.targets import CELERY, FUNCTION, HTTP, Target, target_of


@pytest.mark.parametrize(
    ("resource", "target"),
    [
        ("arn:aws:lambda:us-east-1:123456789012:function:sum", Target(FUNCTION)),
        ("arn:aws:states:::lambda:invoke", Target(FUNCTION)),
        ("qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/sum", Target(FUNCTION)),
        ("arn:aws:states:::http:invoke", Target(HTTP)),
        ("qrn:qcs:asw:ap-guangzhou:1250000000:http:invoke", Target(HTTP)),
        ("arn:aws:states:::celery:task", Target(CELERY)),
        ("arn:aws:states:::celery:task.sync", Target(CELERY, sync=True)),
        ("qrn:qcs:asw:ap-guangzhou:1250000000:celery:shop.tasks.bill", Target(CELERY, task_name="shop.tasks.bill")),
        ("qrn:qcs:asw:ap-guangzhou:1250000000:celery:shop.tasks.bill.sync",
         Target(CELERY, sync=True, task_name="shop.tasks.bill")),
        ("arn:aws:states:::states:startExecution.sync", None),
        ("arn:aws:states:::http:invoke.sync", None),
        ("arn:aws:states:::sqs:sendMessage", None),
    ],
)
def test_target_of(resource: str, target: Target | None) -> None:
    spec = parse_resource(resource)
    assert spec is not None
    assert target_of(spec) == target

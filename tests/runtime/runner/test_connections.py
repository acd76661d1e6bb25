"""HTTP Tasks naming a connection, run by the durable runner and the Express path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from backend.connections.services import connection_create
from backend.executions.models import ExecutionStatus, HistoryEvent
from backend.executions.runner import execution_start, execution_start_sync
from backend.workflows.services import role_create
from tests.runtime.runner.support import authorization_check, finished, run_until_idle

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "runner-Secret-Value-9c1d"


@pytest.fixture
def echo_url() -> Iterator[str]:
    """A loopback API that says whether the request carried the credential (never echoing it)."""
    with authorization_check(f"Bearer {SECRET}") as url:
        yield url


def http_task(url: str) -> dict[str, Any]:
    return {"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::http:invoke",
        "Parameters": {"ApiEndpoint": url, "Method": "GET", "Authentication": {"ConnectionName": "crm"}},
        "ResultSelector": {"authorized.$": "$.ResponseBody.authorized"}, "End": True}}}


@pytest.fixture
def crm_role(owner):  # type: ignore[no-untyped-def]
    connection_create(owner=owner, name="crm", kind="bearer", parameters={}, secret=SECRET)
    return role_create(owner=owner, name="crm-caller",
                       allowed_resources=["arn:aws:states:::http:invoke", "connection:crm"])


def test_a_standard_execution_applies_the_connection_and_keeps_the_secret_out_of_history(
        workflow, crm_role, echo_url):
    template = workflow(http_task(echo_url), role=crm_role)
    execution = execution_start(template=template, name="crm").execution
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.SUCCEEDED, (execution.error, execution.cause)
    assert json.loads(execution.output) == {"authorized": True}
    details = list(HistoryEvent.objects.filter(execution=execution).values_list("details", flat=True))
    assert any("crm" in (text or "") for text in details)  # history names the connection ...
    assert not any(SECRET in (text or "") for text in details)  # ... never its secret


def test_an_express_execution_applies_the_connection(workflow, crm_role, echo_url):
    template = workflow(http_task(echo_url), name="crm-express", type="EXPRESS", role=crm_role)
    result = execution_start_sync(template=template, input="{}")
    assert (result.status, json.loads(result.output)) == ("SUCCEEDED", {"authorized": True})


def test_a_role_without_the_connection_fails_the_task_naming_it(workflow, owner, echo_url):
    connection_create(owner=owner, name="crm", kind="bearer", parameters={}, secret=SECRET)
    role = role_create(owner=owner, name="http-only", allowed_resources=["arn:aws:states:::http:invoke"])
    template = workflow(http_task(echo_url), role=role)
    execution = execution_start(template=template, name="denied").execution
    run_until_idle()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.FAILED
    assert "connection:crm" in (execution.cause or "") and SECRET not in (execution.cause or "")

"""History events delivered as JSON lines (EXECUTION_LOG_DELIVERY), like ASW's log delivery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from backend.executions.models import Execution, ExecutionStatus
from backend.executions.runner import execution_start
from backend.executions.runner.api import execution_stop
from backend.executions.runner.express import express_run
from backend.metrics import delivery
from tests.metrics.conftest import task
from tests.runtime.runner.support import run_until_idle

pytestmark = pytest.mark.django_db(transaction=True)

CHAIN = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"x": 1}, "Next": "B"},
                                    "B": {"Type": "Fail", "Error": "Oops", "Cause": "on purpose"}}}


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_every_committed_event_of_a_standard_execution_in_order(workflow, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    with override_settings(EXECUTION_LOG_DELIVERY=f"file:{log}"):
        template = workflow(CHAIN, name="chain")
        execution = execution_start(template=template, name="one", input='{"in": true}').execution
        run_until_idle()
    delivered = lines(log)
    stored = list(Execution.objects.get(pk=execution.pk).events.order_by("event_id")
                  .values_list("event_id", "previous_event_id", "type"))
    assert [(int(d["id"]), int(d["previous_event_id"]), d["type"]) for d in delivered] == stored
    first = delivered[0]
    assert first["type"] == "ExecutionStarted" and first["details"]["input"] == {"in": True}
    assert first["execution_arn"].endswith(":execution:chain:one")
    assert (first["execution_id"], first["execution_name"], first["workflow_id"], first["workflow"],
            first["owner"], first["scope"]) == (execution.pk, "one", template.pk, "chain", "alice", "")
    assert first["event_timestamp"].isdigit() and len(first["event_timestamp"]) == 13  # epoch milliseconds
    assert delivered[-1]["type"] == "ExecutionFailed" and delivered[-1]["details"]["error"] == "Oops"


@pytest.mark.parametrize(("level", "expected"), [
    ("ALL", None),
    ("ERROR", ["LambdaFunctionFailed", "ExecutionFailed"]),
    ("FATAL", ["ExecutionFailed"]),
    ("OFF", []),
])
def test_levels(workflow, functions, tmp_path: Path, level: str, expected: list[str] | None) -> None:
    log = tmp_path / "events.jsonl"
    failing = {"StartAt": "T", "States": {
        "T": task("boom", Catch=[{"ErrorEquals": ["States.ALL"], "Next": "F"}], End=True),
        "F": {"Type": "Fail", "Error": "Oops"}}}
    with override_settings(EXECUTION_LOG_DELIVERY=f"file:{log}", EXECUTION_LOG_LEVEL=level):
        execution_start(template=workflow(failing), name="one")
        run_until_idle()
    types = [line["type"] for line in lines(log)]
    if expected is None:
        assert types[0] == "ExecutionStarted" and len(types) == Execution.objects.get().events.count()
    else:
        assert types == expected


def test_without_execution_data(workflow, tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    with override_settings(EXECUTION_LOG_DELIVERY=f"file:{log}", EXECUTION_LOG_INCLUDE_DATA=False):
        execution_start(template=workflow(CHAIN), name="one", input='{"secret": 1}')
        run_until_idle()
    for line in lines(log):
        assert "input" not in (line["details"] or {}) and "output" not in (line["details"] or {})
    assert lines(log)[-1]["details"] == {"error": "Oops", "cause": "on purpose"}


def test_express_executions_and_stops_are_delivered_too(workflow, tmp_path: Path, capsys) -> None:
    with override_settings(EXECUTION_LOG_DELIVERY="stdout"):
        quick = workflow({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, name="quick", type="EXPRESS")
        express_run(template=quick, input_value={"a": 1}, name="fast")
        waits = workflow({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}, name="w")
        parked = execution_start(template=waits, name="w1").execution
        execution_stop(execution=parked, error="Stop", cause="by hand")
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    express = [line for line in out if line["workflow"] == "quick"]
    assert [line["type"] for line in express] == ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                                                 "ExecutionSucceeded"]
    assert express[0]["execution_id"] is None and ":express:quick:fast" in express[0]["execution_arn"]
    aborted = [line for line in out if line["workflow"] == "w"]
    assert aborted[-1]["type"] == "ExecutionAborted" and aborted[-1]["details"] == {"error": "Stop", "cause": "by hand"}
    assert Execution.objects.get(pk=parked.pk).status == ExecutionStatus.ABORTED


def test_off_by_default_and_free(workflow) -> None:
    delivery.reset()
    assert delivery.express_journal(workflow(CHAIN), "x") is None
    assert delivery._sink is None  # resolved once; each hook is then one comparison


@pytest.mark.parametrize("value", ["file:relative.log", "syslog", "file:"])
def test_bad_targets_are_configuration_errors(value: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        delivery.parse_target(value)
    with pytest.raises(ImproperlyConfigured):
        delivery.parse_level("VERBOSE")


def test_a_workflows_own_level_overrides_the_servers(workflow, owner, other_owner, tmp_path: Path) -> None:
    from rest_framework.test import APIClient

    log = tmp_path / "events.jsonl"
    quiet, loud = workflow(CHAIN, name="quiet"), workflow(CHAIN, name="loud")
    alice, bob = APIClient(), APIClient()
    alice.force_authenticate(owner)
    bob.force_authenticate(other_owner)
    with override_settings(EXECUTION_LOG_DELIVERY=f"file:{log}", EXECUTION_LOG_LEVEL="OFF"):
        assert alice.get(f"/api/templates/{quiet.pk}/logging/").json() == {
            "level": "OFF", "include_data": True, "inherited": True, "delivery": str(log)}
        answer = alice.put(f"/api/templates/{loud.pk}/logging/", {"level": "ALL", "include_data": False}, format="json")
        assert answer.status_code == 200 and answer.json()["inherited"] is False
        assert bob.get(f"/api/templates/{loud.pk}/logging/").status_code == 404
        assert bob.put(f"/api/templates/{loud.pk}/logging/", {"level": "OFF"}, format="json").status_code == 404
        assert alice.put(f"/api/templates/{loud.pk}/logging/", {"level": "LOUD"}, format="json").status_code == 400
        execution_start(template=quiet, name="q", input='{"secret": 1}')
        execution_start(template=loud, name="l", input='{"secret": 1}')
        run_until_idle()
        delivered = lines(log)
        assert {line["workflow"] for line in delivered} == {"loud"}
        assert delivered[0]["type"] == "ExecutionStarted" and "input" not in delivered[0]["details"]
        assert alice.delete(f"/api/templates/{loud.pk}/logging/").status_code == 204
        assert alice.get(f"/api/templates/{loud.pk}/logging/").json()["inherited"] is True


def test_a_failing_destination_never_fails_the_execution(workflow, tmp_path: Path) -> None:
    blocked = tmp_path / "no-such-folder" / "events.jsonl"
    with override_settings(EXECUTION_LOG_DELIVERY=f"file:{blocked}"):
        execution = execution_start(template=workflow(CHAIN), name="one").execution
        run_until_idle()
    assert Execution.objects.get(pk=execution.pk).status == ExecutionStatus.FAILED  # the Fail state, nothing else
    assert Execution.objects.get(pk=execution.pk).error == "Oops" and not blocked.exists()

"""GET /metrics: what it counts (parsed with prometheus_client's own parser) and who may read it."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families

from backend.executions.models import Execution, ExecutionStatus, Timer, TimerKind
from backend.executions.runner import execution_start
from backend.executions.runner.api import execution_redrive, execution_stop
from backend.executions.runner.run import drive
from backend.executions.runner.wake import fire_due_timers
from backend.metrics.selectors import HistoryRollup, history_counts, history_last_id
from tests.metrics.conftest import for_workflow, samples, task
from tests.runtime.runner.support import OWNER_ID

pytestmark = pytest.mark.django_db(transaction=True)


def scrape(client: Client, **headers: str) -> dict:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return samples(response.content.decode())


def drive_all(*closed: Execution, timeout: float = 20.0) -> None:
    """Drive executions (firing due timers) until ``closed`` are closed and the rest parked."""
    deadline = time.monotonic() + timeout
    while True:
        fire_due_timers()
        runnable = list(Execution.objects.filter(status=ExecutionStatus.RUNNING, wake_at__isnull=False)
                        .values_list("pk", flat=True))
        for execution_id in runnable:
            drive(execution_id, OWNER_ID)
        still_open = Execution.objects.filter(pk__in=[e.pk for e in closed], status=ExecutionStatus.RUNNING)
        if not runnable and not still_open.exists():
            return
        assert time.monotonic() < deadline, "executions still running after the timeout"
        time.sleep(0.02)


def test_counts_per_workflow_across_statuses_histories_and_timers(workflow, functions, client: Client) -> None:
    ok = workflow({"StartAt": "Sum", "States": {"Sum": task("sum", End=True)}}, name="ok")
    bad = workflow({"StartAt": "Boom", "States": {"Boom": task("boom", End=True)}}, name="bad")
    waits = workflow({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}}, name="waits")
    slow = workflow({"TimeoutSeconds": 3, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": True}}},
                    name="slow")
    idle = workflow({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, name="idle")
    succeeded = [execution_start(template=ok, name=f"ok-{n}", input='{"values": [1, 2]}').execution
                 for n in range(3)]
    failed = execution_start(template=bad, name="bad-0", input="{}").execution
    parked = [execution_start(template=waits, name=f"w-{n}").execution for n in range(2)]
    drive_all(*succeeded, failed)
    execution_stop(execution=parked[0], error="Stop", cause="test")
    # Started last, so its time-out (3 s) is not due before the first scrape even on a busy machine.
    timed_out = execution_start(template=slow, name="slow-0").execution
    slow_started = time.monotonic()
    drive(timed_out.pk, OWNER_ID)  # parks on its Wait and its time-out

    metrics = scrape(client)
    assert metrics[("workflow_executions_started_total", for_workflow(ok))] == 3
    assert metrics[("workflow_executions_succeeded_total", for_workflow(ok))] == 3
    assert metrics[("workflow_executions_failed_total", for_workflow(bad))] == 1
    assert metrics[("workflow_executions_aborted_total", for_workflow(waits))] == 1
    assert metrics[("workflow_executions_running", for_workflow(waits))] == 1
    assert metrics[("workflow_executions_running", for_workflow(slow))] == 1
    assert metrics[("workflow_executions_started_total", for_workflow(idle))] == 0  # every workflow has a series
    # The histogram counts finished executions (the aborted one too), cumulatively.
    assert metrics[("workflow_execution_duration_seconds_count", for_workflow(ok))] == 3
    assert metrics[("workflow_execution_duration_seconds_bucket", for_workflow(ok, le="+Inf"))] == 3
    assert metrics[("workflow_execution_duration_seconds_count", for_workflow(waits))] == 1
    assert metrics[("workflow_execution_duration_seconds_count", for_workflow(slow))] == 0
    assert metrics[("workflow_execution_duration_seconds_sum", for_workflow(ok))] >= 0
    buckets = [value for (name, labels), value in metrics.items()
               if name == "workflow_execution_duration_seconds_bucket" and labels >= for_workflow(ok)]
    assert len(buckets) == 17 and max(buckets) == 3
    # History: states entered, Task attempts and their failures.
    assert metrics[("workflow_state_transitions_total", for_workflow(ok))] == 3
    assert metrics[("workflow_task_calls_total", for_workflow(ok))] == 3
    assert metrics[("workflow_task_failures_total", for_workflow(ok))] == 0
    assert metrics[("workflow_task_calls_total", for_workflow(bad))] == 1
    assert metrics[("workflow_task_failures_total", for_workflow(bad))] == 1
    assert metrics[("workflow_state_transitions_total", for_workflow(waits))] == 2
    # Timers: the parked Waits (the aborted one's is gone) and the execution time-out.
    assert metrics[("workflow_timers_pending", frozenset({"kind": TimerKind.WAIT}.items()))] == 2
    assert metrics[("workflow_timers_pending", frozenset({"kind": TimerKind.EXECUTION_TIMEOUT}.items()))] == 1
    assert metrics[("workflow_timers_due", frozenset({"kind": TimerKind.WAIT}.items()))] == 0

    time.sleep(max(0.0, slow_started + 3.2 - time.monotonic()))  # the time-out is due; no runner fired it yet
    metrics = scrape(client)
    assert metrics[("workflow_timers_due", frozenset({"kind": TimerKind.EXECUTION_TIMEOUT}.items()))] == 1
    drive_all(timed_out)
    execution_redrive(execution=failed)
    drive_all(failed)
    metrics = scrape(client)
    assert metrics[("workflow_executions_timed_out_total", for_workflow(slow))] == 1
    assert metrics[("workflow_timers_due", frozenset({"kind": TimerKind.EXECUTION_TIMEOUT}.items()))] == 0
    # The redriven execution failed again: still one failed execution, two Task attempts.
    assert metrics[("workflow_executions_failed_total", for_workflow(bad))] == 1
    assert metrics[("workflow_executions_redriven_total", for_workflow(bad))] == 1
    assert metrics[("workflow_task_calls_total", for_workflow(bad))] == 2
    assert metrics[("workflow_task_failures_total", for_workflow(bad))] == 2


def test_express_executions_are_counted_from_their_summary_rows(workflow, client: Client) -> None:
    from backend.executions.runner.express import express_run

    quick = workflow({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, name="quick", type="EXPRESS")
    for _ in range(4):
        express_run(template=quick, input_value={})
    metrics = scrape(client)
    assert metrics[("workflow_executions_succeeded_total", for_workflow(quick))] == 4
    assert metrics[("workflow_execution_duration_seconds_count", for_workflow(quick))] == 4
    assert metrics[("workflow_state_transitions_total", for_workflow(quick))] == 0  # no history kept


def test_the_history_rollup_counts_each_event_once_however_the_marks_move(workflow) -> None:
    chain = workflow({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}}})
    folding, holding = HistoryRollup(settle_seconds=0.0), HistoryRollup(settle_seconds=3600.0)
    for round_ in range(3):
        for n in range(2):
            execution_start(template=chain, name=f"r{round_}-{n}")
        drive_all(*Execution.objects.all())
        expected = history_counts(0, history_last_id())
        assert folding.counts() == expected == holding.counts()
    assert expected[(chain.pk, "PassStateEntered")] == 12
    assert folding._folded_to == history_last_id() and holding._folded_to == 0


def test_openmetrics_when_the_scraper_asks_for_it(workflow, client: Client) -> None:
    flow = workflow({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    execution_start(template=flow, name="one")
    response = client.get("/metrics", HTTP_ACCEPT="application/openmetrics-text; version=1.0.0")
    assert response["Content-Type"].startswith("application/openmetrics-text")
    families = {family.name: family for family in openmetrics_families(response.content.decode())}
    assert families["workflow_executions_started"].type == "counter"
    assert families["workflow_execution_duration_seconds"].type == "histogram"


def test_only_loopback_clients_by_default(db: None) -> None:
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="::1").get("/metrics").status_code == 200
    remote = Client(REMOTE_ADDR="192.0.2.7").get("/metrics")
    assert remote.status_code == 403 and b"METRICS_TOKEN" in remote.content
    with override_settings(METRICS_PUBLIC=True):
        assert Client(REMOTE_ADDR="192.0.2.7").get("/metrics").status_code == 200
    assert Client().post("/metrics").status_code == 405


@override_settings(METRICS_TOKEN="s3cret-token")
def test_a_bearer_token_when_one_is_set(db: None) -> None:
    for client, headers in [(Client(REMOTE_ADDR="127.0.0.1"), {}),
                            (Client(REMOTE_ADDR="192.0.2.7"), {"HTTP_AUTHORIZATION": "Bearer wrong"}),
                            (Client(REMOTE_ADDR="192.0.2.7"), {"HTTP_AUTHORIZATION": "Token s3cret-token"})]:
        refused = client.get("/metrics", **headers)
        assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Bearer")
    allowed = Client(REMOTE_ADDR="192.0.2.7").get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert allowed.status_code == 200 and b"workflow_executions_started_total" in allowed.content


def test_due_timers_are_counted_by_kind(workflow, client: Client) -> None:
    flow = workflow({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    execution = execution_start(template=flow, name="t").execution
    now = timezone.now()
    Timer.objects.create(execution=execution, due_at=now - timedelta(seconds=5), kind=TimerKind.RETRY)
    Timer.objects.create(execution=execution, due_at=now + timedelta(hours=1), kind=TimerKind.RETRY)
    metrics = scrape(client)
    assert metrics[("workflow_timers_pending", frozenset({"kind": "RETRY"}.items()))] == 2
    assert metrics[("workflow_timers_due", frozenset({"kind": "RETRY"}.items()))] == 1
    assert metrics[("workflow_timers_due", frozenset({"kind": "WAIT"}.items()))] == 0

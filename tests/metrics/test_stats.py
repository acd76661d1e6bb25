"""GET /api/stats/: windows, buckets, totals, duration percentiles, ownership (the contract in .team/CONTRACTS.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from backend.executions.models import Execution, ExecutionStatus
from backend.metrics import selectors
from backend.metrics.selectors import STATS_WINDOWS, execution_stats, stats_window_start
from backend.workflows.models import WorkflowTemplate

pytestmark = pytest.mark.django_db

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def add(template: WorkflowTemplate, started: datetime, status: str = ExecutionStatus.SUCCEEDED,
        seconds: float | None = None) -> Execution:
    stopped = None if seconds is None else started + timedelta(seconds=seconds)
    return Execution.objects.create(template=template, version=template.versions.first(), type=template.type,
                                    name=f"e-{Execution.objects.count()}", status=status, started_at=started,
                                    stopped_at=stopped)


@pytest.fixture
def history(workflow, owner: User) -> dict:
    """alice's "main" workflow with executions in and out of the last hour, and one other workflow."""
    now = timezone.now()
    main, other = workflow(PASS, name="main"), workflow(PASS, name="other")
    add(main, now - timedelta(minutes=10), seconds=2)
    add(main, now - timedelta(minutes=10), ExecutionStatus.FAILED, seconds=4)
    add(main, now - timedelta(minutes=30), seconds=1)
    add(main, now - timedelta(minutes=1), ExecutionStatus.RUNNING)
    add(main, now - timedelta(hours=2), ExecutionStatus.TIMED_OUT, seconds=60)
    add(main, now - timedelta(days=3), ExecutionStatus.RUNNING)
    add(other, now - timedelta(minutes=5), ExecutionStatus.ABORTED, seconds=10)
    return {"main": main, "other": other, "now": now}


def test_one_workflow_over_the_last_hour(owner: User, history: dict) -> None:
    response = api(owner).get(f"/api/stats/?workflow={history['main'].pk}&window=1h")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["window"], body["bucket_seconds"], len(body["series"])) == ("1h", 60, 60)
    assert body["totals"] == {"started": 4, "succeeded": 2, "failed": 1, "timed_out": 0, "aborted": 0, "running": 2}
    assert body["duration_ms"] == {"p50": 2000.0, "p90": 4000.0, "p99": 4000.0, "avg": 2333.3}
    first = datetime.fromisoformat(body["series"][0]["start"].replace("Z", "+00:00"))
    last = datetime.fromisoformat(body["series"][-1]["start"].replace("Z", "+00:00"))
    assert last - first == timedelta(minutes=59)
    assert last <= timezone.now() < last + timedelta(minutes=1) and first.second == 0
    ten_minutes_ago = body["series"][int((history["now"] - timedelta(minutes=10) - first).total_seconds() // 60)]
    assert ten_minutes_ago["started"] == 2 and ten_minutes_ago["succeeded"] == 1 and ten_minutes_ago["failed"] == 1
    assert ten_minutes_ago["avg_duration_ms"] == pytest.approx(3000.0, abs=1)
    assert sum(point["started"] for point in body["series"]) == 4
    assert [point for point in body["series"] if point["started"] == 0][0]["avg_duration_ms"] is None


def test_all_of_the_users_workflows_and_longer_windows(owner: User, history: dict) -> None:
    body = api(owner).get("/api/stats/?window=24h").json()
    assert (body["bucket_seconds"], len(body["series"])) == (3600, 24)
    assert body["totals"] == {"started": 6, "succeeded": 2, "failed": 1, "timed_out": 1, "aborted": 1, "running": 2}
    assert body["duration_ms"]["p99"] == 60000.0
    for window, (seconds, bucket) in STATS_WINDOWS.items():
        body = api(owner).get(f"/api/stats/?window={window}").json()
        assert body["bucket_seconds"] == bucket and len(body["series"]) == seconds // bucket
    assert api(owner).get("/api/stats/?window=30d").json()["totals"]["started"] == 7
    assert api(owner).get("/api/stats/").json()["window"] == "24h"


def test_empty_stats_have_null_durations(owner: User) -> None:
    body = api(owner).get("/api/stats/?window=7d").json()
    assert body["totals"] == {"started": 0, "succeeded": 0, "failed": 0, "timed_out": 0, "aborted": 0, "running": 0}
    assert body["duration_ms"] == {"p50": None, "p90": None, "p99": None, "avg": None}
    assert (body["bucket_seconds"], len(body["series"])) == (21600, 28)


def test_others_see_nothing_of_it_and_staff_see_everything(owner: User, other_owner: User, history: dict) -> None:
    missing = api(other_owner).get(f"/api/stats/?workflow={history['main'].pk}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "StateMachineDoesNotExist"
    assert api(other_owner).get("/api/stats/?window=30d").json()["totals"]["started"] == 0
    staff = User.objects.create_user("root", is_staff=True)
    assert api(staff).get(f"/api/stats/?workflow={history['main'].pk}&window=30d").json()["totals"]["started"] == 6
    assert APIClient().get("/api/stats/").status_code == 401


@pytest.mark.parametrize("query", ["window=2h", "window=1H", "workflow=abc", "workflow=0", f"workflow={10**30}"])
def test_bad_parameters_get_the_error_format(owner: User, query: str) -> None:
    response = api(owner).get(f"/api/stats/?{query}")
    assert response.status_code == 400 and response.json()["error"]["code"] == "ValidationException"


def test_percentiles_of_many_executions_come_from_an_even_sample(workflow, monkeypatch: pytest.MonkeyPatch) -> None:
    flow = workflow(PASS, name="many")
    now = timezone.now()
    for n in range(1, 21):
        add(flow, now - timedelta(minutes=n), seconds=n)
    executions = Execution.objects.filter(template=flow)
    exact = execution_stats(executions=executions, window="1h")["duration_ms"]
    assert exact == {"p50": 10000.0, "p90": 18000.0, "p99": 20000.0, "avg": 10500.0}
    monkeypatch.setattr(selectors, "_PERCENTILE_ROWS", 10)
    sampled = execution_stats(executions=executions, window="1h")["duration_ms"]
    assert sampled["avg"] == 10500.0  # averages are always over every execution
    assert {sampled["p50"], sampled["p90"], sampled["p99"]} <= {n * 1000.0 for n in range(1, 21)}
    assert sampled["p50"] <= sampled["p90"] <= sampled["p99"]


def test_buckets_are_aligned_to_the_epoch(owner: User) -> None:
    moment = datetime.fromisoformat("2026-03-04T05:06:07.5+00:00")
    assert stats_window_start("1h", moment).isoformat() == "2026-03-04T04:07:00+00:00"
    assert stats_window_start("24h", moment).isoformat() == "2026-03-03T06:00:00+00:00"
    assert stats_window_start("7d", moment).isoformat() == "2026-02-25T06:00:00+00:00"
    assert stats_window_start("30d", moment).isoformat() == "2026-02-03T00:00:00+00:00"


def test_the_schema_describes_the_endpoint(owner: User) -> None:
    schema = api(owner).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/stats/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {"workflow", "window"}
    assert "200" in operation["responses"]

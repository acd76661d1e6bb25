"""Due-timer selection and the task-token life cycle (SendTaskSuccess/Failure/Heartbeat)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from backend.executions.errors import InvalidOutput, InvalidToken, TaskDoesNotExist, TaskTimedOut
from backend.executions.models import Execution, TaskToken, TimerKind
from backend.executions.selectors import timers_due, tokens_heartbeat_expired
from backend.executions.services import (
    execution_create,
    timer_delete,
    timer_schedule,
    token_heartbeat,
    token_issue,
    token_resolve,
)

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def execution(make_template) -> Execution:
    return execution_create(template=make_template(), name="run").execution


def test_timers_due_are_the_elapsed_ones_earliest_first(execution) -> None:
    later = timer_schedule(execution=execution, due_at=T0 + timedelta(seconds=30), kind=TimerKind.WAIT)
    future = timer_schedule(execution=execution, due_at=T0 + timedelta(days=365), kind=TimerKind.WAIT)
    sooner = timer_schedule(
        execution=execution, due_at=T0 + timedelta(seconds=10), kind=TimerKind.RETRY, payload={"state": "Sum"}
    )
    exactly_now = timer_schedule(execution=execution, due_at=T0 + timedelta(minutes=1), kind=TimerKind.WAIT)

    due = list(timers_due(now=T0 + timedelta(minutes=1)))

    assert due == [sooner, later, exactly_now]
    assert due[0].payload == {"state": "Sum"}
    assert list(timers_due(now=T0 + timedelta(minutes=1), limit=1)) == [sooner]
    assert future not in timers_due(now=T0 + timedelta(days=364))


def test_timers_of_closed_executions_are_not_due(execution, make_template) -> None:
    timer_schedule(execution=execution, due_at=T0, kind=TimerKind.WAIT)
    Execution.objects.filter(pk=execution.pk).update(status="ABORTED")
    assert list(timers_due(now=T0 + timedelta(hours=1))) == []


def test_a_timer_is_taken_once(execution) -> None:
    timer = timer_schedule(execution=execution, due_at=T0, kind=TimerKind.WAIT)
    assert timer_delete(timer=timer) is True
    assert timer_delete(timer=timer) is False
    assert list(timers_due(now=T0)) == []


def issue(execution: Execution, heartbeat_seconds: int | None = None) -> TaskToken:
    return token_issue(
        execution=execution,
        state_entered_event_id=2,
        after_event_id=4,
        state_name="Approve",
        heartbeat_seconds=heartbeat_seconds,
        now=T0,
    )


def test_tokens_are_unique_and_unguessable(execution) -> None:
    tokens = {issue(execution).token for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 64 for token in tokens)


def test_success_resolves_a_token_once(execution) -> None:
    token = issue(execution).token
    resolved = token_resolve(token=token, status="SUCCEEDED", output='{"approved": true}', now=T0)
    assert (resolved.status, resolved.output, resolved.resolved_at) == ("SUCCEEDED", '{"approved": true}', T0)

    with pytest.raises(TaskTimedOut, match="Provided task does not exist anymore"):
        token_resolve(token=token, status="FAILED", error="Rejected", now=T0)
    assert TaskToken.objects.get(token=token).status == "SUCCEEDED"


def test_failure_keeps_error_and_cause(execution) -> None:
    token = issue(execution).token
    resolved = token_resolve(token=token, status="FAILED", error="Rejected", cause="not today")
    assert (resolved.status, resolved.error, resolved.cause) == ("FAILED", "Rejected", "not today")
    assert resolved.output is None


def test_unknown_and_malformed_tokens(execution) -> None:
    real = issue(execution).token
    forged = ("A" if real[0] != "A" else "B") + real[1:]
    with pytest.raises(TaskDoesNotExist):
        token_resolve(token=forged, status="SUCCEEDED", output="{}")
    for bad in ["", "short", real + "x", "!" * len(real)]:
        with pytest.raises(InvalidToken):
            token_resolve(token=bad, status="SUCCEEDED", output="{}")


def test_success_output_must_be_json_within_the_limit(execution) -> None:
    token = issue(execution).token
    with pytest.raises(InvalidOutput):
        token_resolve(token=token, status="SUCCEEDED", output="{not json")
    with pytest.raises(InvalidOutput, match="262144"):
        token_resolve(token=token, status="SUCCEEDED", output='"' + "x" * 262_144 + '"')
    assert TaskToken.objects.get(token=token).status == "WAITING"


def test_tokens_of_closed_executions_are_timed_out(execution) -> None:
    token = issue(execution).token
    Execution.objects.filter(pk=execution.pk).update(status="ABORTED")
    with pytest.raises(TaskTimedOut):
        token_resolve(token=token, status="SUCCEEDED", output="{}")


def test_heartbeats_extend_the_deadline_until_it_lapses(execution) -> None:
    token = issue(execution, heartbeat_seconds=60).token
    assert TaskToken.objects.get(token=token).heartbeat_deadline == T0 + timedelta(seconds=60)

    beat = token_heartbeat(token=token, now=T0 + timedelta(seconds=50))
    assert beat.heartbeat_deadline == T0 + timedelta(seconds=110)
    assert list(tokens_heartbeat_expired(now=T0 + timedelta(seconds=100))) == []
    assert list(tokens_heartbeat_expired(now=T0 + timedelta(seconds=110))) == [beat]

    with pytest.raises(TaskTimedOut):
        token_heartbeat(token=token, now=T0 + timedelta(seconds=111))
    with pytest.raises(TaskTimedOut):
        token_resolve(token=token, status="SUCCEEDED", output="{}", now=T0 + timedelta(seconds=111))

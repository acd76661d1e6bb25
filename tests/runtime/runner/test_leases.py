"""Leases fence history writes: a runner that lost its execution records nothing."""

from __future__ import annotations

import time

import pytest

from backend.engine.journal import Event
from backend.executions.errors import LeaseLost
from backend.executions.models import ExecutionStatus
from backend.executions.runner import execution_start, execution_stop
from backend.executions.runner.journal import LeasedJournal
from backend.executions.runner.run import NOT_CLAIMED, claim, drive
from tests.runtime.runner.support import finished, history_types

pytestmark = pytest.mark.django_db(transaction=True)

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def started_event() -> Event:
    return Event(1, 0, time.time(), "ExecutionStarted", {"input": {}})


def test_one_runner_at_a_time_and_the_late_one_records_nothing(workflow):
    execution = execution_start(template=workflow(PASS), name="fenced").execution
    assert claim(execution.pk, "runner-a", 0.3) is not None
    assert drive(execution.pk, "runner-b") == NOT_CLAIMED  # A's lease is live
    time.sleep(0.4)
    assert drive(execution.pk, "runner-b") == ExecutionStatus.SUCCEEDED  # taken over after expiry
    late = LeasedJournal(execution.pk, "runner-a", 0.3)
    late.append(started_event())
    with pytest.raises(LeaseLost):
        late.commit()
    assert history_types(finished(execution)) == ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                                                  "ExecutionSucceeded"]


def test_stop_fences_out_the_runner_driving_the_execution(workflow):
    execution = execution_start(template=workflow(PASS), name="stopped-mid-run").execution
    assert claim(execution.pk, "runner-a", 30) is not None
    execution_stop(execution=execution)
    journal = LeasedJournal(execution.pk, "runner-a", 30)
    journal.append(started_event())
    with pytest.raises(LeaseLost):
        journal.commit()
    execution = finished(execution)
    assert execution.status == ExecutionStatus.ABORTED
    assert history_types(execution) == ["ExecutionAborted"]

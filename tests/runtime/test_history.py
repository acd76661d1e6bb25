"""History events: bulk append, ordering, uniqueness; the engine's journal over the database."""

from __future__ import annotations

import json

import pytest

from backend.engine.clock import FakeClock
from backend.engine.execution import Execution as EngineExecution
from backend.engine.journal import Event
from backend.engine.program import compile_definition
from backend.executions.errors import HistoryConflict
from backend.executions.journal import DatabaseJournal
from backend.executions.models import HistoryEvent
from backend.executions.selectors import history_events, history_last_event_id
from backend.executions.services import execution_create, history_append


@pytest.fixture
def execution(make_template):
    return execution_create(template=make_template(), name="run").execution


def events(first: int, count: int) -> list[Event]:
    return [
        Event(i, i - 1, 1_700_000_000.123456 + i, "PassStateEntered", {"name": f"S{i}", "input": {"i": i}})
        for i in range(first, first + count)
    ]


def test_appended_groups_read_back_in_order_and_exactly(execution) -> None:
    history_append(execution_id=execution.pk, events=events(4, 3))
    history_append(execution_id=execution.pk, events=events(1, 3))  # groups may land in any order

    loaded = history_events(execution_id=execution.pk)
    assert loaded == events(1, 6)  # ids, previous ids, float timestamps and details all identical
    assert history_events(execution_id=execution.pk, after_event_id=4) == events(5, 2)
    assert history_last_event_id(execution_id=execution.pk) == 6


def test_a_group_is_one_bulk_insert(execution, django_assert_max_num_queries) -> None:
    # 100 events stay under SQLite's 999 bound parameters, so one statement on both databases.
    with django_assert_max_num_queries(3) as queries:  # savepoint, INSERT, release
        history_append(execution_id=execution.pk, events=events(1, 100))
    assert sum("INSERT" in q["sql"] for q in queries.captured_queries) == 1
    assert HistoryEvent.objects.filter(execution=execution).count() == 100


AWKWARD = ["quote \" backslash \\ \\\" end", "{braces, commas}", "NULL", "", "line\nbreak\ttab",
           "unicode é € 𝄞", "'single' $$dollar$$ E'x'"]


def test_awkward_details_and_types_read_back_exactly(execution) -> None:
    """Array literals and quoting on the PostgreSQL path; whatever JSON text may contain."""
    group = [Event(1, 0, 1_700_000_000.000001, "ExecutionStarted", {"input": AWKWARD}),
             Event(2, 1, 1_700_000_000.5, "LambdaFunctionStarted", None),
             Event(3, 2, 1e-05, "TaskFailed", {"error": AWKWARD[0], "cause": "\\u0000 not a NUL", "x": {"": [None]}})]
    history_append(execution_id=execution.pk, events=group)
    assert history_events(execution_id=execution.pk) == group


def test_a_fenced_group_and_a_close_are_one_transaction(execution) -> None:
    from backend.executions.errors import LeaseLost
    from backend.executions.models import Execution, ExecutionStatus
    from backend.executions.services import ExecutionClose, Lease

    Execution.objects.filter(pk=execution.pk).update(lease_owner="me")
    history_append(execution_id=execution.pk, events=events(1, 2), lease=Lease("me", 30))
    with pytest.raises(LeaseLost):
        history_append(execution_id=execution.pk, events=events(3, 1), lease=Lease("someone else", 30))
    with pytest.raises(LeaseLost):  # not closed, nothing recorded
        history_append(execution_id=execution.pk, events=events(3, 1), lease=Lease("someone else", 30),
                       close=ExecutionClose(ExecutionStatus.SUCCEEDED, "{}"))
    history_append(execution_id=execution.pk, events=events(3, 1), lease=Lease("me", 30),
                   close=ExecutionClose(ExecutionStatus.SUCCEEDED, '{"done":true}'))
    execution.refresh_from_db()
    assert (execution.status, execution.output, execution.lease_owner) == ("SUCCEEDED", '{"done":true}', "")
    assert history_events(execution_id=execution.pk) == events(1, 3)
    with pytest.raises(LeaseLost):  # closed: the fence holds for the runner too
        history_append(execution_id=execution.pk, events=events(4, 1), lease=Lease("me", 30))


def test_a_duplicated_event_id_records_nothing_of_its_group(execution) -> None:
    history_append(execution_id=execution.pk, events=events(1, 3))
    with pytest.raises(HistoryConflict, match="#3..#5"):
        history_append(execution_id=execution.pk, events=events(3, 3))
    assert [e.id for e in history_events(execution_id=execution.pk)] == [1, 2, 3]


def test_ids_in_a_group_must_be_consecutive(execution) -> None:
    with pytest.raises(ValueError, match="consecutive"):
        history_append(execution_id=execution.pk, events=[*events(1, 2), *events(4, 1)])
    assert not HistoryEvent.objects.exists()


def test_event_ids_are_per_execution(make_template, execution) -> None:
    other = execution_create(template=execution.template, name="other").execution
    history_append(execution_id=execution.pk, events=events(1, 2))
    history_append(execution_id=other.pk, events=events(1, 2))
    assert HistoryEvent.objects.count() == 4


def test_details_keep_key_order_and_unicode(execution) -> None:
    details = {"output": {"z": 1, "a": [2, {"é": None}]}, "name": "Ünïcode"}
    history_append(execution_id=execution.pk, events=[Event(1, 0, 1.5, "PassStateExited", details)])
    row = HistoryEvent.objects.get()
    assert row.details == '{"output":{"z":1,"a":[2,{"é":null}]},"name":"Ünïcode"}'
    assert list(history_events(execution_id=execution.pk)[0].details["output"]) == ["z", "a"]
    assert row.details_value == details


WAITING_CHAIN = json.dumps(
    {
        "StartAt": "First",
        "States": {
            "First": {"Type": "Pass", "Result": {"step": 1}, "Next": "Pause"},
            "Pause": {"Type": "Wait", "Seconds": 3600, "Next": "Last"},
            "Last": {"Type": "Pass", "Parameters": {"done.$": "$.step"}, "End": True},
        },
    }
)


class DeclineTimers:
    """A dispatcher that suspends at every timer (the durable runtime's behaviour)."""

    def __init__(self, accept: bool):
        self.accept = accept

    def invoke(self, call):  # pragma: no cover - no Tasks in this definition
        raise AssertionError("no task expected")

    def wait_until(self, deadline: float) -> bool:
        return self.accept


def test_engine_events_map_one_to_one_and_a_resumed_run_replays_without_duplicates(execution) -> None:
    program = compile_definition(WAITING_CHAIN)
    clock = FakeClock()

    first = EngineExecution(
        program, {}, name="run", journal=DatabaseJournal(execution.pk), clock=clock, dispatcher=DeclineTimers(False)
    )
    suspended = first.run()
    assert suspended.status == "SUSPENDED"
    stored = history_events(execution_id=execution.pk)
    assert stored == suspended.events  # row for row, field for field
    assert stored[-1].type == "WaitStateEntered"

    clock.advance(3600)
    resumed = EngineExecution(
        program, {}, name="run", journal=DatabaseJournal(execution.pk), clock=clock, dispatcher=DeclineTimers(True)
    )
    result = resumed.run()

    assert (result.status, result.output) == ("SUCCEEDED", {"done": 1})
    stored = history_events(execution_id=execution.pk)
    assert stored == result.events
    assert [e.id for e in stored] == list(range(1, len(stored) + 1))
    assert [e.type for e in stored].count("ExecutionStarted") == 1
    assert stored[-1].type == "ExecutionSucceeded"


def test_large_groups_and_awkward_text_round_trip(execution) -> None:
    awkward = {"text": 'quote " backslash \\ braces {a,b} comma , NULL null \u2028 \U0001f600', "n": None}
    group = [
        Event(i, i - 1, 1_700_000_000.0 + i / 7, "TaskSucceeded" if i % 3 else "MapIterationStarted",
              None if i % 5 == 0 else {"output": awkward, "index": i})
        for i in range(1, 401)
    ]
    history_append(execution_id=execution.pk, events=group)
    assert history_events(execution_id=execution.pk) == group


def test_bench_history_command_measures_and_leaves_nothing_behind(db, capsys) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from backend.executions.models import Execution
    from backend.workflows.models import WorkflowTemplate

    call_command("bench_history", "--events", "30", "--groups", "1,7")

    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == ["groups of    1", "groups of    7"]
    assert not Execution.objects.exists() and not HistoryEvent.objects.exists()
    assert not WorkflowTemplate.objects.exists() and not get_user_model().objects.exists()


def test_child_executions_of_a_distributed_map_are_journaled_under_their_own_scope(execution) -> None:
    from backend.engine.resources import LAMBDA_ARN, ResourceRegistry, TaskOutcome

    calls: list[object] = []

    def registry() -> ResourceRegistry:
        def invoke(call):
            calls.append(call.payload)
            return TaskOutcome.succeeded({"seen": call.payload})

        reg = ResourceRegistry()
        reg.register_kind(LAMBDA_ARN, invoke)
        return reg

    definition = {"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True, "MaxConcurrency": 2,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "T",
            "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f", "End": True}},
        },
    }}}
    program = compile_definition(definition)
    result = EngineExecution(program, [1, 2], journal=DatabaseJournal(execution.pk), registry=registry(),
                             clock=FakeClock()).run()
    assert result.output == [{"seen": 1}, {"seen": 2}]
    assert history_events(execution_id=execution.pk) == result.events

    scopes = sorted(set(HistoryEvent.objects.filter(execution=execution).values_list("scope", flat=True)))
    assert scopes[0] == "" and len(scopes) == 3
    for scope in scopes[1:]:
        child = history_events(execution_id=execution.pk, scope=scope)
        assert [e.id for e in child] == list(range(1, len(child) + 1))
        assert (child[0].type, child[-1].type) == ("ExecutionStarted", "ExecutionSucceeded")

    # Replaying the stored parent and child histories calls nothing and records nothing.
    rows = HistoryEvent.objects.count()
    calls.clear()
    replayed = EngineExecution(program, None, journal=DatabaseJournal(execution.pk), registry=registry(),
                               clock=FakeClock()).run()
    assert replayed.output == result.output and calls == []
    assert HistoryEvent.objects.count() == rows

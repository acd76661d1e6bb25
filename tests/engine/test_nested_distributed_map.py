"""Distributed Maps nested in Distributed Map iterations: every child execution journaled apart.

A child execution counts its own event ids from 1, so an inner Map's
``StateEntered`` id is the same in every outer iteration; the child journals
must still be distinct (scope paths built from the parent's scope), or the
second outer iteration replays the first one's recorded Task results.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from backend.engine.clock import FakeClock
from backend.engine.execution import Execution
from backend.engine.journal import Event, MemoryJournal
from backend.engine.program import compile_definition
from backend.engine.resources import LAMBDA_ARN, LAMBDA_INVOKE, ResourceRegistry, TaskCall, TaskOutcome
from backend.engine.sqlite_journal import SqliteJournal
from tests.engine.support import lambda_arn

DISTRIBUTED = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}

NESTED = {"StartAt": "Outer", "States": {"Outer": {
    "Type": "Map", "ItemsPath": "$.groups", "MaxConcurrency": 2, "End": True,
    "ItemProcessor": {"ProcessorConfig": DISTRIBUTED, "StartAt": "Inner", "States": {"Inner": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "End": True,
        "ItemSelector": {"group.$": "$.group", "n.$": "$$.Map.Item.Value"},
        "ItemProcessor": {"ProcessorConfig": DISTRIBUTED, "StartAt": "Tag", "States": {
            "Tag": {"Type": "Task", "Resource": lambda_arn("tag"), "End": True}}}}}}}}}

INPUT = {"groups": [{"group": "a", "items": [1, 2]}, {"group": "b", "items": [3, 4]}]}
EXPECTED = [["a1", "a2"], ["b3", "b4"]]
COMPLETIONS = ("LambdaFunctionSucceeded", "LambdaFunctionFailed", "LambdaFunctionTimedOut")


class _Tagger:
    """The inner Task: an iteration-specific result; remembers every call."""

    def __init__(self) -> None:
        self.calls: list[TaskCall] = []

    def __call__(self, call: TaskCall) -> TaskOutcome:
        self.calls.append(call)
        return TaskOutcome.succeeded(f"{call.payload['group']}{call.payload['n']}")

    def registry(self) -> ResourceRegistry:
        registry = ResourceRegistry()
        registry.register_kind(LAMBDA_ARN, self)
        return registry


class _LoggingJournal(MemoryJournal):
    """A MemoryJournal whose children share one log of appends, in the order they happened."""

    def __init__(self, log: list[tuple[str, Event]] | None = None, scope: str = ""):
        super().__init__()
        self.log: list[tuple[str, Event]] = log if log is not None else []
        self.scope = scope

    def child(self, key: str) -> MemoryJournal:
        if key not in self.children:
            self.children[key] = _LoggingJournal(self.log, key)
        return self.children[key]

    def append(self, event: Event) -> None:
        super().append(event)
        self.log.append((self.scope, event))


def _run(journal: Any, tagger: _Tagger, input_value: Any = None, now: float = 1000.0):
    program = compile_definition(NESTED)
    return Execution(program, input_value, name="nested", journal=journal, registry=tagger.registry(),
                     clock=FakeClock(now)).run()


def _by_scope(log: list[tuple[str, Event]]) -> dict[str, list[Event]]:
    scopes: dict[str, list[Event]] = {}
    for scope, event in log:
        scopes.setdefault(scope, []).append(event)
    return scopes


def _shape(events: list[Event]) -> list[tuple]:
    return [(e.id, e.previous_event_id, e.type, e.details) for e in events]


def _full_run() -> tuple[Any, list[tuple[str, Event]], _Tagger]:
    journal = _LoggingJournal()
    tagger = _Tagger()
    result = _run(journal, tagger, INPUT)
    return result, journal.log, tagger


def test_nested_distributed_maps_give_each_child_execution_its_own_journal():
    result, log, tagger = _full_run()
    assert (result.status, result.output) == ("SUCCEEDED", EXPECTED)
    assert sorted(call.payload["n"] for call in tagger.calls) == [1, 2, 3, 4]
    scopes = _by_scope(log)
    # The execution, two outer iterations, four inner ones; inner scopes live under their outer one.
    assert len(scopes) == 7
    outer = sorted(s for s in scopes if s and s.count("/") == 2)
    inner = sorted(s for s in scopes if s.count("/") == 5)
    assert len(outer) == 2 and len(inner) == 4
    assert all(any(s.startswith(o + "/Inner/") for s in inner) for o in outer)
    # Attempt keys and (were they callbacks) task tokens must not collide across child executions.
    assert len({call.attempt_key for call in tagger.calls}) == 4


def _memory_prefix(log: list[tuple[str, Event]], stop: int) -> MemoryJournal:
    journal = MemoryJournal()
    for scope, event in log[:stop]:
        (journal.child(scope) if scope else journal).append(event)
    return journal


def _unrecorded_calls(log: list[tuple[str, Event]], stop: int) -> int:
    return sum(1 for _, event in log[stop:] if event.type in COMPLETIONS)


def _stops() -> list[int]:
    _, log, _ = _full_run()
    return list(range(1, len(log)))


@pytest.mark.parametrize("stop", _stops())
def test_resume_after_any_event_with_a_memory_journal(stop):
    full, log, _ = _full_run()
    journal = _memory_prefix(log, stop)
    tagger = _Tagger()
    resumed = _run(journal, tagger, now=log[stop - 1][1].timestamp)
    assert (resumed.status, resumed.output) == ("SUCCEEDED", EXPECTED)
    recorded = _by_scope(log)
    assert _shape(journal.events) == _shape(recorded[""])
    assert {key: _shape(child.events) for key, child in journal.children.items()} == {
        scope: _shape(events) for scope, events in recorded.items() if scope}
    assert len(tagger.calls) == _unrecorded_calls(log, stop)


def _sqlite_events(db: sqlite3.Connection, scope: str) -> list[Event]:
    top = SqliteJournal(db, "nested")
    return (top.child(scope) if scope else top).load()


def test_sqlite_journal_keeps_nested_child_executions_apart():
    db = SqliteJournal.connect(":memory:")
    tagger = _Tagger()
    result = _run(SqliteJournal(db, "nested"), tagger, INPUT)
    assert (result.status, result.output) == ("SUCCEEDED", EXPECTED)
    assert len(tagger.calls) == 4
    _, log, _ = _full_run()
    for scope, events in _by_scope(log).items():
        assert _shape(_sqlite_events(db, scope)) == _shape(events)

    # A replay of the complete database journal calls nothing and writes nothing.
    rows = db.execute("SELECT count(*) FROM journal_group").fetchone()
    again = _Tagger()
    assert _run(SqliteJournal(db, "nested"), again).output == EXPECTED and again.calls == []
    assert db.execute("SELECT count(*) FROM journal_group").fetchone() == rows


@pytest.mark.parametrize("stop", _stops())
def test_resume_after_any_event_with_the_sqlite_journal(stop):
    _, log, _ = _full_run()
    db = SqliteJournal.connect(":memory:")
    top = SqliteJournal(db, "nested")
    writers: dict[str, SqliteJournal] = {}
    for scope, event in log[:stop]:
        writer = writers.setdefault(scope, top.child(scope) if scope else top)
        writer.append(event)
        writer.commit()
    tagger = _Tagger()
    resumed = _run(SqliteJournal(db, "nested"), tagger, now=log[stop - 1][1].timestamp)
    assert (resumed.status, resumed.output) == ("SUCCEEDED", EXPECTED)
    for scope, events in _by_scope(log).items():
        assert _shape(_sqlite_events(db, scope)) == _shape(events)
    assert len(tagger.calls) == _unrecorded_calls(log, stop)


def test_a_suspended_callback_inside_a_child_execution_names_its_scope():
    definition = {"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True, "ItemProcessor": {"ProcessorConfig": DISTRIBUTED, "StartAt": "Ask", "States": {
            "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "End": True,
                    "Parameters": {"FunctionName": "ask", "Payload": {"token.$": "$$.Task.Token"}}}}}}}}
    program = compile_definition(definition)
    journal = MemoryJournal()
    calls: list[TaskCall] = []

    def submit(call: TaskCall) -> TaskOutcome:  # hands the token out; the answer comes later
        calls.append(call)
        return TaskOutcome.succeeded(None)

    registry = ResourceRegistry()
    registry.register_kind(LAMBDA_INVOKE, submit)
    first = Execution(program, ["x", "y"], name="cb", journal=journal, registry=registry, clock=FakeClock()).run()
    assert first.status == "SUSPENDED" and len(first.pending) == 2
    assert {p.scope for p in first.pending} == set(journal.children)
    assert len({call.task_token for call in calls}) == 2

    # The runtime journals each completion in the child journal the Pending names.
    for answer, pending in zip(("X", "Y"), first.pending):
        child = journal.child(pending.scope)
        child.append(pending.completion_event(TaskOutcome.succeeded(answer), child.events[-1].id + 1, 5.0))
    resumed = Execution(program, None, name="cb", journal=journal, registry=registry, clock=FakeClock()).run()
    assert (resumed.status, resumed.output) == ("SUCCEEDED", ["X", "Y"])
    assert len(calls) == 2


def test_a_retried_distributed_map_runs_fresh_child_executions():
    attempts: list[Any] = []

    def flaky(call: TaskCall) -> TaskOutcome:
        attempts.append(call.payload)
        return TaskOutcome.failed("Flaky", "first attempt") if len(attempts) == 1 else TaskOutcome.succeeded(
            {"ok": call.payload})

    registry = ResourceRegistry()
    registry.register_kind(LAMBDA_ARN, flaky)
    definition = {"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True, "Retry": [{"ErrorEquals": ["Flaky"], "MaxAttempts": 1, "IntervalSeconds": 1}],
        "ItemProcessor": {"ProcessorConfig": DISTRIBUTED, "StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": lambda_arn("f"), "End": True}}}}}}
    program = compile_definition(definition)
    journal = MemoryJournal()
    result = Execution(program, [1], journal=journal, registry=registry, clock=FakeClock()).run()
    assert (result.status, result.output) == ("SUCCEEDED", [{"ok": 1}])
    assert len(attempts) == 2 and len(journal.children) == 2
    first, second = journal.children.values()
    assert (first.events[-1].type, second.events[-1].type) == ("ExecutionFailed", "ExecutionSucceeded")

    # Replaying both attempts' journals calls nothing.
    attempts.clear()
    replay = MemoryJournal(journal.events)
    replay.children = {key: MemoryJournal(child.events) for key, child in journal.children.items()}
    again = Execution(program, None, journal=replay, registry=registry, clock=FakeClock()).run()
    assert again.output == [{"ok": 1}] and attempts == []

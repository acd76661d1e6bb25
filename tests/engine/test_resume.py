"""Crash/resume by replay: stop after any event, resume from the journal, get the same run.

For every prefix of a recorded journal, a new Execution over that prefix must
finish with the same output and exactly the same history (ids, previous ids,
types, details), and must invoke only the Tasks whose outcome was not recorded.
"""

from __future__ import annotations

import pytest

from backend.engine.clock import FakeClock
from backend.engine.execution import Execution
from backend.engine.journal import MemoryJournal
from backend.engine.program import compile_definition
from backend.engine.resources import InlineDispatcher, TaskOutcome
from tests.engine.support import FakeFunctions, lambda_arn

COMPLETIONS = ("Succeeded", "Failed", "TimedOut")


def _functions() -> FakeFunctions:
    def flaky(event):
        # Deterministic, like the outside world seen by a replay: fails its first two attempts.
        if event["retry"] < 2:
            return TaskOutcome.failed("Flaky", f"attempt {event['retry']}")
        return {"flaky": event["n"]}

    return FakeFunctions({"add": lambda e: {"n": e["n"] + 1}, "flaky": flaky, "echo": lambda e: e})


TASKS_WAITS_RETRY = {"StartAt": "Add", "States": {
    "Add": {"Type": "Task", "Resource": lambda_arn("add"), "Next": "Wait"},
    "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Flaky"},
    "Flaky": {"Type": "Task", "Resource": lambda_arn("flaky"), "ResultPath": "$.f", "Next": "Check",
              "Parameters": {"n.$": "$.n", "retry.$": "$$.State.RetryCount"},
              "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 2, "MaxAttempts": 3}]},
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 2, "Next": "Done"}],
              "Default": "Add"},
    "Done": {"Type": "Succeed"}}}

PARALLEL = {"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": True, "Branches": [
    {"StartAt": "W1", "States": {"W1": {"Type": "Wait", "Seconds": 3, "Next": "T1"},
                                 "T1": {"Type": "Task", "Resource": lambda_arn("add"), "End": True}}},
    {"StartAt": "T2", "States": {"T2": {"Type": "Task", "Resource": lambda_arn("add"), "Next": "W2"},
                                 "W2": {"Type": "Wait", "Seconds": 1, "End": True}}},
    {"StartAt": "P3", "States": {"P3": {"Type": "Pass", "End": True}}},
]}}}

MAP = {"StartAt": "M", "States": {"M": {
    "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "End": True,
    "ItemSelector": {"n.$": "$$.Map.Item.Value"},
    "ItemProcessor": {"StartAt": "W", "States": {
        "W": {"Type": "Wait", "SecondsPath": "$.n", "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "add", "Payload.$": "$"}, "End": True}}}}}}

WORKFLOWS = {
    "tasks_waits_retry": (TASKS_WAITS_RETRY, {"n": 0}),
    "parallel": (PARALLEL, {"n": 10}),
    "map": (MAP, {"items": [3, 1, 2]}),
}


def _run(definition: dict, input_value, journal: MemoryJournal, functions: FakeFunctions):
    program = compile_definition(definition)
    # A resumed process starts at the time of the crash (the last recorded event), never earlier.
    now = journal.events[-1].timestamp if journal.events else 1000.0
    return Execution(program, input_value, name="resume-test", journal=journal, registry=functions.registry(),
                     clock=FakeClock(now)).run()


def _shape(events):
    return [(e.id, e.previous_event_id, e.type, e.details) for e in events]


def _cases():
    for name, (definition, input_value) in WORKFLOWS.items():
        full_journal = MemoryJournal()
        full = _run(definition, input_value, full_journal, _functions())
        assert full.status == "SUCCEEDED", (name, full.error, full.cause)
        for stop in range(1, len(full_journal.events)):
            yield pytest.param(name, stop, id=f"{name}-stop{stop}")


@pytest.mark.parametrize("name, stop", list(_cases()))
def test_resume_after_any_event_gives_the_same_run(name, stop):
    definition, input_value = WORKFLOWS[name]
    full_journal = MemoryJournal()
    full = _run(definition, input_value, full_journal, _functions())
    recorded = full_journal.events

    journal = MemoryJournal(recorded[:stop])
    functions = _functions()
    resumed = _run(definition, None, journal, functions)  # the input comes from the journal

    assert (resumed.status, resumed.output) == (full.status, full.output)
    assert _shape(journal.events) == _shape(recorded)
    # Only attempts whose outcome was not yet recorded run again.
    unrecorded = [e for e in recorded[stop:] if e.type.startswith(("Task", "LambdaFunction"))
                  and e.type.endswith(COMPLETIONS)]
    assert len(functions.calls) == len(unrecorded)


def test_replay_of_a_complete_journal_invokes_nothing_and_appends_nothing():
    journal = MemoryJournal()
    full = _run(PARALLEL, {"n": 1}, journal, _functions())
    functions = _functions()
    again = _run(PARALLEL, None, MemoryJournal(journal.events), functions)
    assert again.output == full.output and functions.calls == []


class _NoSleepDispatcher(InlineDispatcher):
    """A runtime that never holds a thread for a timer: it suspends instead."""

    def wait_until(self, deadline: float) -> bool:
        return self.clock.now() >= deadline


def test_suspend_on_a_long_wait_then_resume_when_due():
    definition = {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": 1, "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 31_536_000, "Next": "B"},
        "B": {"Type": "Pass", "End": True}}}
    program = compile_definition(definition)
    journal = MemoryJournal()
    clock = FakeClock(0.0)
    first = Execution(program, {}, name="x", journal=journal, clock=clock,
                      dispatcher=_NoSleepDispatcher(FakeFunctions().registry(), clock)).run()
    assert first.status == "SUSPENDED"
    assert [p.deadline for p in first.pending] == [pytest.approx(journal.events[-1].timestamp + 31_536_000)]
    clock.advance(31_536_000)
    second = Execution(program, None, name="x", journal=journal, clock=clock,
                       dispatcher=_NoSleepDispatcher(FakeFunctions().registry(), clock)).run()
    assert (second.status, second.output) == ("SUCCEEDED", 1)
    types = [e.type for e in journal.events]
    assert types.count("WaitStateEntered") == 1 and types[-1] == "ExecutionSucceeded"


def test_callback_task_suspends_and_resumes_from_a_journaled_completion():
    definition = {"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "End": True,
        "TimeoutSeconds": 60,
        "Parameters": {"FunctionName": "echo", "Payload": {"token.$": "$$.Task.Token"}}}}}
    program = compile_definition(definition)
    journal = MemoryJournal()
    functions = _functions()
    clock = FakeClock()
    # Like the Django runtime's dispatcher: a waiting callback suspends the execution.
    suspending = InlineDispatcher(functions.registry(), clock, wait_for_callbacks=False)
    first = Execution(program, {}, name="cb", journal=journal, dispatcher=suspending, clock=clock).run()
    assert first.status == "SUSPENDED"
    (pending,) = first.pending
    assert functions.calls == [("echo", {"token": pending.call.task_token})]
    assert [e.type for e in journal.events][-1] == "TaskSubmitted"
    assert pending.timeout_at == journal.events[-1].timestamp + 60  # the runtime's due-timer scan uses it

    # What the runtime does on SendTaskSuccess: journal the completion, then resume.
    journal.append(pending.completion_event(TaskOutcome.succeeded({"answer": 42}),
                                            journal.events[-1].id + 1, 1.0))
    resumed = Execution(program, None, name="cb", journal=journal, dispatcher=suspending, clock=clock).run()
    assert (resumed.status, resumed.output) == ("SUCCEEDED", {"answer": 42})
    assert len(functions.calls) == 1


class _WorkerDispatcher(InlineDispatcher):
    """Hands every Task to an (imaginary) worker pool: the execution suspends meanwhile.

    After a resume, a call whose outcome is not journaled yet is offered again with the
    same ``attempt_key``; a real dispatcher uses the key to avoid starting it twice.
    """

    def invoke(self, call):
        from backend.engine.resources import PENDING

        self.dispatched.append(call.attempt_key)
        return PENDING

    def __init__(self, registry, clock):
        super().__init__(registry, clock)
        self.dispatched: list[str] = []


def test_several_blocked_branches_suspend_together_and_resume_in_completion_order():
    definition = {"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": lambda_arn("add"), "End": True}}},
        {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": lambda_arn("add"), "End": True}}},
    ]}}}
    program = compile_definition(definition)
    journal = MemoryJournal()
    clock = FakeClock()
    dispatcher = _WorkerDispatcher(FakeFunctions().registry(), clock)
    first = Execution(program, {"n": 1}, name="w", journal=journal, clock=clock, dispatcher=dispatcher).run()
    assert first.status == "SUSPENDED" and len(first.pending) == 2 and len(dispatcher.dispatched) == 2
    assert all(p.timeout_at is None for p in first.pending)  # no TimeoutSeconds: no deadline to watch

    # Branch B's worker finishes first, then A's: the runtime journals each completion.
    pending_a, pending_b = first.pending
    journal.append(pending_b.completion_event(TaskOutcome.succeeded("b"), journal.events[-1].id + 1, 2.0))
    second = Execution(program, None, name="w", journal=journal, clock=clock, dispatcher=dispatcher).run()
    assert second.status == "SUSPENDED" and len(second.pending) == 1
    # A's call is offered again with the same idempotency key: the runtime sees it is still with its worker.
    assert dispatcher.dispatched[2] == dispatcher.dispatched[0] and len(set(dispatcher.dispatched)) == 2
    journal.append(second.pending[0].completion_event(TaskOutcome.succeeded("a"), journal.events[-1].id + 1, 3.0))
    third = Execution(program, None, name="w", journal=journal, clock=clock, dispatcher=dispatcher).run()
    assert (third.status, third.output) == ("SUCCEEDED", ["a", "b"])
    ids = [e.id for e in journal.events]
    assert ids == list(range(1, len(ids) + 1))

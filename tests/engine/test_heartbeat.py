"""``.waitForTaskToken`` Tasks run by the in-process dispatcher: callbacks, heartbeats, timeouts.

The submitting function receives the task token; what "the outside world" then
sends is scripted on a ``FakeClock`` (``call_at``), so every wait is instant and
deterministic. AWS records a lapsed heartbeat as ``TaskTimedOut`` with error
``States.Timeout`` and no cause, then ``ExecutionFailed`` with the same error.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest

from backend.engine.callbacks import TaskTokenClosed
from backend.engine.clock import FakeClock
from backend.engine.execution import Execution
from backend.engine.journal import MemoryJournal
from backend.engine.program import compile_definition
from backend.engine.resources import InlineDispatcher
from tests.engine.support import FakeFunctions

START = 1_000.0


def callback_task(**fields: Any) -> dict:
    return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "worker", "Payload": {"token.$": "$$.Task.Token"}}, **fields}


def machine(**fields: Any) -> dict:
    return {"StartAt": "Ask", "States": {"Ask": callback_task(End=True, **fields)}}


class World:
    """A clock, an inline dispatcher, and a worker that scripts what happens after it gets a token."""

    def __init__(self, script: Callable[[World, str, float], None] = lambda world, token, at: None):
        self.clock = FakeClock(START)
        self.tokens: list[str] = []

        def worker(payload: dict) -> dict:
            self.tokens.append(payload["token"])
            script(self, payload["token"], self.clock.now())
            return {"queued": True}

        self.functions = FakeFunctions({"worker": worker})
        self.dispatcher = InlineDispatcher(self.functions.registry(), self.clock)
        self.callbacks = self.dispatcher.callbacks

    def run(self, definition: dict, journal: MemoryJournal | None = None, input_value: Any = None):
        program = compile_definition(definition)
        return Execution(program, {} if input_value is None else input_value, name="hb", journal=journal,
                         dispatcher=self.dispatcher, clock=self.clock).run()


def _submitted_at(result) -> float:
    return next(e.timestamp for e in result.events if e.type == "TaskSubmitted")


def test_no_heartbeat_within_heartbeat_seconds_times_the_task_out():
    world = World()
    result = world.run(machine(HeartbeatSeconds=5))
    assert (result.status, result.error, result.cause) == ("FAILED", "States.Timeout", None)
    types = [e.type for e in result.events]
    assert types[-4:] == ["TaskStarted", "TaskSubmitted", "TaskTimedOut", "ExecutionFailed"]
    timed_out = result.events[-2]
    assert timed_out.details == {"resourceType": "lambda", "resource": "invoke.waitForTaskToken",
                                 "error": "States.Timeout"}
    assert timed_out.timestamp == _submitted_at(result) + 5
    assert result.events[-1].details == {"error": "States.Timeout"}


def test_heartbeats_in_time_keep_the_task_alive_until_its_callback():
    def script(world: World, token: str, at: float) -> None:
        for beat in (4, 8, 12):
            world.clock.call_at(at + beat, lambda: world.callbacks.send_task_heartbeat(token))
        world.clock.call_at(at + 15, lambda: world.callbacks.send_task_success(token, {"done": 1}))

    world = World(script)
    result = world.run(machine(HeartbeatSeconds=5))
    assert (result.status, result.output) == ("SUCCEEDED", {"done": 1})
    succeeded = next(e for e in result.events if e.type == "TaskSucceeded")
    assert succeeded.timestamp == _submitted_at(result) + 15


def test_heartbeats_that_stop_time_the_task_out_heartbeat_seconds_after_the_last_one():
    def script(world: World, token: str, at: float) -> None:
        world.clock.call_at(at + 3, lambda: world.callbacks.send_task_heartbeat(token))
        world.clock.call_at(at + 30, lambda: world.callbacks.send_task_success(token, "too late"))

    world = World(script)
    result = world.run(machine(HeartbeatSeconds=5))
    assert result.error == "States.Timeout"
    assert result.events[-2].timestamp == _submitted_at(result) + 3 + 5


def test_timeout_seconds_bounds_the_wait_whatever_the_heartbeats():
    def script(world: World, token: str, at: float) -> None:
        for beat in range(2, 40, 2):
            world.clock.call_at(at + beat, lambda: world.callbacks.send_task_heartbeat(token))

    world = World(script)
    result = world.run(machine(HeartbeatSeconds=5, TimeoutSeconds=11))
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert result.events[-2].type == "TaskTimedOut"
    assert result.events[-2].timestamp == _submitted_at(result) + 11


def test_a_callback_failure_fails_the_task_with_its_error_and_cause():
    def script(world: World, token: str, at: float) -> None:
        world.clock.call_at(at + 1, lambda: world.callbacks.send_task_failure(token, "Rejected", "no stock"))

    world = World(script)
    result = world.run(machine(HeartbeatSeconds=5))
    assert (result.status, result.error, result.cause) == ("FAILED", "Rejected", "no stock")
    assert result.events[-2].type == "TaskFailed"


def test_an_answer_sent_while_submitting_needs_no_deadline():
    world = World(lambda world, token, at: world.callbacks.send_task_success(token, "at once"))
    result = world.run(machine())
    assert (result.status, result.output) == ("SUCCEEDED", "at once")


def test_without_any_deadline_or_answer_the_execution_suspends():
    world = World()
    result = world.run(machine())
    assert result.status == "SUSPENDED" and len(result.pending) == 1


def test_a_heartbeat_timeout_is_caught_and_retried_with_a_new_token():
    definition = machine(HeartbeatSeconds=5, ResultPath="$.answer",
                         Retry=[{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 1, "IntervalSeconds": 1}],
                         Catch=[{"ErrorEquals": ["States.Timeout"], "Next": "Gave up"}])
    definition["States"]["Ask"].pop("End")
    definition["States"]["Ask"]["Next"] = "Done"
    definition["States"]["Done"] = {"Type": "Succeed"}
    definition["States"]["Gave up"] = {"Type": "Pass", "Result": "gave up", "End": True}
    world = World()
    result = world.run(definition)
    assert (result.status, result.output) == ("SUCCEEDED", "gave up")
    assert [e.type for e in result.events].count("TaskTimedOut") == 2
    assert len(world.tokens) == 2 and world.tokens[0] != world.tokens[1]


def test_a_heartbeat_timeout_inside_a_longer_execution_timeout_is_the_tasks_own():
    world = World()
    result = world.run(dict(machine(HeartbeatSeconds=5), TimeoutSeconds=100))
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert [e.type for e in result.events][-2:] == ["TaskTimedOut", "ExecutionFailed"]


def test_an_execution_timeout_before_the_heartbeat_times_the_execution_out():
    world = World()
    result = world.run(dict(machine(HeartbeatSeconds=50), TimeoutSeconds=10))
    assert result.status == "TIMED_OUT"
    assert result.events[-1].type == "ExecutionTimedOut"


def test_callbacks_for_a_task_that_already_ended_are_rejected():
    world = World()
    world.run(machine(HeartbeatSeconds=5))
    (token,) = world.tokens
    with pytest.raises(TaskTokenClosed, match="Provided task does not exist anymore"):
        world.callbacks.send_task_heartbeat(token)
    with pytest.raises(TaskTokenClosed):
        world.callbacks.send_task_success(token, 1)


def test_a_resumed_run_counts_the_heartbeat_from_the_recorded_submission():
    first = World()
    first.dispatcher.wait_for_callbacks = False  # the first process stops while the task waits
    journal = MemoryJournal()
    assert first.run(machine(HeartbeatSeconds=5), journal, {"n": 1}).status == "SUSPENDED"
    submitted = journal.events[-1]
    assert submitted.type == "TaskSubmitted"

    later = World()
    later.clock.advance(submitted.timestamp - START + 60)  # the process comes back a minute later
    result = later.run(machine(HeartbeatSeconds=5), journal)
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert later.functions.calls == []  # the submission was recorded: not sent again
    assert journal.events[-2].type == "TaskTimedOut"


def test_a_callback_from_another_thread_wakes_a_real_clock_wait_at_once():
    import threading
    import time

    from backend.engine.clock import SystemClock

    clock = SystemClock()
    dispatcher: InlineDispatcher

    def worker(payload: dict) -> dict:
        def answer() -> None:
            time.sleep(0.05)
            dispatcher.callbacks.send_task_heartbeat(payload["token"])
            dispatcher.callbacks.send_task_success(payload["token"], "from a thread")

        threading.Thread(target=answer, daemon=True).start()
        return {}

    dispatcher = InlineDispatcher(FakeFunctions({"worker": worker}).registry(), clock)
    started = time.monotonic()
    result = Execution(compile_definition(machine(HeartbeatSeconds=30)), {}, dispatcher=dispatcher,
                       clock=clock).run()
    assert (result.status, result.output) == ("SUCCEEDED", "from a thread")
    assert time.monotonic() - started < 5  # woken by the callback, not by the 30 s heartbeat deadline


def _catching(error_name: str, **fields: Any) -> dict:
    definition = machine(Catch=[{"ErrorEquals": [error_name], "Next": "Caught"}], **fields)
    definition["States"]["Caught"] = {"Type": "Pass", "End": True}
    return definition


def test_states_heartbeat_timeout_names_a_lapsed_heartbeat_only():
    caught = World().run(_catching("States.HeartbeatTimeout", HeartbeatSeconds=5))
    assert (caught.status, caught.output) == ("SUCCEEDED", {"Error": "States.Timeout"})

    def beat(world: World, token: str, at: float) -> None:
        for t in range(2, 20, 2):
            world.clock.call_at(at + t, lambda: world.callbacks.send_task_heartbeat(token))

    not_a_heartbeat = World(beat).run(_catching("States.HeartbeatTimeout", HeartbeatSeconds=5, TimeoutSeconds=9))
    assert (not_a_heartbeat.status, not_a_heartbeat.error) == ("FAILED", "States.Timeout")

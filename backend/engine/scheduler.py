"""Cooperative scheduling of an execution's threads of control.

The top level, every Parallel branch and every Map iteration that may block
runs as a ``Fiber`` (a generator). A fiber yields a request at a blocking
point only:

* ``Invoke(call)``  a Task attempt; answered with a ``TaskOutcome`` or, when
  replaying, with the recorded completion ``Event``;
* ``Sleep(deadline)``  a timer (Wait, retry back-off);
* ``AwaitChild()``  a Parallel/Map waits for one of its child fibers to end;
  answered with that ``Fiber``.

Live, Task calls go to the dispatcher at once (after committing the journal);
timers fire in deadline order when nothing else can run. Replaying, a parked
fiber resumes exactly when the next recorded event is its own (its
``previousEventId`` is the fiber's last event), which reproduces the recorded
interleaving. If the dispatcher answers ``PENDING`` or declines to wait for a
timer, the run stops with status ``SUSPENDED``; a later run replays the journal
(now holding the completion) and carries on. No threads are held meanwhile.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Generator

from .errors import StatesError
from .journal import Event
from .resources import PENDING, TaskCall


# States whose in-flight abort AWS records, by their entered-event type.
_ABORTABLE = {f"{kind}StateEntered": f"{kind}StateAborted" for kind in ("Task", "Wait", "Map", "Parallel")}


class Sleep:
    __slots__ = ("deadline",)

    def __init__(self, deadline: float):
        self.deadline = deadline

    def __repr__(self) -> str:
        return f"Sleep({self.deadline})"


class Invoke:
    __slots__ = ("call", "event_types", "event_base")

    def __init__(self, call: TaskCall, event_types: tuple[str, str, str] = ("TaskSucceeded", "TaskFailed",
                                                                           "TaskTimedOut"),
                 event_base: dict[str, Any] | None = None):
        self.call = call
        self.event_types = event_types    # completion events: succeeded, failed, timed out
        self.event_base = event_base or {}  # details every completion event carries

    def __repr__(self) -> str:
        return f"Invoke({self.call.spec.text})"


class AwaitChild:
    __slots__ = ()


AWAIT_CHILD = AwaitChild()


class Fiber:
    __slots__ = ("gen", "frame", "parent", "finished", "waiting", "alive", "result", "error", "tag",
                 "request", "done")

    def __init__(self, gen: Generator, frame: Any, parent: Fiber | None, tag: Any = None):
        self.gen = gen
        self.frame = frame
        self.parent = parent
        self.finished: deque[Fiber] = deque()  # children that ended, not yet collected
        self.waiting = False                   # blocked in AwaitChild
        self.alive = True
        self.done = False
        self.result: Any = None
        self.error: StatesError | None = None
        self.tag = tag                         # owner's bookkeeping (branch / item index)
        self.request: Any = None               # the Sleep/Invoke it is parked on


class Pending:
    """Something a suspended execution waits for: a timer or a Task outcome.

    ``after_event_id`` is the last event the waiting thread of control wrote: the
    ``previousEventId`` of the completion event that will wake it. ``scope`` says which
    history that thread writes: "" for the execution's own, else a child execution's
    (a Distributed Map iteration) scope path, the key its journal got from ``Journal.child``;
    the completion event belongs in that journal.
    """

    __slots__ = ("request", "after_event_id", "since", "scope")

    def __init__(self, request: Sleep | Invoke, after_event_id: int, since: float, scope: str = ""):
        self.request = request
        self.after_event_id = after_event_id
        self.since = since  # timestamp of that last event (when the Task started waiting)
        self.scope = scope

    @property
    def timeout_at(self) -> float | None:
        """When a pending Task times out (its ``TimeoutSeconds`` from TaskStarted), if it has a limit.

        The runtime's due-timer scan journals ``completion_event(TaskOutcome.timed_out())`` then.
        """
        call = self.call
        if call is None or call.timeout_seconds is None:
            return None
        return self.since + call.timeout_seconds

    @property
    def deadline(self) -> float | None:
        return self.request.deadline if isinstance(self.request, Sleep) else None

    @property
    def call(self) -> TaskCall | None:
        return self.request.call if isinstance(self.request, Invoke) else None

    def completion_event(self, outcome: Any, event_id: int, timestamp: float) -> Event:
        """The event a runtime journals when a pending Task finishes (e.g. SendTaskSuccess)."""
        if not isinstance(self.request, Invoke):
            raise TypeError("only Task calls complete through an event")
        succeeded, failed, timed_out = self.request.event_types
        details = dict(self.request.event_base)
        if outcome.status == "SUCCEEDED":
            details["output"] = outcome.output
            kind = succeeded
        else:
            details["error"] = outcome.error
            if outcome.cause is not None:
                details["cause"] = outcome.cause
            kind = timed_out if outcome.status == "TIMED_OUT" else failed
        return Event(event_id, self.after_event_id, timestamp, kind, details)

    def __repr__(self) -> str:
        return f"Pending({self.request!r}, after #{self.after_event_id})"


class Suspended(Exception):
    """Raised out of ``Scheduler.run`` when the execution must wait outside this process."""

    def __init__(self, pending: list[Pending]):
        super().__init__(pending)
        self.pending = pending


class ExecutionTimedOut(Exception):
    """The execution's own ``TimeoutSeconds`` elapsed while it was waiting."""


class Scheduler:
    def __init__(self, execution: Any):
        self.execution = execution
        self.dispatcher = execution.dispatcher
        self.clock = execution.clock
        self.runnable: deque[tuple[Fiber, Any, bool]] = deque()
        self.parked: list[Fiber] = []
        # Task calls met while replaying whose outcome was never recorded: dispatched again
        # (at-least-once delivery) as soon as the replay is over.
        self.undispatched: list[Fiber] = []

    def spawn(self, gen: Generator, frame: Any, parent: Fiber | None, tag: Any = None) -> Fiber:
        fiber = Fiber(gen, frame, parent, tag)
        frame.fiber = fiber
        self.runnable.append((fiber, None, False))
        return fiber

    def abort(self, fiber: Fiber) -> None:
        """Stop a fiber and its descendants (a sibling failed).

        A state caught in flight (Task, Wait, Map, Parallel) gets its ``...StateAborted`` event.
        """
        if not fiber.alive:
            return
        fiber.alive = False
        if fiber in self.parked:
            self.parked.remove(fiber)
        for other in list(self.parked):
            if _descends_from(other, fiber):
                self.abort(other)
        for other, _, _ in list(self.runnable):
            if other is not fiber and _descends_from(other, fiber):
                self.abort(other)
        fiber.gen.close()
        frame = fiber.frame
        if frame.state_type in _ABORTABLE:
            frame.emit(_ABORTABLE[frame.state_type])

    def run(self, root: Fiber) -> Any:
        runnable = self.runnable
        parked = self.parked
        deadline = self.execution.deadline
        while not root.done:
            if parked:
                fiber, event = self._recorded_wake_up()
                if fiber is not None:
                    parked.remove(fiber)
                    request, fiber.request = fiber.request, None
                    runnable.appendleft((fiber, event if isinstance(request, Invoke) else None, False))
            if self.undispatched:
                ready = [f for f in self.undispatched if not f.frame.history.replaying]
                if ready:
                    for fiber in ready:
                        self.undispatched.remove(fiber)
                        if fiber.alive and fiber in parked:
                            parked.remove(fiber)
                            request, fiber.request = fiber.request, None
                            self._invoke(fiber, request)
                    continue
            if runnable:
                fiber, value, throw = runnable.popleft()
                if fiber.alive:
                    self._step(fiber, value, throw)
                continue
            if not parked:
                raise RuntimeError("deadlock: no fiber can run")  # pragma: no cover - engine bug
            self._wait_for_timer(deadline)
        if root.error is not None:
            raise root.error
        return root.result

    def _recorded_wake_up(self) -> tuple[Fiber | None, Event | None]:
        """The parked fiber whose history's next recorded event is its own (replay only)."""
        if not self.execution.replaying():
            return None, None
        for fiber in self.parked:
            frame = fiber.frame
            event = frame.history.next_recorded()
            if event is not None and event.previous_event_id == frame.last_event_id:
                return fiber, event
        return None, None

    def _wait_for_timer(self, deadline: float | None) -> None:
        timers = [f for f in self.parked if isinstance(f.request, Sleep)]
        if not timers:
            self.execution.commit()
            raise Suspended(self._pending())
        # Ties broken by event id, so a replayed run fires timers in the recorded order.
        fiber = min(timers, key=lambda f: (f.request.deadline, f.frame.last_event_id))
        due = fiber.request.deadline
        if deadline is not None and due > deadline:
            self.execution.commit()
            if not self.dispatcher.wait_until(deadline):
                raise Suspended(self._pending())
            raise ExecutionTimedOut()
        if due > self.clock.now():
            self.execution.commit()
            if not self.dispatcher.wait_until(due):
                raise Suspended(self._pending())
        self.parked.remove(fiber)
        fiber.request = None
        self.runnable.append((fiber, None, False))

    def _pending(self) -> list[Pending]:
        return [Pending(f.request, f.frame.last_event_id, f.frame.last_event_time, f.frame.history.scope)
                for f in self.parked]

    def _step(self, fiber: Fiber, value: Any, throw: bool) -> None:
        try:
            request = fiber.gen.throw(value) if throw else fiber.gen.send(value)
        except StopIteration as stop:
            self._finish(fiber, stop.value, None)
            return
        except StatesError as error:
            self._finish(fiber, None, error)
            return
        if request is AWAIT_CHILD:
            if fiber.finished:
                self.runnable.appendleft((fiber, fiber.finished.popleft(), False))
            else:
                fiber.waiting = True
        elif isinstance(request, Invoke):
            self._invoke(fiber, request)
        elif isinstance(request, Sleep):
            fiber.request = request
            self.parked.append(fiber)
        else:  # pragma: no cover - engine bug
            raise RuntimeError(f"unknown scheduler request {request!r}")

    def _invoke(self, fiber: Fiber, request: Invoke) -> None:
        history = fiber.frame.history
        if history.replaying:
            event = history.next_recorded()
            if event is not None and event.previous_event_id == fiber.frame.last_event_id:
                self.runnable.appendleft((fiber, event, False))
            else:
                fiber.request = request
                self.parked.append(fiber)
                self.undispatched.append(fiber)
            return
        self.execution.commit()  # durable before the side effect
        call = request.call
        deadline = self.execution.deadline
        if deadline is not None:
            remaining = max(0.0, deadline - self.clock.now())
            if call.timeout_seconds is None or remaining < call.timeout_seconds:
                call.timeout_seconds = remaining
                call.execution_deadline_bound = True
        outcome = self.dispatcher.invoke(call)
        if outcome is PENDING:
            fiber.request = request
            self.parked.append(fiber)
            return
        if call.execution_deadline_bound and outcome.status == "TIMED_OUT" and not outcome.heartbeat:
            raise ExecutionTimedOut()
        self.runnable.appendleft((fiber, outcome, False))

    def _finish(self, fiber: Fiber, result: Any, error: StatesError | None) -> None:
        fiber.alive = False
        fiber.done = True
        fiber.result = result
        fiber.error = error
        parent = fiber.parent
        if parent is None or not parent.alive:
            return
        if parent.waiting:
            parent.waiting = False
            self.runnable.appendleft((parent, fiber, False))
        else:
            parent.finished.append(fiber)


def _descends_from(fiber: Fiber, ancestor: Fiber) -> bool:
    node = fiber.parent
    while node is not None:
        if node is ancestor:
            return True
        node = node.parent
    return False

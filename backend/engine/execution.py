"""One execution of a compiled program, from ExecutionStarted to its terminal event.

``Execution.run()`` either finishes (SUCCEEDED / FAILED / TIMED_OUT) or stops
with SUSPENDED when it must wait for something outside the process (a task
callback, a timer the dispatcher does not want to sleep on). Running a new
``Execution`` over the same journal replays what was recorded and continues.
A program whose top-level block never blocks runs with plain calls: no
scheduler, no generators.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock, SystemClock, iso8601
from .errors import DATA_LIMIT_EXCEEDED, StatesError
from .frame import Frame, Variables
from .history import DEFAULT_EVENT_LIMIT, History, event_to_aws
from .journal import Event, Journal
from .program import Program, run_gen, run_sync
from .resources import Dispatcher, InlineDispatcher, ResourceRegistry
from .scheduler import ExecutionTimedOut, Scheduler, Suspended

# Step Functions' quota on every state's and the execution's input and output (UTF-8 bytes).
PAYLOAD_LIMIT = 262_144
_encode_output = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode

SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
TIMED_OUT = "TIMED_OUT"
SUSPENDED = "SUSPENDED"

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "111111111111"


@dataclass
class ExecutionResult:
    status: str
    output: Any = None
    error: str | None = None
    cause: str | None = None
    events: list[Event] = field(default_factory=list)
    transitions: int = 0
    pending: list[Any] = field(default_factory=list)  # what a SUSPENDED execution waits for
    output_text: str | None = None  # SUCCEEDED: the output as compact JSON text (made for the size check)

    def history(self) -> list[dict]:
        """GetExecutionHistory-shaped events (payloads as JSON text)."""
        return [event_to_aws(event) for event in self.events]


def _output_text(output: Any) -> str:
    """The execution's output as JSON text, checked against the payload quota: an output over
    256 KiB (UTF-8) fails the execution with States.DataLimitExceeded, as on AWS."""
    text = _encode_output(output)
    if len(text) > PAYLOAD_LIMIT // 4 and len(text.encode("utf-8", "surrogatepass")) > PAYLOAD_LIMIT:
        raise StatesError(DATA_LIMIT_EXCEEDED, "The execution output has a size exceeding the maximum number of "
                                               f"bytes service limit ({PAYLOAD_LIMIT} bytes).")
    return text


class Execution:
    def __init__(
        self,
        program: Program,
        input_value: Any = None,
        *,
        name: str | None = None,
        journal: Journal | None = None,
        registry: ResourceRegistry | None = None,
        dispatcher: Dispatcher | None = None,
        clock: Clock | None = None,
        keep_history: bool = True,
        region: str = DEFAULT_REGION,
        account: str = DEFAULT_ACCOUNT,
        role_arn: str | None = None,
        event_limit: int | None = DEFAULT_EVENT_LIMIT,
        redrive_count: int = 0,
        redrive_points: tuple[tuple[int, int], ...] = (),
    ):
        self.program = program
        self.input = {} if input_value is None else input_value
        self.name = name or str(uuid.uuid4())
        self.clock = clock or SystemClock()
        self.dispatcher = dispatcher or InlineDispatcher(registry or ResourceRegistry(), self.clock)
        self.state_machine_arn = f"arn:aws:states:{region}:{account}:stateMachine:{program.name}"
        if program.workflow_type == "EXPRESS":
            run_id = uuid.uuid5(uuid.NAMESPACE_URL, self.name)  # stable for a given name, like the rest
            self.arn = f"arn:aws:states:{region}:{account}:express:{program.name}:{self.name}:{run_id}"
        else:
            self.arn = f"arn:aws:states:{region}:{account}:execution:{program.name}:{self.name}"
        self.role_arn = role_arn or f"arn:aws:iam::{account}:role/StatesExecutionRole"
        self.journal = journal
        self.keep_history = keep_history
        self.history = History(journal, self.clock.now, keep_history, event_limit)
        # Child executions' histories (Distributed Map iterations), committed with ours.
        self.child_histories: list[History] = []
        # Histories still replaying recorded events (checked by the scheduler's replay matching).
        self._replaying: list[History] = [self.history] if self.history.replaying else []
        self.deadline: float | None = None
        self.scheduler: Scheduler | None = None
        self.context_execution: dict[str, Any] = {}
        # $$.Execution.RedriveCount (Standard). A redriven execution replays what earlier runs
        # recorded: ``redrive_points`` are (event id, redrive count) pairs, ascending, saying from
        # which event on the history was recorded by which redrive's run, so that a state replayed
        # from before a redrive sees the count it saw then (Frame.context_object).
        self.redrive_count = redrive_count
        self.redrive_points = redrive_points
        # The output as compact JSON text, once the execution succeeded (see ``_output_text``).
        self.output_text: str | None = None
        self.context_state_machine = {"Id": self.state_machine_arn, "Name": program.name}

    def run(self) -> ExecutionResult:
        history = self.history
        recorded = history.next_recorded()
        if recorded is not None and recorded.type == "ExecutionStarted" and recorded.details:
            self.input = recorded.details.get("input", self.input)  # resuming: the recorded input wins
        started = history.add("ExecutionStarted", 0, {"input": self.input, "roleArn": self.role_arn})
        self.context_execution = {
            "Id": self.arn,
            "Input": self.input,
            "StartTime": iso8601(started.timestamp),
            "Name": self.name,
            "RoleArn": self.role_arn,
        }
        if self.program.workflow_type != "EXPRESS":  # Express executions cannot be redriven
            self.context_execution["RedriveCount"] = self.redrive_count
        if self.program.timeout_seconds is not None:
            self.deadline = started.timestamp + self.program.timeout_seconds
        frame = Frame(self, Variables(), started.id)
        block = self.program.block
        try:
            if block.may_block:
                self.scheduler = Scheduler(self)
                root = self.scheduler.spawn(run_gen(block, frame, self.input), frame, None)
                output = self.scheduler.run(root)
            else:
                output = run_sync(block, frame, self.input)
            self.output_text = _output_text(output)
            history.add("ExecutionSucceeded", history.last_id, {"output": output})
        except StatesError as error:
            details = {}
            if error.error is not None:
                details["error"] = error.error
            if error.cause is not None:
                details["cause"] = error.cause
            history.add("ExecutionFailed", history.last_id, details)
            return self._finish(ExecutionResult(FAILED, None, error.error, error.cause))
        except ExecutionTimedOut:
            history.add("ExecutionTimedOut", history.last_id, {"error": "States.Timeout"})
            return self._finish(ExecutionResult(TIMED_OUT, None, "States.Timeout", None))
        except Suspended as suspended:
            self.commit()
            return ExecutionResult(SUSPENDED, events=history.events, transitions=self._count(),
                                   pending=suspended.pending)
        return self._finish(ExecutionResult(SUCCEEDED, output, output_text=self.output_text))

    def commit(self) -> None:
        """Make every event so far durable (ours and our child executions')."""
        for child in self.child_histories:
            child.commit()
        self.history.commit()

    def child_history(self, key: str, parent: History | None = None) -> History:
        """The history of a child execution (a Distributed Map iteration), journaled apart.

        ``key`` names the child within ``parent`` (the history of the frame that starts it;
        default: the execution's own). Keys are joined into a scope path unique across the
        whole execution: a Distributed Map nested in another one's iteration counts event ids
        from that iteration's history, so its own key repeats in every outer iteration.
        """
        parent_scope = parent.scope if parent is not None else ""
        scope = f"{parent_scope}/{key}" if parent_scope else key
        child_journal = None
        if self.journal is not None:
            make_child = getattr(self.journal, "child", None)
            child_journal = make_child(scope) if make_child is not None else None
        history = History(child_journal, self.clock.now, self.keep_history, scope=scope)
        self.child_histories.append(history)
        if history.replaying:
            self._replaying.append(history)
        return history

    def replaying(self) -> bool:
        """Is any history of this execution still replaying its journal?"""
        if self._replaying:
            self._replaying = [h for h in self._replaying if h.replaying]
        return bool(self._replaying)

    def _finish(self, result: ExecutionResult) -> ExecutionResult:
        self.commit()
        result.events = self.history.events
        result.transitions = self._count()
        return result

    def _count(self) -> int:
        """StateEntered events of this run (replayed ones included)."""
        return self.history.entered

"""The execution's event history, and deterministic replay of a recorded one.

``History.add`` is the single place events are born. Live, it numbers the
event, stamps it with the clock and appends it to the journal. Replaying a
journal, it instead checks that the interpreter produced the same event type
as the one recorded at that position and hands back the recorded event (same
id, same timestamp), so a resumed execution rebuilds exactly the state it had
without recording anything twice. Once the recorded events are used up the
history goes live again.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from .clock import iso8601
from .errors import RUNTIME, StatesError
from .journal import Event, Journal


_new_event = tuple.__new__

# Step Functions caps a Standard execution's history at 25,000 events; the cap also
# stops a definition that loops forever from running forever.
DEFAULT_EVENT_LIMIT = 25_000

# The events that end an execution's run (ExecutionAborted is recorded by StopExecution, not the run).
TERMINAL_EVENT_TYPES = frozenset({"ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut"})


class ReplayDivergence(RuntimeError):
    """The definition or its inputs no longer produce the recorded history."""


class History:
    __slots__ = ("_journal", "_now", "_recorded", "_cursor", "_keep", "_live", "events", "last_id", "entered",
                 "limit", "scope")

    def __init__(self, journal: Journal | None, now: Callable[[], float], keep: bool = True,
                 limit: int | None = DEFAULT_EVENT_LIMIT, scope: str = ""):
        self._journal = journal
        # "" for the execution's own history; a child execution's key path inside it
        # (what ``Journal.child`` was given, and what ``Pending.scope`` reports).
        self.scope = scope
        self._now = now
        self._recorded: list[Event] = journal.load() if journal is not None else []
        self._cursor = 0
        self._keep = keep or bool(self._recorded)
        self._live = not self._recorded
        self.events: list[Event] = []
        self.last_id = 0
        self.entered = 0  # StateEntered events so far (the "transitions" of the perf harness)
        self.limit = limit if limit is not None else float("inf")

    @property
    def replaying(self) -> bool:
        return self._cursor < len(self._recorded)

    def add(self, type_: str, previous: int, details: dict[str, Any] | None = None) -> Event:
        if self._live:
            if self.last_id >= self.limit:
                self.limit = float("inf")  # room for the ExecutionFailed event
                raise StatesError(RUNTIME, f"The execution reached the maximum number of history events "
                                           f"({self.last_id}).")
            # Hot path: tuple.__new__ skips NamedTuple's Python-level constructor.
            event = _new_event(Event, (self.last_id + 1, previous, self._now(), type_, details))
            self.last_id = event[0]
            if self._journal is not None:
                self._journal.append(event)
            if self._keep:
                self.events.append(event)
            return event
        if self._cursor < len(self._recorded):
            event = self._recorded[self._cursor]
            if event.type != type_:
                raise ReplayDivergence(
                    f"event #{event.id}: recorded {event.type}, replay produced {type_}"
                )
            self._cursor += 1
            if self._cursor == len(self._recorded):
                self._live = True
        else:
            event = Event(self.last_id + 1, previous, self._now(), type_, details)
            if self._journal is not None:
                self._journal.append(event)
        self.last_id = event.id
        if self._keep:
            self.events.append(event)
        return event

    def next_recorded(self) -> Event | None:
        """The recorded event replay will produce next (None when live)."""
        if self._cursor < len(self._recorded):
            return self._recorded[self._cursor]
        return None

    def commit(self) -> None:
        if self._journal is not None and not self.replaying:
            self._journal.commit()


def camel_details_key(event_type: str) -> str:
    """``PassStateEntered`` -> ``stateEnteredEventDetails`` (AWS groups by suffix)."""
    for suffix, key in _SHARED_DETAILS:
        if event_type.endswith(suffix) and event_type != suffix:
            return key
    return event_type[0].lower() + event_type[1:] + "EventDetails"


_SHARED_DETAILS = (
    ("StateEntered", "stateEnteredEventDetails"),
    ("StateExited", "stateExitedEventDetails"),
)

# Fields AWS delivers as JSON text (we keep Python values until printing).
_JSON_TEXT_FIELDS = ("input", "output", "parameters")


def event_to_aws(event: Event) -> dict[str, Any]:
    """The GetExecutionHistory shape of one event (payloads as JSON text)."""
    out: dict[str, Any] = {
        "id": event.id,
        "previousEventId": event.previous_event_id,
        "timestamp": iso8601(event.timestamp),
        "type": event.type,
    }
    if event.details is not None:
        details = dict(event.details)
        for field in _JSON_TEXT_FIELDS:
            if field in details:
                details[field] = json.dumps(details[field], separators=(",", ":"), ensure_ascii=False)
        assigned = details.get("assignedVariables")
        if assigned is not None:
            details["assignedVariables"] = {
                k: json.dumps(v, separators=(",", ":"), ensure_ascii=False) for k, v in assigned.items()
            }
            details["assignedVariablesDetails"] = {"truncated": False}
        for field in ("input", "output"):
            if field in details:
                details[field + "Details"] = {"truncated": False}
        out[camel_details_key(event.type)] = details
    return out

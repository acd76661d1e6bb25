"""Where an execution's history events go, and where a resumed execution finds them.

A journal is append-only. The interpreter appends events as they happen and
calls ``commit()`` at group boundaries: always before a side effect (a Task
call, a timer) and at the end of a run, so that after a crash everything up
to the last side effect is durable. ``load()`` returns what is already
recorded; the interpreter replays it instead of doing the work again.

Events are ``Event`` tuples holding Python values (never JSON text): the
in-memory journal costs a list append; a persistent one serialises on commit.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol


class Event(NamedTuple):
    id: int
    previous_event_id: int
    timestamp: float
    type: str
    details: dict[str, Any] | None


class Journal(Protocol):
    def load(self) -> list[Event]:
        """Events recorded so far, in id order."""

    def append(self, event: Event) -> None:
        """Add one event (not durable until ``commit``)."""

    def commit(self) -> None:
        """Make every appended event durable."""

    # Optional: ``child(key) -> Journal`` gives a child execution (a Distributed Map
    # iteration) its own journal; without it child executions are not journaled.


class MemoryJournal:
    """A journal kept in a list (Express workflows, tests)."""

    def __init__(self, events: list[Event] | None = None):
        self.events: list[Event] = list(events or [])
        self.commits = 0
        self.children: dict[str, MemoryJournal] = {}

    def child(self, key: str) -> MemoryJournal:
        """The journal of a child execution (e.g. a Distributed Map iteration)."""
        if key not in self.children:
            self.children[key] = MemoryJournal()
        return self.children[key]

    def load(self) -> list[Event]:
        return list(self.events)

    def append(self, event: Event) -> None:
        self.events.append(event)

    def commit(self) -> None:
        self.commits += 1

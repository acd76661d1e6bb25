"""The engine's ``Journal`` over the database: history rows are the engine's events, 1:1.

Appended events wait in memory until ``commit()`` (the engine commits before every
side effect and at the end), then go in as one INSERT batch. ``child(key)`` gives a
child execution run inside this one (a Distributed Map iteration) its own history,
stored under the same execution with ``scope`` = the key.
"""

from __future__ import annotations

from backend.engine.journal import Event
from backend.executions.selectors import history_events
from backend.executions.services import history_append


class DatabaseJournal:
    def __init__(self, execution_id: int, scope: str = ""):
        self.execution_id = execution_id
        self.scope = scope
        self._pending: list[Event] = []
        # The interpreter appends every event: the list's own (C) append spares a Python call each.
        self.append = self._pending.append  # type: ignore[method-assign]

    def child(self, key: str) -> DatabaseJournal:
        return DatabaseJournal(self.execution_id, f"{self.scope}/{key}" if self.scope else key)

    def load(self) -> list[Event]:
        return history_events(execution_id=self.execution_id, scope=self.scope)

    def append(self, event: Event) -> None:
        self._pending.append(event)

    def take_pending(self) -> list[Event]:
        """The events appended since the last commit (the list ``append`` fills stays the same)."""
        pending = self._pending.copy()
        self._pending.clear()
        return pending

    def commit(self) -> None:
        if not self._pending:
            return
        pending = self.take_pending()
        history_append(execution_id=self.execution_id, events=pending, scope=self.scope)

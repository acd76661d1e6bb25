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

    def child(self, key: str) -> DatabaseJournal:
        return DatabaseJournal(self.execution_id, f"{self.scope}/{key}" if self.scope else key)

    def load(self) -> list[Event]:
        return history_events(execution_id=self.execution_id, scope=self.scope)

    def append(self, event: Event) -> None:
        self._pending.append(event)

    def commit(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        history_append(execution_id=self.execution_id, events=pending, scope=self.scope)

"""A durable journal in one SQLite file (stdlib ``sqlite3``, WAL, synchronous=NORMAL).

Events are buffered in memory and written in one transaction per ``commit()``
(the interpreter commits before every side effect and at the end), so a chain
of pure states costs one INSERT batch, not one fsync per transition.
"""

from __future__ import annotations

import json
import sqlite3

from .journal import Event

_SCHEMA = """
CREATE TABLE IF NOT EXISTS history_event (
    execution TEXT NOT NULL,
    id INTEGER NOT NULL,
    previous_event_id INTEGER NOT NULL,
    timestamp REAL NOT NULL,
    type TEXT NOT NULL,
    details TEXT,
    PRIMARY KEY (execution, id)
)
"""


class SqliteJournal:
    def __init__(self, connection: sqlite3.Connection, execution: str):
        self._db = connection
        self._execution = execution
        self._pending: list[Event] = []

    @staticmethod
    def connect(path: str) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(_SCHEMA)
        return db

    def load(self) -> list[Event]:
        rows = self._db.execute(
            "SELECT id, previous_event_id, timestamp, type, details FROM history_event"
            " WHERE execution = ? ORDER BY id",
            (self._execution,),
        )
        return [Event(i, p, t, ty, json.loads(d) if d is not None else None) for i, p, t, ty, d in rows]

    def append(self, event: Event) -> None:
        self._pending.append(event)

    def commit(self) -> None:
        if not self._pending:
            return
        dumps = json.dumps
        execution = self._execution
        rows = [
            (execution, e.id, e.previous_event_id, e.timestamp, e.type,
             dumps(e.details, separators=(",", ":")) if e.details is not None else None)
            for e in self._pending
        ]
        self._pending = []
        db = self._db
        db.execute("BEGIN")
        try:
            db.executemany("INSERT INTO history_event VALUES (?, ?, ?, ?, ?, ?)", rows)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

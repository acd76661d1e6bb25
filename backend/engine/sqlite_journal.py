"""A durable journal in one SQLite file (stdlib ``sqlite3``, WAL, synchronous=NORMAL).

Events are buffered in memory and written as one row per ``commit()`` (the
interpreter commits before every side effect and at the end): a chain of pure
states costs one INSERT of one JSON array, not one statement per transition.
A state's input is usually the previous state's output (the very same object);
it is stored as a back-reference instead of a second copy.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from .journal import Event

# One reusable encoder: json.dumps with options builds a new encoder on every call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_NOTHING = object()
_INPUT_REF = "input@"  # details key: "input" equals the output of event #N

_SCHEMA = """
CREATE TABLE IF NOT EXISTS journal_group (
    execution TEXT NOT NULL,
    first_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    events TEXT NOT NULL,
    PRIMARY KEY (execution, first_id)
)
"""


class SqliteJournal:
    def __init__(self, connection: sqlite3.Connection, execution: str):
        self._db = connection
        self._execution = execution
        self._pending: list[Event] = []
        # Last output written, so the next input can refer to it across groups.
        self._last_output: Any = _NOTHING
        self._last_output_id = 0

    @staticmethod
    def connect(path: str) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        # Checkpoints are where WAL mode fsyncs; let the log grow to ~40 MB between them
        # instead of 4 MB so a stream of commits is not stalled every few executions.
        db.execute("PRAGMA wal_autocheckpoint=10000")
        db.execute(_SCHEMA)
        return db

    def load(self) -> list[Event]:
        rows = self._db.execute(
            "SELECT events FROM journal_group WHERE execution = ? ORDER BY first_id", (self._execution,)
        )
        events: list[Event] = []
        outputs: dict[int, Any] = {}
        for (text,) in rows:
            for event_id, previous, timestamp, type_, details in json.loads(text):
                if details is not None:
                    ref = details.pop(_INPUT_REF, None)
                    if ref is not None:
                        details["input"] = outputs[ref]
                    if "output" in details:
                        outputs[event_id] = details["output"]
                        self._last_output, self._last_output_id = details["output"], event_id
                events.append(Event(event_id, previous, timestamp, type_, details))
        return events

    def child(self, key: str) -> SqliteJournal:
        """The journal of a child execution (a Distributed Map iteration)."""
        return SqliteJournal(self._db, f"{self._execution}/{key}")

    def append(self, event: Event) -> None:
        self._pending.append(event)

    def commit(self) -> None:
        pending = self._pending
        if not pending:
            return
        self._pending = []
        previous_output, previous_id = self._last_output, self._last_output_id
        rows = []
        for event in pending:
            details = event[4]
            if details is not None:
                value = details.get("input", _NOTHING)
                if value is previous_output and value is not _NOTHING:
                    details = {k: v for k, v in details.items() if k != "input"}
                    details[_INPUT_REF] = previous_id
                out = event[4].get("output", _NOTHING)
                if out is not _NOTHING:
                    previous_output, previous_id = out, event[0]
            rows.append((event[0], event[1], event[2], event[3], details))
        self._last_output, self._last_output_id = previous_output, previous_id
        text = _ENCODER.encode(rows)
        self._db.execute(
            "INSERT INTO journal_group VALUES (?, ?, ?, ?)", (self._execution, pending[0][0], pending[-1][0], text)
        )

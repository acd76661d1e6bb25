"""A durable journal in one SQLite file (stdlib ``sqlite3``, WAL, synchronous=NORMAL).

Events are buffered in memory and written in one transaction per ``commit()``
(the interpreter commits before every side effect and at the end), so a chain
of pure states costs one INSERT batch, not one fsync per transition.
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
        events: list[Event] = []
        outputs: dict[int, Any] = {}
        for i, p, t, ty, d in rows:
            details = json.loads(d) if d is not None else None
            if details is not None:
                ref = details.pop(_INPUT_REF, None)
                if ref is not None:
                    details["input"] = outputs[ref]
                if "output" in details:
                    outputs[i] = details["output"]
            events.append(Event(i, p, t, ty, details))
        return events

    def append(self, event: Event) -> None:
        self._pending.append(event)

    def commit(self) -> None:
        if not self._pending:
            return
        encode = _ENCODER.encode
        execution = self._execution
        rows = []
        previous_output: Any = _NOTHING
        previous_id = 0
        for e in self._pending:
            details = e[4]
            if details is None:
                text = None
            else:
                value = details.get("input", _NOTHING)
                if value is previous_output and value is not _NOTHING:
                    # A state's input is usually the previous state's output (the same object):
                    # store a back-reference instead of the payload a second time.
                    details = {k: v for k, v in details.items() if k != "input"}
                    details[_INPUT_REF] = previous_id
                text = encode(details)
                out = e[4].get("output", _NOTHING)
                if out is not _NOTHING:
                    previous_output, previous_id = out, e[0]
            rows.append((execution, e[0], e[1], e[2], e[3], text))
        self._pending = []
        db = self._db
        db.execute("BEGIN")
        try:
            db.executemany("INSERT INTO history_event VALUES (?, ?, ?, ?, ?, ?)", rows)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

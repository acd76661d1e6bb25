"""A durable journal in one SQLite file (stdlib ``sqlite3``, WAL, synchronous=NORMAL).

Events are buffered in memory and written as one row per ``commit()`` (the
interpreter commits before every side effect and at the end): a chain of pure
states costs one INSERT, not one statement per transition. A row holds the
group's events as one JSON array of ``[id, previousEventId, type, details]``
and their timestamps apart, as packed little-endian doubles: exact, and
``float.__repr__`` (what JSON would cost per event) was the largest single
per-transition cost of the durable path. A state's input is usually the
previous state's output (the very same object); it is stored as a
back-reference instead of a second copy.
"""

from __future__ import annotations

import json
import sqlite3
import struct
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
    times BLOB,
    PRIMARY KEY (execution, first_id)
)
"""


def _pack_times(times: list[float]) -> bytes:
    return struct.pack(f"<{len(times)}d", *times)


def _unpack_times(blob: bytes) -> tuple[float, ...]:
    return struct.unpack(f"<{len(blob) // 8}d", blob)


class SqliteJournal:
    def __init__(self, connection: sqlite3.Connection, execution: str):
        self._db = connection
        self._execution = execution
        self._pending: list[Event] = []
        # The interpreter appends every event: the list's own (C) append spares a Python call each.
        self.append = self._pending.append  # type: ignore[method-assign]
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
        columns = {row[1] for row in db.execute("PRAGMA table_info(journal_group)")}
        if "times" not in columns:  # a file written before timestamps moved out of the JSON
            db.execute("ALTER TABLE journal_group ADD COLUMN times BLOB")
        return db

    def load(self) -> list[Event]:
        rows = self._db.execute(
            "SELECT events, times FROM journal_group WHERE execution = ? ORDER BY first_id", (self._execution,)
        )
        events: list[Event] = []
        outputs: dict[int, Any] = {}
        for text, blob in rows:
            group = json.loads(text)
            if blob is not None:
                group = [(i, p, t, k, d) for (i, p, k, d), t in zip(group, _unpack_times(blob))]
            for event_id, previous, timestamp, type_, details in group:
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
        if not self._pending:
            return
        pending = self._pending.copy()
        self._pending.clear()  # the same list: ``self.append`` is bound to it
        previous_output, previous_id = self._last_output, self._last_output_id
        rows = []
        add = rows.append
        for event_id, previous, _, type_, details in pending:
            if details is None:
                add((event_id, previous, type_, None))
                continue
            stored = details
            if "input" in details and details["input"] is previous_output:
                stored = details.copy()
                del stored["input"]
                stored[_INPUT_REF] = previous_id
            add((event_id, previous, type_, stored))
            if "output" in details:
                previous_output, previous_id = details["output"], event_id
        self._last_output, self._last_output_id = previous_output, previous_id
        times = _pack_times([event[2] for event in pending])
        self._db.execute(
            "INSERT INTO journal_group VALUES (?, ?, ?, ?, ?)",
            (self._execution, pending[0][0], pending[-1][0], _ENCODER.encode(rows), times),
        )

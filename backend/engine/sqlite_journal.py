"""A durable journal in one SQLite file (stdlib ``sqlite3``, WAL, synchronous=NORMAL).

Events are buffered in memory and written as one row per ``commit()`` (the
interpreter commits before every side effect and at the end): a chain of pure
states costs one INSERT, not one statement per transition. A row holds the
group's events as one JSON array of ``[id, previousEventId, type, details]``
and their timestamps apart, as packed little-endian doubles: exact, and
``float.__repr__`` (what JSON would cost per event) was the largest single
per-transition cost of the durable path.

Values are not stored twice. A state's input is usually the previous event's
value (its output, else its input: the very same object): it is stored as a
back-reference, ``"input@": N``. An output that is that value, or a dict that
shares big members with it (a ``ResultPath`` merge into a large state) is
stored as ``"output@": N`` plus the keys that changed (``"output+"``) or went
(``"output-"``), so a 200 KB state is not written again at every transition.
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
_INPUT_REF = "input@"    # details key: "input" is the value of event #N
_OUTPUT_REF = "output@"  # details key: "output" is the value of event #N ...
_CHANGED = "output+"     # ... with these keys set
_REMOVED = "output-"     # ... and these keys removed
_CONTAINERS = (dict, list)

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


def _output_delta(output: Any, base: Any) -> tuple[dict, list] | None:
    """``output`` as (changed, removed) keys against ``base``, when that saves re-writing big members.

    None when it would not: not two dicts, no shared non-empty container, or a key
    order that ``{**base, **changed}`` would not rebuild.
    """
    if output is base:
        return {}, []
    if type(output) is not dict or type(base) is not dict or len(output) < 2:
        return None
    changed = {}
    shares = False
    for key, value in output.items():
        if base.get(key, _NOTHING) is value:
            shares = shares or (type(value) in _CONTAINERS and bool(value))
        else:
            changed[key] = value
    if not shares:
        return None
    kept = [key for key in base if key in output]
    if kept + [key for key in output if key not in base] != list(output):
        return None
    return changed, [key for key in base if key not in output]


def _rebuild_output(base: Any, changed: dict | None, removed: list | None) -> Any:
    if not changed and not removed:
        return base
    output = {**base, **(changed or {})}
    for key in removed or ():
        del output[key]
    return output


class SqliteJournal:
    def __init__(self, connection: sqlite3.Connection, execution: str):
        self._db = connection
        self._execution = execution
        self._pending: list[Event] = []
        # The interpreter appends every event: the list's own (C) append spares a Python call each.
        self.append = self._pending.append  # type: ignore[method-assign]
        # The last value written (an output, else an input), so the next event can refer to it
        # across groups.
        self._last_value: Any = _NOTHING
        self._last_value_id = 0

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
        values: dict[int, Any] = {}
        for text, blob in rows:
            group = json.loads(text)
            if blob is not None:
                group = [(i, p, t, k, d) for (i, p, k, d), t in zip(group, _unpack_times(blob))]
            for event_id, previous, timestamp, type_, details in group:
                if details is not None:  # the same order as commit(): input, then output
                    ref = details.pop(_INPUT_REF, None)
                    if ref is not None:
                        details["input"] = values[ref]
                    if "input" in details:
                        values[event_id] = details["input"]
                    ref = details.pop(_OUTPUT_REF, None)
                    if ref is not None:
                        details["output"] = _rebuild_output(values[ref], details.pop(_CHANGED, None),
                                                            details.pop(_REMOVED, None))
                    if "output" in details:
                        values[event_id] = details["output"]
                    if event_id in values:
                        self._last_value, self._last_value_id = values[event_id], event_id
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
        last_value, last_id = self._last_value, self._last_value_id
        rows = []
        add = rows.append
        for event_id, previous, _, type_, details in pending:
            if details is None:
                add((event_id, previous, type_, None))
                continue
            stored = details
            value = details.get("input", _NOTHING)
            if value is not _NOTHING:
                if value is last_value:
                    stored = details.copy()
                    del stored["input"]
                    stored[_INPUT_REF] = last_id
                last_value, last_id = value, event_id
            value = details.get("output", _NOTHING)
            if value is not _NOTHING:
                delta = _output_delta(value, last_value) if last_value is not _NOTHING else None
                if delta is not None:
                    if stored is details:
                        stored = details.copy()
                    del stored["output"]
                    stored[_OUTPUT_REF] = last_id
                    changed, removed = delta
                    if changed:
                        stored[_CHANGED] = changed
                    if removed:
                        stored[_REMOVED] = removed
                last_value, last_id = value, event_id
            add((event_id, previous, type_, stored))
        self._last_value, self._last_value_id = last_value, last_id
        times = _pack_times([event[2] for event in pending])
        self._db.execute(
            "INSERT INTO journal_group VALUES (?, ?, ?, ?, ?)",
            (self._execution, pending[0][0], pending[-1][0], _ENCODER.encode(rows), times),
        )

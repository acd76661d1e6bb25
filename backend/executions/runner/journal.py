"""The journal a runner gives the engine: the database history, fenced by the runner's lease.

Every ``commit()`` is one transaction that renews the lease (and checks it is still ours
and the execution still RUNNING) and inserts the group of events; the group that ends the
execution closes its row instead, fenced the same way. A runner that lost its execution
(lease expired and taken over, or the execution stopped) gets ``LeaseLost`` and records
nothing, so it cannot write a second transition. (On PostgreSQL the whole group is one
statement, see ``services.history_append``.)

**Redrive.** A redriven execution continues its stored history after an
``ExecutionRedriven`` event, but the engine must see a history that it could have
produced: the events before the failed step, then whatever the redriven run adds. So
the engine's event ids ("virtual" ids) map to stored ids through *segments*
``[[virtual_first, stored_first], ...]`` (``Execution.redrive_segments``; empty = the
identity): virtual ids from ``virtual_first`` up to the next segment's start are stored
from ``stored_first`` on. A redrive cuts the last segment at the failed step and opens a
new one right after the ``ExecutionRedriven`` event.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from django.db import connection, transaction

from backend.engine.history import TERMINAL_EVENT_TYPES
from backend.engine.journal import Event
from backend.executions.journal import DatabaseJournal
from backend.executions.selectors import history_events
from backend.executions.services import ExecutionClose, Lease, history_append, lease_renew_in
from backend.live.publishing import events_committed
from backend.metrics.delivery import history_committed

Segments = list[list[int]]


def lease_renew(*, execution_id: int, owner: str, seconds: float) -> None:
    with connection.cursor() as cursor:
        lease_renew_in(cursor, execution_id=execution_id, lease=Lease(owner, seconds))


class LeasedJournal(DatabaseJournal):
    def __init__(self, execution_id: int, owner: str, lease_seconds: float, segments: Segments | None = None,
                 scope: str = "", on_terminal: Callable[[Event], tuple[ExecutionClose, dict[int, str]]] | None = None,
                 on_closed: Callable[[], None] | None = None, fresh: bool = False,
                 child_segments: dict[str, Segments] | None = None):
        super().__init__(execution_id, scope)
        self.owner = owner
        self.lease_seconds = lease_seconds
        self.segments = segments or []
        # Segments of redriven Distributed Map iterations' histories, by scope.
        self.child_segments = child_segments or {}
        # How the execution's terminal event closes its row (and the JSON texts already made):
        # the group that records the terminal event closes the row in the same transaction
        # (one commit fewer per execution); ``on_closed`` runs inside that transaction too.
        self.on_terminal = on_terminal
        self.on_closed = on_closed
        # Nothing recorded yet (the claim said so): ``load`` need not ask the database.
        self.fresh = fresh
        self.closed = False
        # (virtual event id, redrive count) from which each redrive's run recorded (``load``).
        self.redrive_points: tuple[tuple[int, int], ...] = ()

    def child(self, key: str) -> LeasedJournal:
        # Child histories (Distributed Map iterations) keep their own numbering, and their own
        # segments once redriven (a failed iteration of a redriven Map Run: see execution_redrive).
        scope = f"{self.scope}/{key}" if self.scope else key
        return LeasedJournal(self.execution_id, self.owner, self.lease_seconds, self.child_segments.get(scope),
                             scope, child_segments=self.child_segments)

    def load(self) -> list[Event]:
        if self.fresh:
            self.fresh = False
            return []
        stored = history_events(execution_id=self.execution_id, scope=self.scope)
        if not self.segments:
            return stored
        view = virtual_view(stored, self.segments)
        redriven = [event for event in stored if event.type == "ExecutionRedriven"]
        self.redrive_points = redrive_points(stored, self.segments)
        if view and redriven:
            # The execution's TimeoutSeconds counts from the latest redrive (else a redriven
            # TIMED_OUT execution would time out again at once).
            view[0] = view[0]._replace(timestamp=redriven[-1].timestamp)
        return view

    def commit(self) -> None:
        if not self._pending:
            return
        pending = self.take_pending()
        if self.segments:
            pending = [stored_event(event, self.segments) for event in pending]
        lease = Lease(self.owner, self.lease_seconds)
        if self.on_terminal is None or pending[-1].type not in TERMINAL_EVENT_TYPES:
            history_append(execution_id=self.execution_id, events=pending, scope=self.scope, lease=lease)
        else:
            close, known = self.on_terminal(pending[-1])
            with transaction.atomic() if self.on_closed is not None else nullcontext():
                history_append(execution_id=self.execution_id, events=pending, scope=self.scope, lease=lease,
                               close=close, known=known)
                if self.on_closed is not None:
                    self.on_closed()
            self.closed = True
        history_committed(self.execution_id, self.scope, pending)  # log delivery (a no-op when off)
        events_committed(self.execution_id, self.scope, pending)  # live streams (a set lookup when unwatched)


def _to_stored(virtual_id: int, segments: Segments) -> int:
    for v_first, s_first in reversed(segments):
        if virtual_id >= v_first:
            return s_first + virtual_id - v_first
    return virtual_id


def stored_event(event: Event, segments: Segments) -> Event:
    previous = _to_stored(event.previous_event_id, segments) if event.previous_event_id else 0
    return Event(_to_stored(event.id, segments), previous, event.timestamp, event.type, event.details)


def virtual_view(stored: list[Event], segments: Segments) -> list[Event]:
    """The history the engine replays: each segment's stored events, renumbered."""
    by_id = {event.id: event for event in stored}
    to_virtual: dict[int, int] = {0: 0}
    view: list[Event] = []
    for index, (v_first, s_first) in enumerate(segments):
        v_end = segments[index + 1][0] if index + 1 < len(segments) else None
        v = v_first
        while v_end is None or v < v_end:
            event = by_id.get(s_first + v - v_first)
            if event is None:
                break
            to_virtual[event.id] = v
            view.append(Event(v, to_virtual.get(event.previous_event_id, event.previous_event_id),
                              event.timestamp, event.type, event.details))
            v += 1
    return view


def redrive_points(stored: list[Event], segments: Segments) -> tuple[tuple[int, int], ...]:
    """For each segment after the first, its first virtual id and the redrive count of the
    ``ExecutionRedriven`` event stored just before it (the redrive that opened it)."""
    counts = {event.id: (event.details or {}).get("redriveCount") for event in stored
              if event.type == "ExecutionRedriven"}
    points = []
    for index, (v_first, s_first) in enumerate(segments[1:], start=1):
        count = counts.get(s_first - 1)
        points.append((v_first, count if isinstance(count, int) else index))
    return tuple(points)


def redrive_segments(segments: Segments, cut_virtual_id: int, next_stored_id: int) -> Segments:
    """Keep virtual ids up to ``cut_virtual_id``; new ones are stored from ``next_stored_id``."""
    kept = [segment for segment in (segments or [[1, 1]]) if segment[0] <= cut_virtual_id]
    return [*kept, [cut_virtual_id + 1, next_stored_id]]

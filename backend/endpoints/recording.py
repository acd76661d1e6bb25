"""Express summary rows of endpoint calls, written in batches by one thread.

Saving each summary row at once costs a commit per call (about a millisecond through
the ORM on SQLite), which would cap a published Express endpoint well below 1,000
calls per second. Calls through an endpoint hand their row to ``record`` instead: one
writer thread per process inserts whatever has queued up in one ``bulk_create`` (one
transaction), usually within a few milliseconds of the response, then announces each
row as saving it at once would: its ``post_save`` (``created=True``) and the live
streams' ``execution_changed``, so receivers and watchers see endpoint executions like
any other.

The queue is bounded: when the writer falls behind, callers wait for room (back-pressure,
never unbounded memory). Rows still queued when the process exits are written by an
``atexit`` hook; a killed process loses them, as it loses the Express executions it was
running (Express is at-least-once and keeps no history: docs/runtime.md).
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models.signals import post_save

from backend.executions.models import Execution
from backend.live.publishing import execution_changed

logger = logging.getLogger(__name__)

MAX_QUEUED = 10_000
MAX_BATCH = 1_000
LINGER_SECONDS = float(os.environ.get("ENDPOINTS_SUMMARY_LINGER_SECONDS", "0.02"))

_queue: queue.Queue[Execution] = queue.Queue(maxsize=MAX_QUEUED)
_writer: threading.Thread | None = None
_writer_lock = threading.Lock()
_idle = threading.Condition()
_pending = 0  # rows handed to record() and not written yet


def record(row: Execution) -> None:
    """Queue ``row`` (an unsaved Express summary) for the writer thread."""
    global _pending
    _ensure_writer()
    with _idle:
        _pending += 1
    _queue.put(row)


def flush(timeout: float = 10.0) -> bool:
    """Wait until every row queued so far is written (tests, shutdown). False on timeout."""
    with _idle:
        return _idle.wait_for(lambda: _pending == 0, timeout=timeout)


def _ensure_writer() -> None:
    global _writer
    if _writer is not None and _writer.is_alive():
        return
    with _writer_lock:
        if _writer is None or not _writer.is_alive():
            _writer = threading.Thread(target=_write_forever, name="endpoint-summaries", daemon=True)
            _writer.start()


def _write_forever() -> None:
    while True:
        batch = [_queue.get()]
        # Linger a little for more rows: one INSERT and commit for many calls costs far
        # less CPU (which the calls themselves need) than one per few calls.
        deadline = time.monotonic() + LINGER_SECONDS
        while len(batch) < MAX_BATCH:
            timeout = deadline - time.monotonic()
            try:
                batch.append(_queue.get(timeout=timeout) if timeout > 0 else _queue.get_nowait())
            except queue.Empty:
                break
        try:
            _write(batch)
        finally:
            _done(len(batch))


def _done(count: int) -> None:
    global _pending
    with _idle:
        _pending -= count
        if _pending == 0:
            _idle.notify_all()


# Field types whose Python value is what the database driver takes (str subclasses such as
# TextChoices members become plain str); every other field goes through its own
# get_db_prep_save (datetimes, JSON).
_PLAIN_TYPES = frozenset({"CharField", "TextField", "SlugField", "IntegerField", "PositiveIntegerField",
                          "BigIntegerField", "SmallIntegerField", "PositiveSmallIntegerField",
                          "PositiveBigIntegerField", "BooleanField", "FloatField", "ForeignKey"})


def _insert(batch: list[Execution]) -> None:
    """``bulk_create`` for these rows, without the ORM's per-value compiler work (a third of the
    cost): one multi-row INSERT ... RETURNING per chunk, every concrete column, each value
    converted as its field would. Sets each row's pk and saved state, as bulk_create does."""
    if not connection.features.can_return_rows_from_bulk_insert:
        Execution.objects.bulk_create(batch)
        return
    meta = Execution._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    plain = [field.get_internal_type() in _PLAIN_TYPES for field in fields]
    # A value equal to its field's default (the JSON fields' []) is converted once per batch.
    defaults = [(field.get_default(), field.get_db_prep_save(field.get_default(), connection))
                if not is_plain and field.has_default() else None for field, is_plain in zip(fields, plain)]
    quote = connection.ops.quote_name
    head = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) VALUES ")
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = f" RETURNING {quote(meta.pk.column)}"
    chunk = max(1, connection.ops.bulk_batch_size(fields, batch))
    with connection.cursor() as cursor:
        for start in range(0, len(batch), chunk):
            rows = batch[start:start + chunk]
            params: list[Any] = []
            for row in rows:
                for field, is_plain, default in zip(fields, plain, defaults):
                    value = getattr(row, field.attname)
                    if value is None:
                        params.append(None)
                    elif is_plain:
                        params.append(str(value) if isinstance(value, str) and type(value) is not str else value)
                    elif default is not None and value == default[0]:
                        params.append(default[1])
                    else:
                        params.append(field.get_db_prep_save(value, connection))
            cursor.execute(head + ", ".join([row_sql] * len(rows)) + returning, params)
            ids = [pk for (pk,) in cursor.fetchall()]
            if len(ids) != len(rows):
                raise DatabaseError(f"inserted {len(rows)} summaries, got {len(ids)} ids back")
            for row, pk in zip(rows, ids):
                row.pk = pk
                row._state.adding = False
                row._state.db = connection.alias


def _write(batch: list[Execution]) -> None:
    try:
        with transaction.atomic():
            _insert(batch)
    except Exception:  # noqa: BLE001 - the writer thread must survive anything
        connection.close()  # were it broken, the next query opens a new one
        # One bad row (its workflow deleted meanwhile, text the database refuses) must not
        # lose the others: each on its own.
        written = []
        for row in batch:
            row.pk = None
            try:
                with transaction.atomic():
                    _insert([row])
                written.append(row)
            except Exception as error:  # noqa: BLE001
                logger.warning("endpoint execution summary %s not recorded: %s", row.name, error)
        batch = written
    for row in batch:
        _announce(row)


def _announce(row: Execution) -> None:
    """What saving the row at once would have done: its ``post_save``, and the live streams."""
    try:
        post_save.send(sender=Execution, instance=row, created=True, update_fields=None, raw=False,
                       using=row._state.db or "default")
        execution_changed(row)
    except Exception:  # noqa: BLE001 - a receiver's failure is its own, not the writer's
        logger.exception("announcing endpoint execution summary %s failed", row.name)


def _flush_at_exit() -> None:
    if _writer is not None and _writer.is_alive():
        flush(timeout=5.0)


atexit.register(_flush_at_exit)


def pending() -> int:
    return _pending


def describe() -> dict[str, Any]:
    return {"pending": _pending, "writer_alive": bool(_writer and _writer.is_alive())}

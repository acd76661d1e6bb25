"""The aggregates behind ``GET /metrics`` and ``GET /api/stats/``, read from the database.

Nothing is counted in process memory as it happens: every server process, ``runengine``
worker and Celery worker writes executions and history rows to the one database, so
reading them back at scrape time is right however many processes do the work, survives
restarts, and costs the hot paths nothing.

* Execution counts, the running gauge and the duration histogram are GROUP BY queries
  over the ``metrics_execution_cover`` index (no table reads).
* History counts (state transitions, task calls and failures, redrives) would be a scan
  of the largest table, so ``HistoryRollup`` folds each range of event ids once per
  process and counts only the newest events at each scrape (see its docstring).
* Timers: one GROUP BY over the timer table (rows exist only while executions wait).
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timezone as dt_timezone
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, FloatField, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone

from backend.executions.models import Execution, ExecutionStatus, HistoryEvent, Timer
from backend.metrics import sql
from backend.workflows.models import WorkflowTemplate

TERMINAL_STATUSES = (ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT,
                     ExecutionStatus.ABORTED)

# Upper bounds (seconds) of the execution duration histogram's buckets; +Inf is implied.
DURATION_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0,
                    21600.0, 86400.0)

STATE_ENTERED_EVENTS = tuple(f"{kind}StateEntered" for kind in
                             ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"))
TASK_CALL_EVENTS = ("TaskScheduled", "LambdaFunctionScheduled")
TASK_FAILURE_EVENTS = ("TaskFailed", "TaskTimedOut", "LambdaFunctionFailed", "LambdaFunctionTimedOut")
REDRIVE_EVENTS = ("ExecutionRedriven",)
COUNTED_EVENTS = STATE_ENTERED_EVENTS + TASK_CALL_EVENTS + TASK_FAILURE_EVENTS + REDRIVE_EVENTS


# --- /metrics ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkflowLabels:
    workflow_id: int
    workflow: str
    owner: str


@dataclass
class DurationHistogram:
    """Per-bucket (not cumulative) counts, one more than DURATION_BUCKETS for +Inf."""

    counts: list[int] = field(default_factory=lambda: [0] * (len(DURATION_BUCKETS) + 1))
    total_seconds: float = 0.0

    def cumulative(self) -> list[tuple[str, int]]:
        running, out = 0, []
        for bound, count in zip((*map(_bound_label, DURATION_BUCKETS), "+Inf"), self.counts):
            running += count
            out.append((bound, running))
        return out


def _bound_label(bound: float) -> str:
    return repr(float(bound))


@dataclass
class MetricsSnapshot:
    workflows: dict[int, WorkflowLabels]
    executions: dict[int, Counter]  # template id -> status -> count
    durations: dict[int, DurationHistogram]
    history: Counter  # (template id, event type) -> count
    timers: dict[str, tuple[int, int]]  # kind -> (pending, due)


def workflow_labels() -> dict[int, WorkflowLabels]:
    owner_name = f"owner__{get_user_model().USERNAME_FIELD}"
    rows = WorkflowTemplate.objects.order_by().values_list("pk", "name", owner_name)
    return {pk: WorkflowLabels(pk, name, str(owner)) for pk, name, owner in rows}


def execution_counts() -> dict[int, Counter]:
    counts: dict[int, Counter] = {}
    rows = Execution.objects.order_by().values_list("template_id", "status").annotate(n=Count("*"))
    for template_id, status, n in rows:
        counts.setdefault(template_id, Counter())[status] = n
    return counts


def duration_histograms() -> dict[int, DurationHistogram]:
    """Durations of finished executions (stop minus start; a redriven one counts from its first start)."""
    table = connection.ops.quote_name(Execution._meta.db_table)
    duration = sql.duration_seconds("started_at", "stopped_at", precise=False)
    cases = " ".join(f"WHEN d <= {bound!r} THEN {index}" for index, bound in enumerate(DURATION_BUCKETS))
    statuses = ", ".join(["%s"] * len(TERMINAL_STATUSES))
    # MATERIALIZED: each duration is computed once, not once per WHEN. Filtering on stopped_at
    # only in the scan keeps it on the covering index (a status filter there picks another
    # index and reads the table).
    query = (f"WITH finished AS MATERIALIZED (SELECT template_id, status, {duration} AS d FROM {table} "
             f"WHERE stopped_at IS NOT NULL) "
             f"SELECT template_id, CASE {cases} ELSE {len(DURATION_BUCKETS)} END, COUNT(*), SUM(d) "
             f"FROM finished WHERE status IN ({statuses}) GROUP BY 1, 2")
    histograms: dict[int, DurationHistogram] = {}
    with connection.cursor() as cursor:
        cursor.execute(query, [status.value for status in TERMINAL_STATUSES])
        for template_id, bucket, count, total in cursor.fetchall():
            histogram = histograms.setdefault(template_id, DurationHistogram())
            histogram.counts[int(bucket)] += int(count)
            histogram.total_seconds += max(0.0, float(total or 0.0))
    return histograms


def timer_counts(now: datetime | None = None) -> dict[str, tuple[int, int]]:
    """kind -> (timers waiting, timers already due but not yet fired)."""
    now = now or timezone.now()
    table = connection.ops.quote_name(Timer._meta.db_table)
    query = f"SELECT kind, COUNT(*), SUM(CASE WHEN due_at <= %s THEN 1 ELSE 0 END) FROM {table} GROUP BY kind"
    with connection.cursor() as cursor:
        cursor.execute(query, [connection.ops.adapt_datetimefield_value(now)])
        return {kind: (int(total), int(due or 0)) for kind, total, due in cursor.fetchall()}


def history_counts(first_id: int, last_id: int) -> Counter:
    """(template id, event type) -> events with ``first_id < id <= last_id`` of the counted types."""
    if last_id <= first_id:
        return Counter()
    quote = connection.ops.quote_name
    events, executions = quote(HistoryEvent._meta.db_table), quote(Execution._meta.db_table)
    types = ", ".join(["%s"] * len(COUNTED_EVENTS))
    # Group by execution first (one row per execution and type), then by workflow: one
    # primary-key lookup per execution instead of one per event.
    query = (f"SELECT e.template_id, h.type, SUM(h.n) FROM "
             f"(SELECT execution_id, type, COUNT(*) AS n FROM {events} "
             f"WHERE id > %s AND id <= %s AND type IN ({types}) GROUP BY execution_id, type) h "
             f"JOIN {executions} e ON e.id = h.execution_id GROUP BY e.template_id, h.type")
    counts: Counter = Counter()
    with connection.cursor() as cursor:
        cursor.execute(query, [first_id, last_id, *COUNTED_EVENTS])
        for template_id, type_, n in cursor.fetchall():
            counts[(template_id, type_)] += int(n)
    return counts


def history_last_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(HistoryEvent._meta.db_table)}")
        row = cursor.fetchone()
    return int(row[0] or 0)


class HistoryRollup:
    """History event counts per workflow, each event id range read once per process.

    Events are never updated, so counts of the ids up to a *folded* mark are kept in memory
    and every scrape only counts the events after it (a primary-key range). The mark must
    not pass an id whose transaction might still commit: on SQLite writers are serialized,
    so every id up to the largest one seen is committed; on PostgreSQL ids are handed out
    before commit, so the mark only moves to a largest id seen at least ``settle_seconds``
    ago (history transactions are one INSERT batch, far shorter). A new process reads the
    whole table once. Counts of deleted executions stay counted (counters do not go down).
    """

    def __init__(self, settle_seconds: float | None = None):
        self._lock = threading.Lock()
        self._settle = settle_seconds
        self._folded_to = 0
        self._folded: Counter = Counter()
        self._marks: deque[tuple[float, int]] = deque()

    def settle_seconds(self) -> float:
        if self._settle is not None:
            return self._settle
        return 0.0 if connection.vendor == "sqlite" else 30.0

    def counts(self) -> Counter:
        with self._lock:
            now = time.monotonic()
            last = history_last_id()
            self._marks.append((now, last))
            target = self._folded_to
            settle = self.settle_seconds()
            while self._marks and self._marks[0][0] <= now - settle:
                target = max(target, self._marks.popleft()[1])
            if target > self._folded_to:
                self._folded.update(history_counts(self._folded_to, target))
                self._folded_to = target
            return self._folded + history_counts(self._folded_to, last)

    def reset(self) -> None:
        with self._lock:
            self._folded_to, self._folded = 0, Counter()
            self._marks.clear()


history_rollup = HistoryRollup()


def metrics_snapshot() -> MetricsSnapshot:
    return MetricsSnapshot(workflows=workflow_labels(), executions=execution_counts(),
                           durations=duration_histograms(), history=history_rollup.counts(),
                           timers=timer_counts())


# --- /api/stats/ ---------------------------------------------------------------------------

# window -> (seconds, bucket seconds): 60 one-minute points, 24 hours, 28 quarter-days, 30 days.
STATS_WINDOWS: dict[str, tuple[int, int]] = {
    "1h": (3600, 60),
    "24h": (86400, 3600),
    "7d": (7 * 86400, 21600),
    "30d": (30 * 86400, 86400),
}
_STATUS_KEYS = {ExecutionStatus.SUCCEEDED: "succeeded", ExecutionStatus.FAILED: "failed",
                ExecutionStatus.TIMED_OUT: "timed_out", ExecutionStatus.ABORTED: "aborted"}
# Up to this many finished executions the percentiles are exact; past it they come from a
# sample of about this size, picked by a hash of the id (so executions of other workflows
# started in between cannot line up with it).
_PERCENTILE_ROWS = 50_000
_SAMPLE_MODULUS = 10007  # a prime: id * 7919 mod it spreads any stride of ids evenly


def stats_window_start(window: str, now: datetime) -> datetime:
    """The start of the first bucket of ``window`` when the last one holds ``now``."""
    seconds, bucket = STATS_WINDOWS[window]
    last_start = math.floor(now.timestamp() / bucket) * bucket
    return datetime.fromtimestamp(last_start - (seconds // bucket - 1) * bucket, tz=dt_timezone.utc)


def _duration_ms() -> RawSQL:
    started, stopped = sql.column(Execution, "started_at"), sql.column(Execution, "stopped_at")
    return RawSQL(f"({sql.duration_seconds(started, stopped)} * 1000.0)", (), output_field=FloatField())


def _nearest_rank(sorted_values: list[float], percent: float) -> float:
    return sorted_values[max(0, math.ceil(percent / 100 * len(sorted_values)) - 1)]


def _percentiles(finished: QuerySet, n: int) -> dict[str, float | None]:
    if n == 0:
        return {"p50": None, "p90": None, "p99": None}
    if n > _PERCENTILE_ROWS:
        keep = max(1, _SAMPLE_MODULUS * _PERCENTILE_ROWS // n)
        spread = RawSQL(f"(({sql.column(Execution, 'id')} * 7919) %% {_SAMPLE_MODULUS})", ())
        finished = finished.annotate(sample=spread).filter(sample__lt=keep)
    values = sorted(float(v) for v in finished.annotate(d=_duration_ms()).values_list("d", flat=True) if v is not None)
    if not values:
        return {"p50": None, "p90": None, "p99": None}
    return {f"p{p}": round(_nearest_rank(values, p), 1) for p in (50, 90, 99)}


def execution_stats(*, executions: QuerySet, window: str, now: datetime | None = None) -> dict[str, Any]:
    """Counts and durations of ``executions`` (already narrowed to what the caller may see).

    The window ends with the bucket holding ``now``; buckets are aligned to multiples of
    ``bucket_seconds`` since the epoch (UTC). An execution counts once, in the bucket where
    it started, under its current status; durations are those of the finished ones among
    them. ``running`` is how many run now, whenever they started.
    """
    seconds, bucket = STATS_WINDOWS[window]
    points = seconds // bucket
    first_at = stats_window_start(window, now or timezone.now())
    first_start = first_at.timestamp()
    in_window = executions.filter(started_at__gte=first_at).order_by()
    started_epoch = sql.epoch_seconds(sql.column(Execution, "started_at"))
    bucket_index = RawSQL(sql.floor_non_negative(f"(({started_epoch} - %s) / %s)"), (float(first_start), float(bucket)))
    rows = (in_window.annotate(bucket=bucket_index).values("bucket", "status")
            .annotate(n=Count("id"), finished=Count("stopped_at"), duration_sum=Sum(_duration_ms())))
    series = [{"start": datetime.fromtimestamp(first_start + i * bucket, tz=dt_timezone.utc).isoformat()
               .replace("+00:00", "Z"), "started": 0, "succeeded": 0, "failed": 0, "timed_out": 0, "aborted": 0,
               "avg_duration_ms": None} for i in range(points)]
    sums = [[0.0, 0] for _ in range(points)]
    totals = {"started": 0, "succeeded": 0, "failed": 0, "timed_out": 0, "aborted": 0, "running": 0}
    for row in rows:
        index = min(max(int(row["bucket"]), 0), points - 1)
        point = series[index]
        point["started"] += row["n"]
        totals["started"] += row["n"]
        key = _STATUS_KEYS.get(row["status"])
        if key is not None:
            point[key] += row["n"]
            totals[key] += row["n"]
            if row["finished"] and row["duration_sum"] is not None:
                sums[index][0] += max(0.0, float(row["duration_sum"]))
                sums[index][1] += row["finished"]
    for point, (total, count) in zip(series, sums):
        if count:
            point["avg_duration_ms"] = round(total / count, 1)
    finished_total = sum(count for _, count in sums)
    finished = in_window.filter(status__in=TERMINAL_STATUSES, stopped_at__isnull=False)
    duration = _percentiles(finished, finished_total)
    duration["avg"] = round(sum(total for total, _ in sums) / finished_total, 1) if finished_total else None
    totals["running"] = executions.filter(status=ExecutionStatus.RUNNING).order_by().count()
    return {"window": window, "bucket_seconds": bucket, "totals": totals, "duration_ms": duration, "series": series}


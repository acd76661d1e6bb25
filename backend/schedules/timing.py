"""When a schedule fires: pure functions over (expression or rate, time zone, bounds).

No Django here beyond the model's attributes being read by the caller: everything takes
aware datetimes and answers aware UTC datetimes, so a fake clock is just an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError

UTC = timezone.utc
MIN_RATE_SECONDS = 60  # a schedule fires at most once a minute (cron's granularity too)
# Start and end times stay far from datetime's year 9999 limit, so tick arithmetic never overflows.
LATEST_BOUND = datetime(9000, 1, 1, tzinfo=UTC)


class InvalidScheduleTiming(ValueError):
    """A cron expression, rate or time zone that cannot be used; the message names the field."""


@dataclass(frozen=True)
class Timing:
    kind: str  # "cron" or "rate"
    cron_expression: str
    rate_seconds: int | None
    timezone: str
    anchor: datetime  # rate ticks fall on anchor + k * rate
    start_at: datetime | None
    end_at: datetime | None


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidScheduleTiming(f"timezone: unknown time zone {name!r}") from None


def timing_check(timing: Timing) -> None:
    zone(timing.timezone)
    if timing.kind == "cron":
        if len(timing.cron_expression.split()) != 5:
            raise InvalidScheduleTiming(
                f"cron_expression: {timing.cron_expression!r} must have 5 fields (minute hour day month weekday)")
        try:
            CronSim(timing.cron_expression, datetime(2000, 1, 1, tzinfo=UTC))
        except CronSimError as exc:
            raise InvalidScheduleTiming(f"cron_expression: {exc}") from None
    elif timing.kind == "rate":
        if not isinstance(timing.rate_seconds, int) or timing.rate_seconds < MIN_RATE_SECONDS:
            raise InvalidScheduleTiming(f"rate_seconds: must be a whole number of at least {MIN_RATE_SECONDS}")
    else:
        raise InvalidScheduleTiming(f"kind: must be 'cron' or 'rate', not {timing.kind!r}")
    for field in ("start_at", "end_at"):
        moment = getattr(timing, field)
        if moment is not None and moment >= LATEST_BOUND:
            raise InvalidScheduleTiming(f"{field}: must be before {LATEST_BOUND:%Y-%m-%d}")
    if timing.start_at and timing.end_at and timing.end_at <= timing.start_at:
        raise InvalidScheduleTiming("end_at: must be later than start_at")


def _within_bounds(timing: Timing, tick: datetime) -> bool:
    return (timing.start_at is None or tick >= timing.start_at) and (timing.end_at is None or tick <= timing.end_at)


def _rate_tick_at_or_before(timing: Timing, moment: datetime) -> datetime | None:
    assert timing.rate_seconds
    if moment < timing.anchor:
        return None
    periods = int((moment - timing.anchor).total_seconds() // timing.rate_seconds)
    return timing.anchor + timedelta(seconds=periods * timing.rate_seconds)


def latest_tick(timing: Timing, *, after: datetime, upto: datetime) -> datetime | None:
    """The last tick in (``after``, ``upto``] within the start/end bounds, or None."""
    if timing.end_at is not None and upto > timing.end_at:
        upto = timing.end_at
    if upto <= after:
        return None
    if timing.kind == "rate":
        tick = _rate_tick_at_or_before(timing, upto)
    else:
        # CronSim's reverse iteration yields ticks strictly before its start: start one
        # whole second past ``upto`` (ticks are whole minutes) and check the result.
        local = upto.astimezone(zone(timing.timezone)).replace(microsecond=0) + timedelta(seconds=1)
        tick = next(CronSim(timing.cron_expression, local, reverse=True), None)
        tick = tick.astimezone(UTC) if tick is not None else None
    if tick is None or tick <= after or tick > upto or not _within_bounds(timing, tick):
        return None
    return tick


def next_ticks(timing: Timing, *, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` ticks strictly after ``after`` (fewer if the end time, or the
    end of the calendar, comes first)."""
    found: list[datetime] = []
    try:
        _next_ticks(timing, after=after, count=count, found=found)
    except (OverflowError, CronSimError):
        pass  # past year 9999: no more ticks
    return found


def _next_ticks(timing: Timing, *, after: datetime, count: int, found: list[datetime]) -> None:
    if timing.start_at is not None and after < timing.start_at:
        after = timing.start_at - timedelta(microseconds=1)
    if timing.kind == "rate":
        assert timing.rate_seconds
        tick = _rate_tick_at_or_before(timing, after)
        tick = timing.anchor if tick is None else tick + timedelta(seconds=timing.rate_seconds)
        while len(found) < count and (timing.end_at is None or tick <= timing.end_at):
            found.append(tick.astimezone(UTC))
            tick += timedelta(seconds=timing.rate_seconds)
        return
    ticks = CronSim(timing.cron_expression, after.astimezone(zone(timing.timezone)))
    for tick in ticks:
        tick = tick.astimezone(UTC)
        if len(found) >= count or (timing.end_at is not None and tick > timing.end_at):
            break
        found.append(tick)


def tick_execution_name(schedule_id: int, tick: datetime) -> str:
    """``sched-<id>-<tick as compact UTC ISO 8601>``: one name per tick, so one execution per tick."""
    return f"sched-{schedule_id}-{tick.astimezone(UTC):%Y%m%dT%H%M%SZ}"

"""Per-endpoint rate limits: token buckets.

A bucket holds up to ``burst`` tokens and refills at ``rate`` tokens per second; each call
takes one, and a call finding less than one token is refused with the time until one
is there (the ``Retry-After``).

Where the buckets live:
- **per process** by default (embedded mode: one server process, so that is the limit);
  with several server processes each enforces the limit on its own, so the endpoint as a
  whole admits up to (processes x rate).
- **shared through Redis** when ``REDIS_URL`` (or ``ENDPOINTS_REDIS_URL``) is set: one
  bucket per endpoint for every process, updated atomically by a Lua script using the
  Redis server's clock. Should Redis not answer, the process falls back to its own
  bucket for that call (the limit keeps working, per process) and logs it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Any

logger = logging.getLogger(__name__)


class LocalBuckets:
    """Token buckets in this process's memory, keyed by endpoint (and its limit settings)."""

    def __init__(self) -> None:
        self._buckets: dict[Any, list[float]] = {}
        self._lock = threading.Lock()

    def take(self, key: Any, rate: float, burst: float, now: float | None = None) -> float:
        """0.0 when a token was taken, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) > 10_000:
                    self._buckets.clear()
                bucket = self._buckets[key] = [burst, now]
            tokens = min(burst, bucket[0] + (now - bucket[1]) * rate)
            bucket[1] = now
            if tokens >= 1.0:
                bucket[0] = tokens - 1.0
                return 0.0
            bucket[0] = tokens
            return (1.0 - tokens) / rate

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()


_TAKE_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""


class RedisBuckets:
    """The same buckets in Redis, shared by every process using that Redis."""

    def __init__(self, url: str, fallback: LocalBuckets) -> None:
        import redis

        self._client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._script = self._client.register_script(_TAKE_SCRIPT)
        self._fallback = fallback
        self._warned_at = -math.inf

    def take(self, key: Any, rate: float, burst: float) -> float:
        redis_key = "asw:endpoint-bucket:" + ":".join(str(part) for part in key)
        try:
            return float(self._script(keys=[redis_key], args=[repr(float(rate)), repr(float(burst))]))
        except Exception as error:  # noqa: BLE001 - any Redis failure: limit per process instead
            now = time.monotonic()
            if now - self._warned_at > 60:
                self._warned_at = now
                logger.warning("endpoint rate limit: Redis unavailable (%s); limiting per process", error)
            return self._fallback.take(key, rate, burst)

    def clear(self) -> None:
        self._fallback.clear()


_local = LocalBuckets()
_buckets: LocalBuckets | RedisBuckets | None = None
_buckets_lock = threading.Lock()


def buckets() -> LocalBuckets | RedisBuckets:
    """This process's buckets: in Redis when configured, else in memory."""
    global _buckets
    if _buckets is None:
        from backend.endpoints.settings import redis_url

        with _buckets_lock:
            if _buckets is None:
                url = redis_url()
                _buckets = RedisBuckets(url, _local) if url else _local
    return _buckets


def reset() -> None:
    """Forget every bucket and the choice of store (tests)."""
    global _buckets
    with _buckets_lock:
        _local.clear()
        _buckets = None


def burst_for(rate: float, burst: int | None) -> float:
    """The bucket size: as given, else one second's worth of calls (at least one)."""
    return float(burst) if burst else float(max(1, math.ceil(rate)))

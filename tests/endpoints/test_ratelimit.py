"""Token buckets: refill arithmetic, and the Redis store that several server processes share."""

from __future__ import annotations

import os
import socket

import pytest

from backend.endpoints.ratelimit import LocalBuckets, RedisBuckets, burst_for

REDIS_URL = os.environ.get("TEST_ENDPOINTS_REDIS_URL", "redis://127.0.0.1:6379/13")


def test_a_bucket_admits_its_burst_then_its_rate() -> None:
    buckets = LocalBuckets()
    assert [buckets.take("e", rate=2.0, burst=3.0, now=100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = buckets.take("e", rate=2.0, burst=3.0, now=100.0)
    assert wait == pytest.approx(0.5)
    assert buckets.take("e", rate=2.0, burst=3.0, now=100.5) == 0.0  # one token refilled in 0.5 s
    assert buckets.take("e", rate=2.0, burst=3.0, now=100.5) > 0
    assert buckets.take("other", rate=2.0, burst=3.0, now=100.5) == 0.0  # buckets are per endpoint
    # A long pause refills to the burst, not beyond.
    assert [buckets.take("e", rate=2.0, burst=3.0, now=200.0) for _ in range(4)][-1] > 0


def test_the_default_burst_is_one_seconds_worth() -> None:
    assert burst_for(10.0, None) == 10.0 and burst_for(0.2, None) == 1.0 and burst_for(5.0, 2) == 2.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_without_redis_the_limit_holds_per_process() -> None:
    fallback = LocalBuckets()
    buckets = RedisBuckets(f"redis://127.0.0.1:{_free_port()}/0", fallback)  # nothing listens there
    assert buckets.take(("e", 1), rate=1.0, burst=1.0) == 0.0
    assert buckets.take(("e", 1), rate=1.0, burst=1.0) > 0


@pytest.mark.services
def test_processes_share_one_bucket_through_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    first = RedisBuckets(REDIS_URL, LocalBuckets())  # as two server processes would
    second = RedisBuckets(REDIS_URL, LocalBuckets())
    key = ("endpoint", 42)
    assert first.take(key, rate=1.0, burst=2.0) == 0.0
    assert second.take(key, rate=1.0, burst=2.0) == 0.0
    wait = first.take(key, rate=1.0, burst=2.0)
    assert 0 < wait <= 1.0
    assert second.take(key, rate=1.0, burst=2.0) > 0
    assert client.ttl("asw:endpoint-bucket:endpoint:42") > 0  # idle buckets expire
    client.flushdb()

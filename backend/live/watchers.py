"""Which live streams have watchers: the check the runtime makes before publishing anything.

A stream is a key: ``("e", execution id)``, ``("w", workflow id)``, ``("u", owner id)``, or
``("u", ALL)`` (a staff member's stream of everybody's executions). The runtime reads
``index.executions`` / ``workflows`` / ``owners`` (frozensets, no lock, no I/O) on its hot
path (``index.anything`` first: False when nobody watches any stream), so publishing costs
a lookup or two when nobody watches.

* **In-memory channel layer**: consumers and publishers share one process; the sets are
  the keys of this process's consumers.
* **Redis channel layer** (``REDIS_URL``): consumers live in the web servers, publishers
  are also runner processes and Celery workers. Each process writes the keys of its own
  consumers into one Redis sorted set, scored with an expiry time (written at once when a
  key is new, renewed every ``RENEW_SECONDS``); every process reads the live members every
  ``REFRESH_SECONDS`` in a background thread (the first read is synchronous), and its sets
  are its own keys plus those. A watcher that connects is thus known everywhere within
  ``REFRESH_SECONDS``; the consumers catch up from the database after that long, so
  nothing committed in between is lost.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)

Key = tuple[str, int]
ALL = 0  # the owner key of the staff's all-executions stream
REFRESH_SECONDS = 0.25
RENEW_SECONDS = 10.0
TTL_SECONDS = 30.0


def _layer_config() -> dict[str, Any]:
    from django.conf import settings

    return getattr(settings, "CHANNEL_LAYERS", {}).get("default", {})


def layer_is_in_memory() -> bool:
    return _layer_config().get("BACKEND", "").endswith("InMemoryChannelLayer")


def _redis_url(host: Any) -> str | None:
    if isinstance(host, str):
        return host
    if isinstance(host, dict):
        address = host.get("address")
        return address if isinstance(address, str) else None
    if isinstance(host, (tuple, list)) and len(host) == 2:
        return f"redis://{host[0]}:{host[1]}/0"
    return None


class RedisWatchRegistry:
    """The watched keys of every process, in one Redis sorted set (member ``e:12``, score = expiry)."""

    def __init__(self, url: str, prefix: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
        self.key = f"{prefix}:live:watchers"

    def touch(self, keys: Iterable[Key]) -> None:
        members = {f"{kind}:{number}": time.time() + TTL_SECONDS for kind, number in keys}
        if members:
            self.client.zadd(self.key, members, gt=True)

    def live_keys(self) -> frozenset[Key]:
        now = time.time()
        keys = set()
        for member in self.client.zrangebyscore(self.key, now, "+inf"):
            kind, _, number = member.decode().partition(":")
            if number.isdigit():
                keys.add((kind, int(number)))
        return frozenset(keys)

    def forget_expired(self) -> None:
        self.client.zremrangebyscore(self.key, "-inf", time.time())

    @classmethod
    def from_settings(cls) -> RedisWatchRegistry | None:
        config = _layer_config()
        if "redis" not in config.get("BACKEND", "").lower():
            return None
        options = config.get("CONFIG", {})
        hosts = options.get("hosts") or ["redis://localhost:6379/0"]
        url = _redis_url(hosts[0])
        return None if url is None else cls(url, options.get("prefix", "asgi"))


class _StartOnFirstLook:
    """Stands in for a set until the index is started (on the first membership test)."""

    def __init__(self, index: WatchIndex, name: str):
        self.index, self.name = index, name

    def __contains__(self, item: object) -> bool:
        self.index.start()
        return item in getattr(self.index, self.name)

    def __bool__(self) -> bool:
        self.index.start()
        return bool(getattr(self.index, self.name))


class WatchIndex:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._local: Counter[Key] = Counter()
        self._remote: frozenset[Key] = frozenset()
        self._registry: RedisWatchRegistry | None = None
        self._wakeup = threading.Event()
        self._new_keys: set[Key] = set()
        self._pid: int | None = None
        self._reset()

    def _reset(self) -> None:
        self._pid = None
        self._local = Counter()
        self._remote = frozenset()
        self._registry = None
        self._new_keys = set()
        self._wakeup = threading.Event()
        self.executions: Any = _StartOnFirstLook(self, "executions")
        self.workflows: Any = _StartOnFirstLook(self, "workflows")
        self.owners: Any = _StartOnFirstLook(self, "owners")
        self.anything: Any = _StartOnFirstLook(self, "anything")  # any stream watched at all

    @property
    def shared(self) -> bool:
        """True when watchers of other processes count (the Redis layer)."""
        self.start()
        return self._registry is not None

    def start(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._registry = None if layer_is_in_memory() else RedisWatchRegistry.from_settings()
            if self._registry is not None:
                self._remote = self._read_remote()
                threading.Thread(target=self._refresh_forever, name="live-watchers", daemon=True).start()
            self._rebuild()
            self._pid = os.getpid()

    # --- consumers (this process) -------------------------------------------------------

    def add(self, keys: Iterable[Key]) -> list[Key]:
        """Count a watcher of ``keys``; the keys this process did not watch yet."""
        self.start()
        with self._lock:
            new = [key for key in keys if self._local[key] == 0]
            for key in keys:
                self._local[key] += 1
            if new:
                self._rebuild()
        return new

    def remove(self, keys: Iterable[Key]) -> None:
        with self._lock:
            changed = False
            for key in keys:
                self._local[key] -= 1
                if self._local[key] <= 0:
                    del self._local[key]
                    changed = True
            if changed:
                self._rebuild()

    def announce(self, keys: list[Key]) -> None:
        """Write new keys to Redis now (blocking: call it off the event loop)."""
        if self._registry is None or not keys:
            return
        try:
            self._registry.touch(keys)
        except Exception as error:  # Redis down: the background thread retries
            log.warning("live: could not announce watchers: %s", error)
            with self._lock:
                self._new_keys.update(keys)
            self._wakeup.set()

    # --- internals --------------------------------------------------------------------------

    def _rebuild(self) -> None:
        keys = set(self._local) | self._remote
        self.executions = frozenset(number for kind, number in keys if kind == "e")
        self.workflows = frozenset(number for kind, number in keys if kind == "w")
        self.owners = frozenset(number for kind, number in keys if kind == "u")
        self.anything = bool(keys)

    def _read_remote(self) -> frozenset[Key]:
        assert self._registry is not None
        try:
            return self._registry.live_keys()
        except Exception as error:
            log.warning("live: could not read watchers from Redis: %s", error)
            return self._remote

    def _refresh_forever(self) -> None:
        registry = self._registry
        renewed = 0.0
        while registry is self._registry and registry is not None:
            self._wakeup.wait(REFRESH_SECONDS)
            self._wakeup.clear()
            try:
                with self._lock:
                    pending, self._new_keys = self._new_keys, set()
                if time.monotonic() - renewed >= RENEW_SECONDS:
                    with self._lock:
                        pending |= set(self._local)
                    registry.forget_expired()
                    renewed = time.monotonic()
                if pending:
                    registry.touch(pending)
                remote = registry.live_keys()
            except Exception as error:
                log.warning("live: watcher registry: %s", error)
                time.sleep(1.0)
                continue
            if remote != self._remote:
                with self._lock:
                    self._remote = remote
                    self._rebuild()


index = WatchIndex()
# A forked child (Celery prefork) starts afresh: the parent's thread and sets are not its own.
os.register_at_fork(after_in_child=index._reset)

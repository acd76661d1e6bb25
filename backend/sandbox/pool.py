"""``FunctionPool``: run stored functions in a pool of long-lived worker processes."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
import weakref
from collections.abc import Mapping
from typing import Any

from backend.sandbox import errors
from backend.sandbox.protocol import FrameTimeout
from backend.sandbox.result import InvocationResult
from backend.sandbox.spec import FunctionSpec
from backend.sandbox.worker import WorkerDied, WorkerProcess, WorkerStartError, default_worker_env

# Lambda's synchronous response limit.
DEFAULT_MAX_RESPONSE_BYTES = 6 * 1024 * 1024
DEFAULT_MAX_LOG_BYTES = 64 * 1024
DEFAULT_CODE_CACHE_SIZE = 64
DEFAULT_START_TIMEOUT_S = 30.0


class PoolClosedError(RuntimeError):
    """``invoke`` on a pool that was closed."""


class FunctionPool:
    """A fixed number of worker processes that run functions, one invocation each at a time.

    ``invoke`` is thread-safe: callers beyond ``size`` wait for a free worker. A
    function that hangs, crashes or runs out of memory costs its own worker, which
    is replaced; the other workers and the calling process carry on.

    ``python`` is the interpreter the workers run (default: this one, so they see
    the same installed packages); ``env`` the variables every worker starts with
    (default ``default_worker_env()``: not this process's secrets).
    ``max_invocations_per_worker`` recycles workers after that many invocations.
    """

    def __init__(
        self,
        size: int | None = None,
        *,
        python: str = sys.executable,
        env: Mapping[str, str] | None = None,
        max_log_bytes: int = DEFAULT_MAX_LOG_BYTES,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        code_cache_size: int = DEFAULT_CODE_CACHE_SIZE,
        max_invocations_per_worker: int | None = None,
        start_timeout_s: float = DEFAULT_START_TIMEOUT_S,
    ):
        self.size = size if size is not None else (os.cpu_count() or 1)
        if self.size < 1:
            raise ValueError(f"FunctionPool size must be >= 1, got {self.size}")
        self._python = python
        self._env = dict(default_worker_env() if env is None else env)
        self._max_log_bytes = max_log_bytes
        self._max_response_bytes = max_response_bytes
        self._code_cache_size = code_cache_size
        self._max_invocations = max_invocations_per_worker
        self._start_timeout_s = start_timeout_s
        self._closed = False
        self._start_empty()
        pool = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: _forget_workers_after_fork(pool))
        for _ in range(self.size):
            worker = self._spawn()
            self._workers.add(worker)
            self._idle.append(worker)

    def _start_empty(self) -> None:
        """State with no workers yet (``_acquire`` starts them up to ``size``)."""
        # The workers' working directory (and home of their log files): functions
        # writing relative paths write here, not into the server's directory.
        self._workdir = tempfile.mkdtemp(prefix="function-sandbox-")
        self._cond = threading.Condition()
        self._idle: list[WorkerProcess] = []
        self._workers: set[WorkerProcess] = set()
        self._busy = 0
        self._finalizer = weakref.finalize(self, _kill_all, self._workers, self._workdir)

    # -- public API ---------------------------------------------------------

    def invoke(
        self,
        spec: FunctionSpec,
        event: Any,
        *,
        context: Mapping[str, Any] | None = None,
        timeout_s: float | None = None,
    ) -> InvocationResult:
        """Run ``spec``'s handler on ``event``; never raises for what the function does.

        ``context`` may carry ``request_id`` (else a fresh UUID) and any JSON values
        the handler's ``context`` object should expose as attributes (e.g.
        ``invoked_function_arn``). ``timeout_s`` caps the function's own timeout,
        e.g. with what is left of a Task's ``TimeoutSeconds``; either way the
        error is ``Sandbox.Timedout`` and the caller, knowing its own deadline,
        decides whether that is a ``States.Timeout``.
        """
        extra = dict(context or {})
        request_id = str(extra.pop("request_id", None) or uuid.uuid4())
        timeout = spec.timeout_s if timeout_s is None else min(spec.timeout_s, timeout_s)
        if timeout <= 0:  # the caller's time is up already: no worker to sacrifice
            message = errors.platform_message(request_id, errors.timed_out_message(0))
            cause = errors.error_cause(message, errors.TIMEDOUT)
            return InvocationResult(request_id, error=errors.TIMEDOUT, cause=cause)
        try:
            body = json.dumps(event, allow_nan=False).encode()
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"event for function {spec.name!r} is not JSON-serialisable: {exc}"
            ) from None
        if extra:
            try:
                json.dumps(extra, allow_nan=False)
            except (TypeError, ValueError) as exc:
                raise TypeError(
                    f"context for function {spec.name!r} is not JSON-serialisable: {exc}"
                ) from None
        header = {
            "op": "invoke",
            "request_id": request_id,
            "key": spec.key,
            "name": spec.name,
            "version": spec.version,
            "handler": spec.handler,
            "module": spec.module_name,
            "filename": spec.filename,
            "env": dict(spec.env),
            "timeout_ms": max(1, int(timeout * 1000)),
            "memory_mb": spec.memory_mb,
            "max_response_bytes": self._max_response_bytes,
            "context": extra,
        }
        while True:
            worker = self._acquire(spec.key)
            if isinstance(worker, InvocationResult):
                return InvocationResult(
                    request_id, error=worker.error, cause=worker.cause, logs=worker.logs
                )
            result = self._run(worker, spec, header, body, timeout)
            if result is not None:
                return result

    def close(self, timeout_s: float | None = None) -> None:
        """Stop taking invocations, let running ones finish, stop every worker.

        Waits up to ``timeout_s`` (default: as long as it takes; each invocation is
        bounded by its own timeout) for running invocations, then kills what is left.
        """
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
            deadline = None if timeout_s is None else time.monotonic() + timeout_s
            while self._busy:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                self._cond.wait(left)
            idle, self._idle = self._idle, []
            self._workers.difference_update(idle)
            busy = list(self._workers)
        for worker in idle:
            worker.dispose()
        # A busy worker's pipes belong to the thread running its invocation: kill the
        # process only; that thread sees it die and disposes of it.
        for worker in busy:
            worker.halt()
        if busy:
            shutil.rmtree(self._workdir, ignore_errors=True)
        else:
            self._finalizer()

    def __enter__(self) -> FunctionPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def worker_pids(self) -> list[int]:
        """Process ids of the current workers (for monitoring and tests)."""
        with self._cond:
            return sorted(worker.pid for worker in self._workers)

    # -- one invocation -----------------------------------------------------

    def _run(
        self, worker: WorkerProcess, spec: FunctionSpec, header: dict, body: bytes, timeout: float
    ) -> InvocationResult | None:
        """The outcome, or ``None`` when the worker died before taking the request."""
        request_id = header["request_id"]
        started = time.monotonic()
        deadline = started + timeout
        replace = True  # unless the worker answered normally: never reuse one in doubt
        try:
            reply, payload = self._call(worker, spec, header, body, deadline)
        except FrameTimeout:
            worker.halt()
            message = errors.platform_message(request_id, errors.timed_out_message(timeout))
            result = self._failure(worker, request_id, errors.TIMEDOUT, message, started)
        except WorkerDied as died:
            message = errors.platform_message(request_id, errors.exit_message(worker.exit_status()))
            if died.request_read:
                result = self._failure(worker, request_id, errors.EXIT_ERROR, message, started)
            else:  # killed from outside while idle: the function never ran
                result = None
        else:
            worker.invocations += 1
            replace = reply.get("retire", False) or (
                self._max_invocations is not None and worker.invocations >= self._max_invocations
            )
            logs = worker.take_logs(reply.get("log_dropped", 0))
            duration_ms = (time.monotonic() - started) * 1000.0
            if reply.get("ok"):
                result = InvocationResult(
                    request_id, payload.decode(), logs=logs, duration_ms=duration_ms
                )
            else:
                result = InvocationResult(
                    request_id,
                    error=reply["error"],
                    cause=reply["cause"],
                    logs=logs,
                    duration_ms=duration_ms,
                )
        finally:
            if replace:
                self._replace(worker)
            else:
                self._release(worker)
        return result

    def _call(
        self, worker: WorkerProcess, spec: FunctionSpec, header: dict, body: bytes, deadline: float
    ) -> tuple[dict, bytes]:
        if spec.key not in worker.known_keys:
            header = {**header, "source": spec.source}
        reply = worker.call(header, body, deadline)
        if reply[0].get("op") == "need_source":  # the worker's cache dropped this version
            reply = worker.call({**header, "source": spec.source}, body, deadline)
        if len(worker.known_keys) >= self._code_cache_size:
            worker.known_keys.clear()
        worker.known_keys.add(spec.key)
        return reply

    @staticmethod
    def _failure(
        worker: WorkerProcess, request_id: str, error: str, message: str, started: float
    ) -> InvocationResult:
        return InvocationResult(
            request_id,
            error=error,
            cause=errors.error_cause(message, error),
            logs=worker.take_logs(),
            duration_ms=(time.monotonic() - started) * 1000.0,
        )

    # -- the workers --------------------------------------------------------

    def _spawn(self) -> WorkerProcess:
        # A function may have deleted the shared working directory.
        os.makedirs(self._workdir, exist_ok=True)
        return WorkerProcess(
            python=self._python,
            cwd=self._workdir,
            env=self._env,
            max_log_bytes=self._max_log_bytes,
            cache_size=self._code_cache_size,
        )

    def _acquire(self, key: str) -> WorkerProcess | InvocationResult:
        """A ready worker for one invocation (preferring one that has ``key`` loaded).

        An ``InvocationResult`` (``Lambda.ServiceException``) when a worker would not start.
        """
        while True:
            with self._cond:
                while True:
                    if self._closed:
                        raise PoolClosedError("the function pool is closed")
                    if self._idle:
                        break
                    if len(self._workers) < self.size:  # a replacement failed to spawn earlier
                        self._workers.add(worker := self._spawn())
                        self._idle.append(worker)
                        break
                    self._cond.wait()
                worker = self._take_idle(key)
                self._busy += 1
            if not worker.ready:
                try:
                    worker.wait_ready(time.monotonic() + self._start_timeout_s)
                except WorkerStartError as exc:
                    self._replace(worker)
                    failure = errors.error_cause(str(exc), errors.SERVICE_EXCEPTION)
                    return InvocationResult("", error=errors.SERVICE_EXCEPTION, cause=failure)
            if worker.alive():
                return worker
            worker.exit_status()  # died while idle (e.g. killed from outside): reap, replace, retry
            self._replace(worker)

    def _take_idle(self, key: str) -> WorkerProcess:
        # Most recently used first (its caches are warmest); one that already loaded
        # this code version wins. Called with the lock held.
        for index in range(len(self._idle) - 1, -1, -1):
            if key in self._idle[index].known_keys:
                return self._idle.pop(index)
        return self._idle.pop()

    def _release(self, worker: WorkerProcess) -> None:
        with self._cond:
            self._busy -= 1
            closed = self._closed
            if closed:
                self._workers.discard(worker)
            else:
                self._idle.append(worker)
            self._cond.notify_all()
        if closed:
            worker.dispose()

    def _replace(self, worker: WorkerProcess) -> None:
        """Retire ``worker`` and start a fresh one in its place (outside the lock)."""
        worker.dispose()
        fresh: WorkerProcess | None = None
        with self._cond:
            closed = self._closed
        if not closed:
            try:
                fresh = self._spawn()
            except OSError:
                fresh = None  # out of processes or fds: ``_acquire`` tries again later
        with self._cond:
            self._workers.discard(worker)
            self._busy -= 1
            if fresh is not None:
                if self._closed:
                    fresh.dispose()
                else:
                    self._workers.add(fresh)
                    self._idle.append(fresh)
            self._cond.notify_all()


def _forget_workers_after_fork(pool_ref: weakref.ref[FunctionPool]) -> None:
    """In a forked child: the parent's workers (and lock) are the parent's.

    Drop them without killing them (the child's exit must not stop them either)
    and start afresh: the child's first invocations spawn its own workers.
    """
    pool = pool_ref()
    if pool is None:
        return
    pool._finalizer.detach()
    pool._start_empty()


def _kill_all(workers: set[WorkerProcess], workdir: str) -> None:
    """Last resort (pool closed, collected or interpreter exiting): no process outlives the pool."""
    for worker in list(workers):
        worker.dispose()
    workers.clear()
    shutil.rmtree(workdir, ignore_errors=True)

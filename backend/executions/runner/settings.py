"""The runner's knobs, read from Django settings (``ENGINE_*``) with these defaults."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # A runner owns an execution for this long after its last commit or renewal; a runner
    # that died is replaced this long after it stopped renewing.
    "ENGINE_LEASE_SECONDS": 30.0,
    # Waits (and retry back-offs) at most this long sleep in the runner thread; longer
    # ones park the execution on a Timer row and free the thread.
    "ENGINE_INLINE_WAIT_SECONDS": 0.25,
    # How often an execution waiting for a Task result nobody announces (a ``.sync`` Celery
    # task) wakes to look for it.
    "ENGINE_TASK_POLL_SECONDS": 1.0,
    # How often an idle runner loop looks for due timers and runnable executions.
    "ENGINE_POLL_SECONDS": 0.1,
    # Threads of one runner loop (each drives one execution at a time).
    "ENGINE_THREADS": 4,
    # Start the runner loop inside the ASGI server process (embedded mode).
    "ENGINE_EMBEDDED": True,
    # Record a summary row (status, input, output, no history) of each Express execution.
    "ENGINE_EXPRESS_RECORD": True,
}


def engine_setting(name: str):  # type: ignore[no-untyped-def]
    return getattr(settings, name, DEFAULTS[name])


def celery_enabled() -> bool:
    """Executions go to Celery workers when a real broker is configured (not eager mode)."""
    return not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True)

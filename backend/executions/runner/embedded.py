"""Embedded mode: the runner loop inside the ASGI server process (``backend/asgi.py``).

Started once per process when the ASGI application is built, unless ``ENGINE_EMBEDDED``
is off or executions go to Celery workers. ``manage.py runengine`` processes may run
beside it on the same database; leases keep them from driving the same execution.
"""

from __future__ import annotations

import atexit
import threading

from backend.executions.runner.loop import RunnerLoop
from backend.executions.runner.settings import celery_enabled, engine_setting

_loop: RunnerLoop | None = None
_lock = threading.Lock()


def start_embedded_runner() -> RunnerLoop | None:
    global _loop
    if not engine_setting("ENGINE_EMBEDDED") or celery_enabled():
        return None
    with _lock:
        if _loop is None:
            _loop = RunnerLoop().start()
            atexit.register(_loop.stop, 5.0)
    return _loop

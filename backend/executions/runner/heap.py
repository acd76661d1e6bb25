"""The garbage collector in processes that run executions.

An execution allocates many short-lived containers (states' inputs and outputs, events),
so the collector runs often; each full collection also walked everything the process
made while starting (Django, the apps, compiled programs: ~100,000 objects), which cost
choice_loop ~20% of its CPU time. ``freeze_startup_heap()`` moves what exists when a runner
starts to the collector's permanent generation (``gc.freeze``), so collections walk only
what runs create. Called once per process by the runner loop, the Celery tasks and
``bench_runtime``.
"""

from __future__ import annotations

import gc
import threading

_frozen = False
_lock = threading.Lock()


def freeze_startup_heap() -> None:
    global _frozen
    if _frozen:
        return
    with _lock:
        if not _frozen:
            gc.collect()  # garbage frozen now would never be freed
            gc.freeze()
            _frozen = True

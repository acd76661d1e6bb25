"""The process-wide sandbox worker pool that runs functions for this Django process."""

from __future__ import annotations

import threading

from backend.sandbox import FunctionPool

_pool: FunctionPool | None = None
_lock = threading.Lock()


def shared_function_pool() -> FunctionPool:
    """Started on first use (workers cost memory; a web process may never call a function)."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = FunctionPool()
        return _pool

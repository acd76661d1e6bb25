"""Run users' functions (``handler(event, context)``) isolated from the engine.

Pure Python, no Django. The public API::

    from backend.sandbox import FunctionPool, FunctionSpec

    with FunctionPool(size=4) as pool:
        code = "def handler(event, context):\\n    return event * 2\\n"
        spec = FunctionSpec("double", source=code)
        result = pool.invoke(spec, 21, context={})
        result.payload  # 42, or result.error / result.cause on failure

See README.md in this directory for the design and the error names.

Exports are loaded on first use: worker processes import this package too (for
``runtime``) and should not pay for the pool's imports at every start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["FunctionPool", "FunctionSpec", "InvocationResult", "PoolClosedError"]

_EXPORTS = {
    "FunctionPool": "backend.sandbox.pool",
    "PoolClosedError": "backend.sandbox.pool",
    "FunctionSpec": "backend.sandbox.spec",
    "InvocationResult": "backend.sandbox.result",
}

if TYPE_CHECKING:
    from backend.sandbox.pool import FunctionPool, PoolClosedError
    from backend.sandbox.result import InvocationResult
    from backend.sandbox.spec import FunctionSpec


def __getattr__(name: str) -> object:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)

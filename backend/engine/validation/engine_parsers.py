"""Ask the engine's own compilers whether an expression is valid.

Validation and execution must agree on what a path, an intrinsic call or a JSONata
expression is, so the engine's compilers have the last word. They are looked up
lazily: when one is missing or fails in an unexpected way, the caller falls back to
its own checks instead of letting a traceback reach the user.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from backend.engine.errors import DefinitionError


class EngineUnavailable(Exception):
    """The engine has no usable compiler for this; use the validator's own check."""


_MISSING = object()
_cache: dict[tuple[str, str], Any] = {}


def _compiler(module: str, name: str) -> Callable[..., Any] | None:
    key = (module, name)
    found = _cache.get(key, _MISSING)
    if found is _MISSING:
        try:
            found = getattr(importlib.import_module(f"backend.engine.{module}"), name, None)
        except Exception:  # a half-written module must not break validation
            found = None
        _cache[key] = found
    return found


def engine_verdict(module: str, name: str, *args: Any, **kwargs: Any) -> DefinitionError | None:
    """None when the engine compiles it, the DefinitionError when it rejects it.

    Raises EngineUnavailable when the compiler is missing or crashed.
    """
    compiler = _compiler(module, name)
    if compiler is None:
        raise EngineUnavailable(f"{module}.{name}")
    try:
        compiler(*args, **kwargs)
    except DefinitionError as exc:
        return exc
    except Exception as exc:  # NotImplementedError, or a bug in a compiler still being written
        raise EngineUnavailable(f"{module}.{name}: {exc!r}") from None
    return None

"""What a stored function is, as far as running it goes."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

# Lambda's defaults: 3 seconds, 128 MB.
DEFAULT_TIMEOUT_S = 3.0
DEFAULT_MEMORY_MB = 128
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True, eq=False)
class FunctionSpec:
    """A function's code and configuration.

    Give the code as ``source`` text or as a ``path`` to a ``.py`` file (read once,
    here). ``version`` names this exact code and configuration: workers cache the
    loaded module per ``(name, version)``, so two specs with the same name and
    version must be the same function. Left out, it is a hash of everything that
    affects a run (code, handler, env, limits), so editing any of them reloads.
    """

    name: str
    source: str | None = None
    path: str | Path | None = None
    handler: str = "handler"
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB
    env: Mapping[str, str] = field(default_factory=dict)
    version: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError("FunctionSpec.name must be a non-empty string")
        if (self.source is None) == (self.path is None):
            raise ValueError(f"function {self.name!r}: give exactly one of source and path")
        if not _IDENTIFIER.match(self.handler):
            raise ValueError(
                f"function {self.name!r}: handler {self.handler!r} is not a Python identifier"
            )
        if not self.timeout_s > 0:
            raise ValueError(
                f"function {self.name!r}: timeout_s must be > 0, got {self.timeout_s!r}"
            )
        if not (isinstance(self.memory_mb, int) and self.memory_mb > 0):
            raise ValueError(
                f"function {self.name!r}: memory_mb must be a positive int, got {self.memory_mb!r}"
            )
        for key, value in self.env.items():
            if (
                not (isinstance(key, str) and isinstance(value, str))
                or not key
                or "=" in key
                or "\0" in key + value
            ):
                raise ValueError(
                    f"function {self.name!r}: bad environment variable {key!r}={value!r}"
                )
        set_ = object.__setattr__  # frozen: normalise once, at construction
        set_(self, "env", MappingProxyType(dict(self.env)))
        if self.path is not None:
            set_(self, "path", str(Path(self.path).resolve()))
            set_(self, "source", Path(self.path).read_text(encoding="utf-8"))
        if self.version is None:
            set_(self, "version", self._fingerprint())

    @property
    def key(self) -> str:
        """The cache key of this code version in a worker."""
        return f"{self.name}\0{self.version}"

    @property
    def module_name(self) -> str:
        """``__name__`` of the loaded code: the file's stem, else the function's name."""
        return Path(self.path).stem if self.path is not None else self.name

    @property
    def filename(self) -> str:
        """What tracebacks show as the code's file."""
        return str(self.path) if self.path is not None else f"{self.name}.py"

    def _fingerprint(self) -> str:
        material = json.dumps(
            [
                self.source,
                self.filename,
                self.handler,
                self.timeout_s,
                self.memory_mb,
                sorted(self.env.items()),
            ]
        )
        return hashlib.sha256(material.encode()).hexdigest()[:16]

"""What an expression (path, payload template, intrinsic, JSONata) may read.

The interpreter hands every compiled expression an object with this shape. It
is a Protocol so that the interpreter can use whatever fast object it likes
(the Context Object is built only when an expression asks for it).
"""

from __future__ import annotations

from typing import Any, Protocol


class EvalScope(Protocol):
    def context_object(self) -> dict:
        """The Context Object (``$$`` in JSONPath, ``$states.context`` in JSONata)."""

    def get_variable(self, name: str) -> Any:
        """Value of workflow variable ``name``; raises ``KeyError`` when unset."""

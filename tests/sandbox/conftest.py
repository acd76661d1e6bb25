"""Real worker processes, no mocks: the pool fixture of the sandbox suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from backend.sandbox import FunctionPool


@pytest.fixture(scope="module")
def pool() -> Iterator[FunctionPool]:
    """A two-worker pool shared by a module's tests (worker replacement included)."""
    with FunctionPool(size=2) as shared:
        yield shared

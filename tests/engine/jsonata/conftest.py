"""Fixtures of the JSONata suite."""

from __future__ import annotations

import pytest

from tests.engine.jsonata.support import FakeScope


@pytest.fixture
def scope() -> FakeScope:
    return FakeScope()

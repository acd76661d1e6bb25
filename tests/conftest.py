"""Fixtures shared by every suite."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout's root folder (where manage.py and the Makefile are)."""
    return REPO_ROOT


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The end-to-end tests run last: Playwright's sync API keeps an event loop running in
    the main thread until the session ends, and the asyncio suites need that thread free."""
    e2e_dir = REPO_ROOT / "tests" / "e2e"
    items.sort(key=lambda item: Path(str(item.path)).is_relative_to(e2e_dir))  # stable: order kept otherwise

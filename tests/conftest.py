"""Fixtures shared by every suite."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout's root folder (where manage.py and the Makefile are)."""
    return REPO_ROOT

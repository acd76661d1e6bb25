"""Fixtures for the integrations suite: a user, a run role, a real sandbox pool."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from backend.sandbox import FunctionPool
from backend.workflows.models import RunRole
from backend.workflows.services import role_create
from tests.integrations.support import EVERYTHING


@pytest.fixture
def owner(db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_user(username="alice")


@pytest.fixture
def open_role(owner: AbstractBaseUser) -> RunRole:
    """A role that allows every resource."""
    return role_create(owner=owner, name="everything", allowed_resources=EVERYTHING)


@pytest.fixture(scope="module")
def function_pool() -> Iterator[FunctionPool]:
    """Real sandbox worker processes, shared by a module's tests."""
    with FunctionPool(size=2) as pool:
        yield pool

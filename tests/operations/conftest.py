"""Fixtures for the operations apps: schedules, audit log, alerts, connections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from backend.workflows.models import WorkflowTemplate
from backend.workflows.services import template_create

PASS_DEFINITION = '{"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}'


@pytest.fixture
def owner(db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_user(username="ops")


@pytest.fixture
def make_template(owner: AbstractBaseUser) -> Callable[..., WorkflowTemplate]:
    def make(name: str = "etl", definition: str = PASS_DEFINITION, **kwargs: Any) -> WorkflowTemplate:
        return template_create(owner=kwargs.pop("owner", owner), name=name, definition=definition, **kwargs)

    return make


@pytest.fixture
def template(make_template: Callable[..., WorkflowTemplate]) -> WorkflowTemplate:
    return make_template()

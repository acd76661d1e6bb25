"""Fixtures for the service API tests: two users who must not see each other's things, staff, clients."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from backend.accounts.services import credential_create
from backend.workflows.services import function_create, role_create, template_create

PASS_DEFINITION = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}
SUM_SOURCE = "def handler(event, context):\n    return sum(event['values'])\n"


@pytest.fixture
def alice(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_user("alice", password="alice-pass-123")


@pytest.fixture
def bob(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_user("bob", password="bob-pass-123")


@pytest.fixture
def staff(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_user("root", password="root-pass-123", is_staff=True)


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def alice_api(alice: User) -> APIClient:
    return client_for(alice)


@pytest.fixture
def bob_api(bob: User) -> APIClient:
    return client_for(bob)


def grant(user: User, *codenames: str) -> User:
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)  # permissions are cached per instance


@pytest.fixture
def alice_things(alice: User) -> dict[str, Any]:
    """A role, a function and a workflow of alice's."""
    role = role_create(owner=alice, name="alice-role", allowed_resources=["arn:aws:lambda:*:*:function:*"])
    function = function_create(owner=alice, name="sum", source=SUM_SOURCE)
    template = template_create(owner=alice, name="alice-flow", definition=json.dumps(PASS_DEFINITION), role=role)
    return {"role": role, "function": function, "template": template}


@pytest.fixture
def alice_keys(alice: User) -> tuple[str, str]:
    issued = credential_create(owner=alice)
    return issued.credential.secret_id, issued.secret_key


@pytest.fixture
def bob_keys(bob: User) -> tuple[str, str]:
    issued = credential_create(owner=bob)
    return issued.credential.secret_id, issued.secret_key

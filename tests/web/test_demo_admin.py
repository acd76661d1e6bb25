"""`manage.py ensure_demo_admin` (what `make run DEMO_ADMIN=1` calls)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client


@pytest.mark.django_db
def test_creates_a_superuser_who_can_log_in(client: Client) -> None:
    call_command("ensure_demo_admin", "--password", "demo-pass-1")

    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert client.login(username="admin", password="demo-pass-1")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_keeps_an_existing_password_unless_asked() -> None:
    call_command("ensure_demo_admin", "--password", "first")
    call_command("ensure_demo_admin", "--password", "second")
    user = get_user_model().objects.get(username="admin")
    assert user.check_password("first")

    call_command("ensure_demo_admin", "--password", "third", "--reset-password")
    user.refresh_from_db()
    assert user.check_password("third")
    assert get_user_model().objects.count() == 1

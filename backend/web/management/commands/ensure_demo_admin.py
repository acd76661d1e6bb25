"""`manage.py ensure_demo_admin`: make sure a superuser exists to try the admin with.

Used by `make run DEMO_ADMIN=1`. Idempotent: an existing user keeps its password
unless --reset-password is given.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Create a demo superuser if it does not exist yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="admin")
        parser.add_argument(
            "--reset-password", action="store_true", help="set the password even if the user exists"
        )

    def handle(self, *args: Any, username: str, password: str, reset_password: bool, **options: Any) -> None:
        users = get_user_model()
        user, created = users.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if created or reset_password:
            user.set_password(password)
            user.save()
            self.stdout.write(f"Demo admin {username!r} ready (password {password!r}).")
        else:
            self.stdout.write(f"Demo admin {username!r} already exists; password unchanged.")

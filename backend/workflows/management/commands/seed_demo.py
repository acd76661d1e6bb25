"""``manage.py seed_demo``: the sum function, a workflow calling it and a few more examples."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from backend.workflows.demo_data import DEMO_ROLE_NAME, demo_seed


class Command(BaseCommand):
    help = "Store the demo functions, run roles and workflows (idempotent: a second run changes nothing)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--owner", default="demo", help="user who owns the demo data (created if missing)")
        parser.add_argument("--password", default="",
                            help="let the owner sign in with this password (set on every run; default: no login)")

    def handle(self, *args: Any, owner: str, password: str = "", **options: Any) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(**{user_model.USERNAME_FIELD: owner})
        if password:
            user.set_password(password)  # `make run DEMO_PASSWORD=...`: sign in to the web UI as the demo's owner
            user.save(update_fields=["password"])
            self.stdout.write(f"user {owner}: can sign in with the given password")
        elif created:
            user.set_unusable_password()  # an owner of data, not a login
            user.save(update_fields=["password"])
        report = demo_seed(owner=user)
        for name, action in report.functions.items():
            self.stdout.write(f"function {name}: {action}")
        self.stdout.write(f"run role {DEMO_ROLE_NAME}: {report.role}")
        for name, action in report.client_roles.items():
            self.stdout.write(f"run role {name}: {action}")
        for name, action in report.workflows.items():
            self.stdout.write(f"workflow {name}: {action}")

"""``manage.py load_functions FOLDER --owner USER``: one function per NAME.py (and optional NAME.json)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from backend.workflows.errors import ServiceError
from backend.workflows.services import load_functions_from_folder


class Command(BaseCommand):
    help = "Create or update functions from a folder of NAME.py files (settings in an optional NAME.json)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--owner", required=True, help="username of the functions' owner")

    def handle(self, *args: Any, folder: Path, owner: str, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: owner})
        except user_model.DoesNotExist:
            raise CommandError(f"no user named {owner!r}") from None
        try:
            loaded = load_functions_from_folder(owner=user, folder=folder)
        except ServiceError as error:
            raise CommandError(error.message) from None
        for item in loaded:
            self.stdout.write(f"function {item.function.name}: {item.action}")
        if not loaded:
            self.stdout.write(f"no .py files in {folder}")

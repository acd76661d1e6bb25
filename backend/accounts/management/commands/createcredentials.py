"""python manage.py createcredentials USER -> prints SecretId=... SecretKey=..."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from backend.accounts.services import credential_create


class Command(BaseCommand):
    help = "Create a SecretId/SecretKey pair for USER (for the ASW and Step Functions APIs). The key is shown once."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--create-user", action="store_true", help="create the user (no password) if missing")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        User = get_user_model()
        username = options["username"]
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            if not options["create_user"]:
                raise CommandError(f"No user named {username!r} (use --create-user to create one).") from None
            user = User.objects.create_user(**{User.USERNAME_FIELD: username})
            user.set_unusable_password()
            user.save()
        issued = credential_create(owner=user)
        self.stdout.write(f"SecretId={issued.credential.secret_id} SecretKey={issued.secret_key}")

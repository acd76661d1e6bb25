"""Write side of accounts: issuing and revoking SecretId/SecretKey pairs."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from backend.accounts.models import ApiCredential
from backend.accounts.secret_box import seal

# Tencent's SecretIds start with "AKID" and are 36 characters; AWS access keys are 20
# upper-case characters. Ours look like Tencent's and are accepted by both SDKs.
_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


class IssuedCredential(NamedTuple):
    credential: ApiCredential
    secret_key: str  # shown once, to the caller


@transaction.atomic
def credential_create(*, owner: AbstractBaseUser) -> IssuedCredential:
    secret_id = "AKID" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(32))
    secret_key = secrets.token_urlsafe(30)
    credential = ApiCredential.objects.create(owner=owner, secret_id=secret_id, sealed_secret_key=seal(secret_key))
    return IssuedCredential(credential, secret_key)


# last_used_at is a hint for people reviewing their keys, not an audit log: written at most
# this often, so signed requests do not each cost a database write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def credential_touch(*, secret_id: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    ApiCredential.objects.filter(secret_id=secret_id).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)


def credential_revoke(*, credential: ApiCredential) -> None:
    credential.is_active = False
    credential.save(update_fields=["is_active"])

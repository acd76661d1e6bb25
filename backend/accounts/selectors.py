"""Read side of accounts: resolving a SecretId to its user and key."""

from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser

from backend.accounts.models import ApiCredential
from backend.accounts.secret_box import open_sealed


class SigningKey(NamedTuple):
    user: AbstractBaseUser
    secret_key: str
    secret_id: str


def signing_key_get(*, secret_id: str) -> SigningKey | None:
    """The active pair's user and SecretKey; None for unknown, revoked or undecryptable ids,
    and for users who can no longer sign in."""
    if not isinstance(secret_id, str) or not 1 <= len(secret_id) <= 64:
        return None
    row = ApiCredential.objects.select_related("owner").filter(secret_id=secret_id, is_active=True).first()
    if row is None or not row.owner.is_active:
        return None
    secret_key = open_sealed(row.sealed_secret_key)
    return None if secret_key is None else SigningKey(row.owner, secret_key, row.secret_id)

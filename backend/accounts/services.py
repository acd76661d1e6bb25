"""Write side of accounts: issuing and revoking SecretId/SecretKey pairs."""

from __future__ import annotations

import secrets
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

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


def credential_revoke(*, credential: ApiCredential) -> None:
    credential.is_active = False
    credential.save(update_fields=["is_active"])

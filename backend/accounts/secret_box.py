"""Encryption at rest for SecretKeys.

HMAC signatures (TC3, SigV4) are computed from the SecretKey itself, so the server must
be able to recover it: a hash is not enough. Keys are stored encrypted with Fernet
(AES-128-CBC + HMAC-SHA256). The encryption key comes from ``CREDENTIALS_ENCRYPTION_KEY``
(any string; hashed to 32 bytes) or, when that is not set, from ``SECRET_KEY``. Rotating
the key without re-encrypting makes the stored credentials unusable (they then answer
as unknown SecretIds).
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(material: str) -> Fernet:
    digest = hashlib.sha256(b"secret-box:" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _box() -> Fernet:
    return _fernet(getattr(settings, "CREDENTIALS_ENCRYPTION_KEY", None) or settings.SECRET_KEY)


def seal(plaintext: str) -> str:
    return _box().encrypt(plaintext.encode()).decode()


def open_sealed(token: str) -> str | None:
    """The plaintext, or None when it was sealed with another key (or tampered with)."""
    try:
        return _box().decrypt(token.encode()).decode()
    except InvalidToken:
        return None

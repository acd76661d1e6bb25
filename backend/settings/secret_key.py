"""SECRET_KEY: from DJANGO_SECRET_KEY, else generated once and kept in the data folder.

A self-hosted install must not use a key published in the source, and a key that
changed at every start would log everyone out; so the first start writes one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path


def secret_key(environ: Mapping[str, str], key_file: Path) -> str:
    from_env = environ.get("DJANGO_SECRET_KEY")
    if from_env:
        return from_env
    if not key_file.exists():
        _create(key_file)
    key = key_file.read_text().strip()
    if not key:
        raise RuntimeError(f"{key_file} is empty: delete it or set DJANGO_SECRET_KEY")
    return key


def _create(key_file: Path) -> None:
    """Write a fresh key; when two processes start at once, the first link wins."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    draft = key_file.with_name(f".{key_file.name}.{os.getpid()}")
    draft.write_text(secrets.token_urlsafe(50))
    draft.chmod(0o600)
    try:
        os.link(draft, key_file)  # atomic: never a half-written key file
    except FileExistsError:
        pass
    finally:
        draft.unlink()

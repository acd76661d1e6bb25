"""DATABASES: SQLite in WAL mode by default; PostgreSQL (psycopg 3) when configured.

Precedence: DATABASE_URL, then POSTGRES_* (the names the official PostgreSQL image
uses), then SQLite at SQLITE_PATH or DATA_DIR/db.sqlite3.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# WAL lets the web requests read while an execution writes; synchronous=NORMAL is
# durable across process crashes (only an OS crash can lose the last commits) and
# avoids an fsync per transaction. IMMEDIATE transactions take the write lock up
# front, so concurrent writers wait (busy timeout) instead of failing mid-transaction.
SQLITE_INIT_COMMAND = "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL"
SQLITE_BUSY_TIMEOUT_S = 20

_POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def database_settings(environ: Mapping[str, str], data_dir: Path) -> dict[str, dict[str, Any]]:
    """The DATABASES setting for this environment."""
    if environ.get("DATABASE_URL"):
        return {"default": parse_database_url(environ["DATABASE_URL"])}
    if environ.get("POSTGRES_DB") or environ.get("POSTGRES_HOST"):
        return {"default": postgres_from_variables(environ)}
    sqlite_path = Path(environ.get("SQLITE_PATH") or data_dir / "db.sqlite3")
    return {"default": sqlite_database(sqlite_path)}


def sqlite_database(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": SQLITE_INIT_COMMAND,
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT_S,
        },
    }


def postgres_database(
    name: str, user: str, password: str, host: str, port: str, options: dict[str, str]
) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": user,
        "PASSWORD": password,
        "HOST": host,
        "PORT": port,
        "OPTIONS": options,
    }


def postgres_from_variables(environ: Mapping[str, str]) -> dict[str, Any]:
    return postgres_database(
        name=environ.get("POSTGRES_DB", "postgres"),
        user=environ.get("POSTGRES_USER", "postgres"),
        password=environ.get("POSTGRES_PASSWORD", ""),
        host=environ.get("POSTGRES_HOST", "127.0.0.1"),
        port=environ.get("POSTGRES_PORT", "5432"),
        options={},
    )


def parse_database_url(url: str) -> dict[str, Any]:
    """postgresql://USER:PASSWORD@HOST:PORT/NAME?sslmode=... or sqlite:///ABSOLUTE/PATH."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        if not parts.path or parts.path == "/":
            raise ImproperlyConfigured(f"DATABASE_URL={url!r}: sqlite URLs need a file path")
        return sqlite_database(Path(unquote(parts.path)))
    if parts.scheme in _POSTGRES_SCHEMES:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL={_redacted(url)!r}: no database name after the host")
        return postgres_database(
            name=name,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=parts.hostname or "",
            port=str(parts.port or ""),
            options=dict(parse_qsl(parts.query)),
        )
    raise ImproperlyConfigured(
        f"DATABASE_URL={_redacted(url)!r}: unsupported scheme {parts.scheme!r} "
        "(use postgresql:// or sqlite:///)"
    )


def _redacted(url: str) -> str:
    """The URL with its password hidden, for error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()

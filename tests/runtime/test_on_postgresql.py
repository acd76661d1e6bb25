"""The whole runtime suite again, on the real PostgreSQL server, so `make test` covers both databases.

Runs ``pytest tests/runtime`` in a subprocess with ``DATABASE_URL`` pointing at the server
(TEST_POSTGRES_ADMIN_URL moves it, as for the scale-out tests); pytest-django creates and
drops a test database of its own, with a fresh name so parallel runs do not collide.
When the suite already runs on PostgreSQL this test is not needed and says so.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.services

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ALREADY_ON_POSTGRESQL = "this run is already on PostgreSQL"


def test_runtime_suite_passes_on_postgresql(repo_root: Path) -> None:
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip(ALREADY_ON_POSTGRESQL)  # also what stops the nested run from recursing
    import psycopg

    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} (start it, see README): {error}")
    database_url = urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/runtime_{secrets.token_hex(4)}").geturl()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("POSTGRES_")}
    environ["DATABASE_URL"] = database_url

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/runtime", "-q", "-p", "no:cacheprovider", "-rs"],
        cwd=repo_root,
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    assert ALREADY_ON_POSTGRESQL in done.stdout  # the nested run was on PostgreSQL

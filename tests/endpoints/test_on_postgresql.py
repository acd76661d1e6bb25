"""The endpoint suite again on PostgreSQL (the batched summary INSERT ... RETURNING, the REST and
invocation paths), in a subprocess with DATABASE_URL set, as tests/runtime/test_on_postgresql.py does."""

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


def test_endpoint_suite_passes_on_postgresql(repo_root: Path) -> None:
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("this run is already on PostgreSQL")  # also what stops the nested run from recursing
    import psycopg

    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error}")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("POSTGRES_")}
    environ["DATABASE_URL"] = urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/endpoints_{secrets.token_hex(4)}").geturl()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/endpoints", "-q", "-p", "no:cacheprovider", "-k",
         "not live_server and not on_postgresql"],
        cwd=repo_root, env=environ, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout

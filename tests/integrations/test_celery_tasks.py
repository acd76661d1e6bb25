"""Celery Tasks with a real worker process on the real Redis broker and PostgreSQL.

The cases live in ``celery_cases.py``; they run in a nested pytest whose database is a
fresh PostgreSQL one (a worker process cannot see an in-memory SQLite test database).
TEST_POSTGRES_ADMIN_URL and TEST_REDIS_URL move the servers.
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
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def test_celery_cases_pass_with_a_real_worker(repo_root: Path) -> None:
    import psycopg
    import redis

    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=5).close()
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).ping()
    except (psycopg.OperationalError, redis.RedisError) as error:
        pytest.fail(f"PostgreSQL ({POSTGRES_ADMIN_URL}) and Redis ({REDIS_URL}) must be running (see README): {error}")
    database_url = urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/integrations_{secrets.token_hex(4)}").geturl()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("POSTGRES_")}
    environ.update(DATABASE_URL=database_url, CELERY_BROKER_URL=REDIS_URL)

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/integrations/celery_cases.py", "-q", "-p", "no:cacheprovider",
         "-rs", "-s"],
        cwd=repo_root,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "skipped" not in done.stdout, done.stdout[-3000:]

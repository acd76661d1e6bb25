"""The scale-out settings against real services: PostgreSQL, Redis, a Celery worker.

Needs PostgreSQL and Redis on this machine (.ci/run starts them); the addresses can
be moved with TEST_POSTGRES_ADMIN_URL and TEST_REDIS_URL.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.web.live_server import clean_environment, make_run

pytestmark = pytest.mark.services

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import psycopg

    name = f"asw_smoke_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} (start it, see README): {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/{name}").geturl()
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} (start it, see README): {error}")
    return REDIS_URL


def test_make_run_on_postgresql_and_redis(repo_root: Path, tmp_path: Path, postgres_url: str, redis_url: str) -> None:
    environ = {"DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": postgres_url, "REDIS_URL": redis_url}
    with make_run(repo_root, tmp_path / "server.log", environ) as server:
        health = server.get("/healthz")

    assert health.status == 200, health.body
    body = health.json()
    assert body["database"] == {"vendor": "postgresql", "ok": True}
    # The healthz message went through Redis and came back.
    assert body["channel_layer"] == {"backend": "RedisChannelLayer", "ok": True}
    assert not (tmp_path / "data" / "db.sqlite3").exists()


def test_celery_worker_starts_on_a_redis_broker_and_answers(repo_root: Path, tmp_path: Path, redis_url: str) -> None:
    from celery import Celery

    worker_name = f"smoke-{secrets.token_hex(4)}@localhost"
    environ = clean_environment({"DATA_DIR": str(tmp_path / "data"), "CELERY_BROKER_URL": redis_url})
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "backend.celery", "worker", "--pool", "solo", "-n", worker_name],
        cwd=repo_root,
        env=environ,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        client = Celery(broker=redis_url)
        replies: list[dict[str, object]] = []
        for _ in range(60):  # the worker needs a few seconds to import Django and connect
            replies = client.control.ping(destination=[worker_name], timeout=1.0)
            if replies or worker.poll() is not None:
                break
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)

    assert replies == [{worker_name: {"ok": "pong"}}], output
    assert ".> transport:   redis://" in output, output  # the broker came from CELERY_BROKER_URL

"""Fault test: the engine process is SIGKILLed repeatedly while Standard executions run.

Every execution must finish with the right output, with exactly the history an
uninterrupted run produces (so no transition twice, none lost), and a function may have
been called twice only when a kill fell between the two calls.

Size: ``FAULT_EXECUTIONS`` (default 100) and ``FAULT_KILLS`` (default 5); the issue's bar
is ``FAULT_EXECUTIONS=1000 FAULT_KILLS=20``.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.fault.storm import REPO_ROOT, StormResult, storm

EXECUTIONS = int(os.environ.get("FAULT_EXECUTIONS", "100"))
KILLS = int(os.environ.get("FAULT_KILLS", "5"))
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def base_env(workdir: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("POSTGRES_", "DATABASE_URL", "CELERY_", "ENGINE_", "SQLITE_PATH", "REDIS_URL"))}
    return {
        **keep,
        "DATA_DIR": str(workdir),
        "SQLITE_PATH": str(workdir / "db.sqlite3"),
        "ENGINE_LEASE_SECONDS": "2",
        "ENGINE_POLL_SECONDS": "0.05",
        "ENGINE_THREADS": "4",
        "PYTHONPATH": str(REPO_ROOT),
    }


def assert_survived(result: StormResult) -> None:
    report = result.report
    print(f"\nfault storm: {report['executions']} executions, {len(result.kills)} kills, "
          f"{result.seconds:.1f} s, {report['calls']} function calls "
          f"({len(report['duplicated_calls'])} repeated after a kill)")
    assert report["executions"] == EXECUTIONS
    assert report["statuses"] == {"SUCCEEDED": EXECUTIONS}
    assert report["wrong_outputs"] == []
    assert report["id_gaps"] == []
    assert report["history_mismatches"] == []
    assert result.unexplained_duplicates() == []
    assert report["distinct_calls"] == EXECUTIONS * 7  # Tasks per execution: Inc, Double, IncAgain, 3 x Times10, Total


def postgres_database(env: dict[str, str]) -> str:
    psycopg = pytest.importorskip("psycopg")
    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error}")
    name = f"fault_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/{name}").geturl()


def drop_postgres_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_sigkill_storm_on_sqlite(tmp_path: Path) -> None:
    assert_survived(storm(base_env(tmp_path), tmp_path, executions=EXECUTIONS, kills=KILLS))


@pytest.mark.services
def test_sigkill_storm_on_postgresql(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    env["DATABASE_URL"] = postgres_database(env)
    try:
        assert_survived(storm(env, tmp_path, executions=EXECUTIONS, kills=KILLS))
    finally:
        drop_postgres_database(env["DATABASE_URL"])


def start_celery_workers(env: dict[str, str], workdir: Path) -> subprocess.Popen:
    """A Celery worker (prefork, 4 processes) plus ``runengine --scheduler-only``, in one
    process group: a kill takes both down, queued work included, as a crashed host would."""
    log = workdir / "celery.log"
    script = (
        f"{sys.executable} manage.py runengine --scheduler-only >> {log} 2>&1 & "
        f"exec {sys.executable} -m celery -A backend.celery worker --concurrency 4 --loglevel WARNING "
        f"--without-gossip --without-mingle --without-heartbeat >> {log} 2>&1"
    )
    return subprocess.Popen(["bash", "-c", script], env=env, cwd=REPO_ROOT, start_new_session=True)


@pytest.mark.services
def test_sigkill_storm_on_celery_workers(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    env["DATABASE_URL"] = postgres_database(env)
    env["CELERY_BROKER_URL"] = REDIS_URL.rsplit("/", 1)[0] + f"/{secrets.randbelow(8) + 8}"
    try:
        assert_survived(storm(env, tmp_path, executions=EXECUTIONS, kills=KILLS,
                              start_engine=start_celery_workers))
    finally:
        drop_postgres_database(env["DATABASE_URL"])

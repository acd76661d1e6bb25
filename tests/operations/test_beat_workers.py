"""Scale-out schedules: a real Celery beat (django-celery-beat's database scheduler) and two
real workers on the Redis broker and a fresh PostgreSQL database.

Beat sends the tick every second and the test floods the queue with more ticks, so both
workers tick concurrently: each due tick must still start exactly one execution, a
schedule whose runs were missed while nothing ran starts exactly one catch-up run
(run_once) or none (skip). Then the missed-run schedules tick on, minute by minute.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.services

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def environ() -> Iterator[dict[str, str]]:
    import psycopg
    import redis

    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=5).close()
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).flushdb()
    except (psycopg.OperationalError, redis.RedisError) as error:
        pytest.fail(f"PostgreSQL ({POSTGRES_ADMIN_URL}) and Redis ({REDIS_URL}) must be running (see README): {error}")
    name = f"ops_beat_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "DJANGO_SETTINGS"))}
    env.update(DATABASE_URL=urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/{name}").geturl(),
               CELERY_BROKER_URL=REDIS_URL, SCHEDULES_BEAT_SECONDS="1", ALERTS_BEAT_SECONDS="60",
               # A slow start-up (a loaded machine) must not turn the on-time tick into a missed one.
               SCHEDULES_GRACE_SECONDS="300",
               DJANGO_SETTINGS_MODULE="backend.settings")
    try:
        yield env
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def manage(env: dict[str, str], repo_root: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=repo_root, env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def started_runs(env: dict[str, str]) -> dict[str, list[str]]:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as db:
        rows = db.execute("SELECT name FROM executions_execution ORDER BY name").fetchall()
    runs: dict[str, list[str]] = {}
    for (name,) in rows:
        runs.setdefault(name.split("-")[1], []).append(name)
    return runs


def test_beat_and_two_workers_start_one_execution_per_tick(environ: dict[str, str], repo_root: Path) -> None:
    manage(environ, repo_root, "migrate", "-v", "0")
    setup = json.loads(manage(environ, repo_root, "shell", "-c",
                              (repo_root / "tests/operations/beat_setup.py").read_text()).strip().splitlines()[-1])
    ids = {key: str(value) for key, value in setup["ids"].items()}
    celery = [sys.executable, "-m", "celery", "-A", "backend.celery"]
    processes = [
        subprocess.Popen([*celery, "worker", "--pool", "threads", "--concurrency", "4", "-n", f"w{i}@%h",
                          "--loglevel", "WARNING"], cwd=repo_root, env=environ,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for i in (1, 2)
    ]
    processes.append(subprocess.Popen(
        [*celery, "beat", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler", "--max-interval", "1",
         "--loglevel", "WARNING"], cwd=repo_root, env=environ, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL))
    try:
        from celery import Celery

        # Beat alone: the catch-up run is due at once.
        deadline = time.monotonic() + 60  # start-up of three Celery processes on a loaded machine
        while time.monotonic() < deadline and ids["run_once"] not in started_runs(environ):
            time.sleep(0.5)
        assert ids["run_once"] in started_runs(environ), "beat did not tick within 60 s"
        flood = Celery(broker=REDIS_URL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and ids["on_time"] not in started_runs(environ):
            for _ in range(4):  # more ticks than beat alone sends: the workers race
                flood.send_task("schedules.tick")
            time.sleep(0.5)
        for _ in range(4):
            flood.send_task("schedules.tick")
        time.sleep(3)  # let the queued ticks run: none may start a second execution
        assert all(process.poll() is None for process in processes), "a Celery process exited"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
    runs = started_runs(environ)
    assert len(runs[ids["on_time"]]) == 1, runs
    # Both minute schedules missed three hours of ticks and are handled together: skip starts
    # no catch-up run (only later minutes that turned while the test ran, on time), run_once
    # exactly one more than skip, and those same on-time minutes.
    ticks = {key: {name.rsplit("-", 1)[1] for name in runs.get(ids[key], [])} for key in ("run_once", "skip")}
    assert len(ticks["run_once"]) == len(ticks["skip"]) + 1 and ticks["skip"] <= ticks["run_once"], runs
    assert min(ticks["run_once"]) <= min(ticks["skip"], default="9"), runs  # the catch-up came first

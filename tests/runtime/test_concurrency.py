"""Concurrent callers: one execution per name, distinct version numbers.

On PostgreSQL the races run in-process against the test database. SQLite runs them on
a real database file (WAL, IMMEDIATE transactions: the product's embedded default) in a
subprocess, because pytest-django's in-memory SQLite test database fails concurrent
writers at once instead of letting them wait.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.runtime import race_scenarios

EXPECTED_VERSION_NUMBERS = list(range(1, race_scenarios.THREADS + 2))


def assert_races_survived(results: dict) -> None:
    same_name = results["same_execution_name"]
    assert same_name == {"errors": [], "created": 1, "distinct_ids": 1, "rows": 1}
    assert results["version_numbers"] == {"errors": [], "numbers": EXPECTED_VERSION_NUMBERS}


def test_races_on_a_sqlite_file(repo_root: Path, tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "POSTGRES_DB", "POSTGRES_HOST")}
    environ.update(SQLITE_PATH=str(tmp_path / "race.sqlite3"), DATA_DIR=str(tmp_path))
    script = Path(race_scenarios.__file__)
    done = subprocess.run(
        [sys.executable, str(script)], cwd=repo_root, env=environ, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert_races_survived(json.loads(done.stdout.strip().splitlines()[-1]))


# Collected only where the configured database is a server (the PostgreSQL rerun of this
# suite); on SQLite the same races run on a file above.
if connection.vendor != "sqlite":

    @pytest.mark.django_db(transaction=True)
    def test_races_on_the_configured_database() -> None:
        assert_races_survived(race_scenarios.run_all())

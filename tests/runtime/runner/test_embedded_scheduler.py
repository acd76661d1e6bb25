"""Embedded mode: the `make run` server process also starts scheduled runs, with no other process."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.web.live_server import clean_environment, make_run

SETUP = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from backend.schedules.services import schedule_create
from backend.workflows.services import template_create
now = timezone.now()
owner = get_user_model().objects.create_user(username="scheduled")
template = template_create(owner=owner, name="nightly",
                           definition='{"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}')
schedule_create(template=template, name="soon", kind="rate", rate_seconds=3600,
                start_at=now.replace(microsecond=0) + timedelta(seconds=2), now=now)
"""

COUNT = """
from backend.executions.models import Execution
print("runs:", Execution.objects.filter(template__name="nightly", status="SUCCEEDED").count())
"""


def manage_shell(code: str, env: dict[str, str], repo_root: Path) -> str:
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], env=clean_environment(env),
                          cwd=repo_root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return (done.stdout.strip().splitlines() or [""])[-1]  # after the shell's own "N objects imported" line


def test_the_server_process_starts_scheduled_runs(repo_root: Path, tmp_path: Path) -> None:
    env = {"DATA_DIR": str(tmp_path), "ENGINE_POLL_SECONDS": "0.05", "SCHEDULES_POLL_SECONDS": "0.2"}
    with make_run(repo_root, tmp_path / "server.log", env):
        manage_shell(SETUP, env, repo_root)
        deadline = time.monotonic() + 60
        while manage_shell(COUNT, env, repo_root) != "runs: 1":
            assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
            time.sleep(0.5)

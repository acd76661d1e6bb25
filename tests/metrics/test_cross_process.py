"""/metrics and /api/stats/ of a server process count what other processes did: executions
started by one process (`manage.py shell`), run by a `manage.py runengine` worker, scraped
from daphne (with its embedded runner off), all on one SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.web.live_server import clean_environment, free_port, run_manage, stop_process_group

SETUP = """
import json
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from backend.executions.runner import execution_start
from backend.workflows.services import template_create
u = User.objects.create_user("carol")
ok = template_create(owner=u, name="ok", definition=json.dumps({"StartAt": "A", "States": {
    "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}}}))
bad = template_create(owner=u, name="bad", definition=json.dumps({"StartAt": "F", "States": {
    "F": {"Type": "Fail", "Error": "E"}}}))
for n in range(4):
    execution_start(template=ok, name=f"ok-{n}")
for n in range(2):
    execution_start(template=bad, name=f"bad-{n}")
print("TOKEN=" + Token.objects.create(user=u).key)
"""


def _popen(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=Path(__file__).resolve().parents[2], env=env, stdin=subprocess.DEVNULL,
                            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture
def processes(repo_root: Path, tmp_path: Path) -> Iterator[dict]:
    env = clean_environment({"DATA_DIR": str(tmp_path), "ENGINE_EMBEDDED": "0", "NO_PROXY": "127.0.0.1,localhost",
                             "PYTHONWARNINGS": "ignore::DeprecationWarning"})
    run_manage(repo_root, env, "migrate", "--noinput")
    token = run_manage(repo_root, env, "shell", "-c", SETUP).rsplit("TOKEN=", 1)[1].strip()
    port = free_port()
    server = _popen([str(Path(sys.executable).with_name("daphne")), "-b", "127.0.0.1", "-p", str(port),
                     "backend.asgi:application"], env, tmp_path / "server.log")
    started: list[subprocess.Popen] = [server]
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).read()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()
                time.sleep(0.2)

        def start_worker() -> None:
            started.append(_popen([sys.executable, "manage.py", "runengine"], env, tmp_path / "runengine.log"))

        yield {"base": base, "token": token, "start_worker": start_worker}
    finally:
        for process in started:
            stop_process_group(process)


def _metrics(base: str) -> dict[tuple[str, str], float]:
    text = urllib.request.urlopen(base + "/metrics", timeout=10).read().decode()
    return {(sample.name, sample.labels.get("workflow", "")): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples
            if "le" not in sample.labels}


def test_a_scrape_counts_the_work_of_other_processes(processes: dict) -> None:
    before = _metrics(processes["base"])
    assert before[("workflow_executions_started_total", "ok")] == 4
    assert before[("workflow_executions_running", "ok")] == 4 and before[("workflow_executions_running", "bad")] == 2
    assert before[("workflow_state_transitions_total", "ok")] == 0

    processes["start_worker"]()
    deadline = time.monotonic() + 60
    while True:
        after = _metrics(processes["base"])
        if after[("workflow_executions_running", "ok")] + after[("workflow_executions_running", "bad")] == 0:
            break
        assert time.monotonic() < deadline, after
        time.sleep(0.3)
    assert after[("workflow_executions_succeeded_total", "ok")] == 4
    assert after[("workflow_executions_failed_total", "bad")] == 2
    assert after[("workflow_execution_duration_seconds_count", "ok")] == 4
    assert after[("workflow_state_transitions_total", "ok")] == 8  # two Pass states each
    assert after[("workflow_state_transitions_total", "bad")] == 2

    request = urllib.request.Request(processes["base"] + "/api/stats/?window=1h",
                                     headers={"Authorization": f"Token {processes['token']}"})
    stats = json.loads(urllib.request.urlopen(request, timeout=10).read())
    assert stats["totals"] == {"started": 6, "succeeded": 4, "failed": 2, "timed_out": 0, "aborted": 0, "running": 0}
    assert stats["duration_ms"]["p50"] is not None

"""Embedded mode: `make run` (daphne) runs Standard executions itself, with no other process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.web.live_server import clean_environment, make_run

SCENARIO = Path(__file__).resolve().parents[2] / "fault" / "scenario.py"


def scenario(command: list[str], env: dict[str, str], repo_root: Path) -> str:
    done = subprocess.run([sys.executable, str(SCENARIO), *command], env=clean_environment(env), cwd=repo_root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_server_process_runs_executions(repo_root: Path, tmp_path: Path) -> None:
    env = {"DATA_DIR": str(tmp_path), "ENGINE_POLL_SECONDS": "0.05"}
    call_log = tmp_path / "calls.jsonl"
    call_log.touch()
    with make_run(repo_root, tmp_path / "server.log", env):
        scenario(["setup", "4", str(call_log)], env, repo_root)  # Tasks, a 1 s Wait, Parallel, Map
        deadline = time.monotonic() + 60
        while int(scenario(["open"], env, repo_root)) > 0:
            assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
            time.sleep(0.3)
    report = json.loads(scenario(["check", str(call_log)], env, repo_root))
    assert report["statuses"] == {"SUCCEEDED": 4}
    assert report["wrong_outputs"] == [] and report["history_mismatches"] == []
    assert report["calls"] == report["distinct_calls"] == 4 * 7

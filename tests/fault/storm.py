"""The SIGKILL storm: run the scenario's executions on engine processes killed at random instants."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIO = str(Path(__file__).with_name("scenario.py"))


@dataclass
class StormResult:
    report: dict
    kills: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def unexplained_duplicates(self) -> list[str]:
        """Calls made twice with no kill between the first call's start and the second's."""
        bad = []
        for key, starts in self.report["duplicated_calls"].items():
            for first, again in zip(starts, starts[1:]):
                if not any(first <= kill <= again for kill in self.kills):
                    bad.append(key)
        return bad


def _run(args: list[str], env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run([sys.executable, *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"{args} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def storm(env: dict[str, str], workdir: Path, *, executions: int, kills: int,
          start_engine: Callable[[dict[str, str], Path], subprocess.Popen] | None = None,
          finish_timeout: float = 600, seed: int = 7) -> StormResult:
    """Set up ``executions``, then kill and restart the engine ``kills`` times while they run."""
    start_engine = start_engine or start_runengine
    call_log = workdir / "calls.jsonl"
    call_log.touch()
    _run(["manage.py", "migrate", "--no-input"], env)
    _run([SCENARIO, "setup", str(executions), str(call_log)], env)
    rng = random.Random(seed)
    began = time.time()
    result = StormResult(report={})
    engine = start_engine(env, workdir)
    try:
        for _ in range(kills):
            time.sleep(rng.uniform(0.5, 2.0))
            os.killpg(engine.pid, signal.SIGKILL)
            result.kills.append(time.time())
            engine.wait()
            engine = start_engine(env, workdir)
        deadline = time.time() + finish_timeout
        while int(_run([SCENARIO, "open"], env)) > 0:
            if time.time() > deadline:
                raise AssertionError("executions still RUNNING after the storm")
            time.sleep(1.0)
        result.seconds = time.time() - began
    finally:
        os.killpg(engine.pid, signal.SIGTERM)
        try:
            engine.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(engine.pid, signal.SIGKILL)
            engine.wait()
    result.report = json.loads(_run([SCENARIO, "check", str(call_log)], env))
    return result


def start_runengine(env: dict[str, str], workdir: Path) -> subprocess.Popen:
    """``manage.py runengine`` in its own process group (a kill takes its sandbox workers too)."""
    log = open(workdir / "runengine.log", "ab")
    return subprocess.Popen([sys.executable, "manage.py", "runengine"], env=env, cwd=REPO_ROOT, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)

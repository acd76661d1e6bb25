"""Live stream latency: ``python -m backend.live.bench [--watchers 100] [--redis redis://127.0.0.1:6379/7]``.

Starts a server (uvicorn or daphne, as ``make run`` does) on a free port over a fresh SQLite database
in a temporary folder; with ``--redis`` on the Redis channel layer with the runner in a
process of its own (``manage.py runengine``), else on the in-memory layer with the runner
inside the server. Connects ``--watchers`` WebSocket clients (this process, one asyncio
loop) to one execution of a workflow that loops ``--iterations`` times over a Task (a
stored function sleeping 20 ms), a Pass and a Choice (each Task commits a group of
events), and reports the latency between each event's commit (its timestamp) and its
receipt by each watcher: p50, p99, max over every (watcher, event). The bar: p99 < 100 ms.
A measurement, never a test (``make bench`` runs it).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
BAR_P99_MS = 100.0
RESOURCE = "arn:aws:lambda:us-east-1:123456789012:function:tick"
TICK_SOURCE = "import time\n\ndef handler(event, context):\n    time.sleep(0.02)\n    return event\n"
LOOP = {"StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Parameters": {"i": 0, "n.$": "$.n"}, "Next": "Tick"},
    "Tick": {"Type": "Task", "Resource": RESOURCE, "ResultPath": None, "Next": "Count"},
    "Count": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n"}, "Next": "More"},
    "More": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.n", "Next": "Tick"}],
             "Default": "Done"},
    "Done": {"Type": "Succeed"}}}
# Configuration a developer's shell may carry that would point the bench elsewhere.
_INHERITED = ("DATABASE_URL", "POSTGRES_DB", "POSTGRES_HOST", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_PORT",
              "SQLITE_PATH", "REDIS_URL", "CELERY_BROKER_URL", "DATA_DIR", "DJANGO_SETTINGS_MODULE")
_SETUP = """
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
user = User.objects.create_user("bench")
print("TOKEN=" + Token.objects.create(user=user).key)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


class Bench:
    def __init__(self, args: argparse.Namespace, data_dir: Path):
        self.args = args
        self.environ = {key: value for key, value in os.environ.items() if key not in _INHERITED}
        self.environ["DATA_DIR"] = str(data_dir)
        if args.redis:
            self.environ.update({"REDIS_URL": args.redis, "ENGINE_EMBEDDED": "0"})
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.logs = data_dir.parent
        self.token = ""

    def manage(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=self.environ,
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise SystemExit(f"manage.py {args[0]} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def spawn(self, name: str, *argv: str) -> None:
        log = (self.logs / f"{name}.log").open("w")
        self.processes.append(subprocess.Popen(argv, cwd=REPO_ROOT, env=self.environ, stdout=log,
                                               stderr=subprocess.STDOUT, start_new_session=True))

    def start(self) -> None:
        if self.args.redis:
            import redis

            redis.Redis.from_url(self.args.redis).flushdb()
        self.manage("migrate", "--noinput", "-v", "0")
        out = self.manage("shell", "-c", _SETUP)
        self.token = next(line[6:] for line in out.splitlines() if line.startswith("TOKEN="))
        if self.args.server == "uvicorn":
            self.spawn("server", sys.executable, "-m", "uvicorn", "backend.asgi:application", "--host", "127.0.0.1",
                       "--port", str(self.port), "--lifespan", "off", "--no-access-log")
        else:
            self.spawn("server", sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port),
                       "backend.asgi:application")
        if self.args.redis:
            self.spawn("runengine", sys.executable, "manage.py", "runengine", "--threads", "2")
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline or self.processes[0].poll() is not None:
                    raise SystemExit(f"the server did not start: see {self.logs / 'server.log'}") from None
                time.sleep(0.2)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def api(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            self.base + path, method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.loads(reply.read())

    async def watch(self, url: str, connected: asyncio.Event, ready: list[int],
                    samples: list[float], counts: list[int]) -> None:
        from websockets.asyncio.client import connect

        async with connect(url, open_timeout=30, max_size=None) as connection:
            ready.append(1)
            if len(ready) == self.args.watchers:
                connected.set()
            seen = 0
            while True:
                text = await asyncio.wait_for(connection.recv(), 120)
                received = time.time()
                message = json.loads(text)
                if message["type"] == "events":
                    for event in message["events"]:
                        samples.append(received - event["timestamp"])
                        seen += 1
                elif message["type"] == "status" and message["execution"]["status"] != "RUNNING":
                    counts.append(seen)
                    return

    async def measure(self) -> dict[str, Any]:
        self.api("POST", "/api/functions/", {"name": "tick", "source": TICK_SOURCE})
        role = self.api("POST", "/api/roles/", {"name": "bench", "allowed_resources": ["arn:aws:lambda:*:*:function:*"]})
        workflow = self.api("POST", "/api/templates/", {"name": "live-bench", "definition": json.dumps(LOOP),
                                                        "role_id": role["id"]})
        # A warm-up run (sandbox worker, caches), unwatched.
        self.api("POST", "/api/executions/", {"workflow": workflow["id"], "input": json.dumps({"n": 3})})
        await asyncio.sleep(2.0)
        # Watchers connect before the start: the execution waits for them behind a Wait state.
        hold = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 3, "Next": "Loop"},
                                              "Loop": {"Type": "Parallel", "Branches": [LOOP], "End": True}}}
        held = self.api("POST", "/api/templates/", {"name": "live-bench-held", "definition": json.dumps(hold),
                                                    "role_id": role["id"]})
        execution = self.api("POST", "/api/executions/", {"workflow": held["id"],
                                                          "input": json.dumps({"n": self.args.iterations})})
        url = f"ws://127.0.0.1:{self.port}/ws/executions/{execution['id']}/?token={self.token}&after=2"
        connected, ready, samples, counts = asyncio.Event(), [], [], []
        started = time.monotonic()
        watchers = [asyncio.create_task(self.watch(url, connected, ready, samples, counts))
                    for _ in range(self.args.watchers)]
        await asyncio.wait_for(connected.wait(), 60)
        connect_seconds = time.monotonic() - started
        await asyncio.gather(*watchers)
        return {"watchers": self.args.watchers, "connect_s": connect_seconds, "samples": samples, "counts": counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--watchers", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=50, help="Task + Pass + Choice loops (default 50)")
    parser.add_argument("--redis", default=None, help="Redis URL (its database is flushed): scale-out mode")
    parser.add_argument("--server", choices=["uvicorn", "daphne"],
                        default="uvicorn" if importlib.util.find_spec("uvicorn") else "daphne",
                        help="the ASGI server (default: uvicorn when installed, as make run)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="live-bench-") as tmp:
        bench = Bench(args, Path(tmp) / "data")
        try:
            bench.start()
            result = asyncio.run(bench.measure())
        finally:
            bench.stop()
    samples = [s * 1000 for s in result["samples"]]
    events = max(result["counts"]) if result["counts"] else 0
    p50, p99 = _percentile(samples, 50), _percentile(samples, 99)
    layer = ("Redis layer, runner in another process" if args.redis else "in-memory layer, runner in the server")
    layer += f", {args.server}"
    print(f"live streams ({layer}): {result['watchers']} watchers of one execution, {events} events each, "
          f"{len(samples)} receipts; commit -> receipt latency p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
          f"max {max(samples):.1f} ms (bar: p99 < {BAR_P99_MS:.0f} ms: {'met' if p99 < BAR_P99_MS else 'MISSED'})")
    if len(set(result["counts"])) != 1:
        print(f"watchers received different numbers of events: {sorted(set(result['counts']))}")
        return 1
    return 0 if p99 < BAR_P99_MS else 1


if __name__ == "__main__":
    sys.exit(main())

"""Live stream latency: ``python -m backend.live.bench [--watchers 100] [--redis redis://127.0.0.1:6379/7]``.

Starts a server (uvicorn or daphne, as ``make run`` does) on a free port over a fresh SQLite database
in a temporary folder; with ``--redis`` on the Redis channel layer with the runner in a
process of its own (``manage.py runengine``), else on the in-memory layer with the runner
inside the server. Connects ``--watchers`` WebSocket clients (this process, one asyncio
loop) to one execution of a workflow that waits at a callback Task until they are all
connected, then loops ``--iterations`` times over a Task (a stored function sleeping 20 ms),
a Pass and a Choice (each Task commits a group of events), and reports the latency between each event's commit (its timestamp) and its
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
user = User.objects.create_user("bench", is_superuser=True)  # may create functions
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
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return json.loads(reply.read())
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{method} {path}: {error.code} {error.read()[:1000]!r}") from None

    async def watch(self, url: str, connected: asyncio.Event, ready: list[int],
                    samples: list[float], counts: list[int]) -> None:
        from websockets.asyncio.client import connect

        async with connect(url, open_timeout=30, max_size=None) as connection:
            ready.append(1)
            if len(ready) == self.args.watchers:
                connected.set()
            seen = 0
            while True:
                try:
                    text = await asyncio.wait_for(connection.recv(), 60)
                except TimeoutError:
                    counts.append(-seen)  # never saw the final status
                    return
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
        role = self.api("POST", "/api/roles/", {"name": "bench", "allowed_resources": [
            "arn:aws:lambda:*:*:function:*", "arn:aws:states:::lambda:invoke*"]})
        workflow = self.api("POST", "/api/templates/", {"name": "live-bench", "definition": json.dumps(LOOP),
                                                        "role_id": role["id"]})
        # A warm-up run (sandbox worker, caches), unwatched.
        self.api("POST", "/api/executions/", {"workflow": workflow["id"], "input": json.dumps({"n": 3})})
        await asyncio.sleep(2.0)
        # The measured execution waits at a callback Task until every watcher is connected
        # and past its first catch-up; then the bench sends the task success.
        gated = {"StartAt": "Gate", "States": {
            "Gate": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                     "Parameters": {"FunctionName": "tick", "Payload": {"token.$": "$$.Task.Token"}},
                     "ResultPath": None, "Next": "Loop"},
            "Loop": {"Type": "Parallel", "Branches": [LOOP], "End": True}}}
        held = self.api("POST", "/api/templates/", {"name": "live-bench-gated", "definition": json.dumps(gated),
                                                    "role_id": role["id"]})
        execution = self.api("POST", "/api/executions/", {"workflow": held["id"],
                                                          "input": json.dumps({"n": self.args.iterations})})
        token, last_id = await self.task_token(execution["id"])
        url = f"ws://127.0.0.1:{self.port}/ws/executions/{execution['id']}/?token={self.token}&after={last_id}"
        connected, ready, samples, counts = asyncio.Event(), [], [], []
        started = time.monotonic()
        watchers = [asyncio.create_task(self.watch(url, connected, ready, samples, counts))
                    for _ in range(self.args.watchers)]
        await asyncio.wait_for(connected.wait(), 120)
        connect_seconds = time.monotonic() - started
        await asyncio.sleep(3.0)  # past every watcher's first catch-up (1.5 s after connecting)
        self.api("POST", "/api/tasks/success/", {"task_token": token, "output": "{}"})
        server_cpu, client_cpu, wall = self.server_cpu(), time.process_time(), time.monotonic()
        await asyncio.gather(*watchers)
        return {"watchers": self.args.watchers, "connect_s": connect_seconds, "samples": samples, "counts": counts,
                "server_cpu_s": self.server_cpu() - server_cpu, "client_cpu_s": time.process_time() - client_cpu,
                "wall_s": time.monotonic() - wall}

    async def task_token(self, execution_id: int) -> tuple[str, int]:
        """The Gate Task's token (from the history) and the last event id, once it waits."""
        for _ in range(300):
            events = self.api("GET", f"/api/executions/{execution_id}/history/?limit=1000")["events"]
            if not any(event["type"] == "TaskSubmitted" for event in events):  # not parked yet
                await asyncio.sleep(0.1)
                continue
            for event in events:
                text = json.dumps(event.get("details") or {})
                if event["type"] in ("TaskSubmitted", "TaskScheduled") and "token" in text:
                    parameters = (event["details"] or {}).get("parameters")
                    parameters = json.loads(parameters) if isinstance(parameters, str) else parameters or {}
                    token = parameters.get("token") or parameters.get("Payload", {}).get("token")
                    if token:
                        return token, events[-1]["id"]
            await asyncio.sleep(0.1)
        raise SystemExit(f"the execution never waited for its callback: {events}")

    def server_cpu(self) -> float:
        """CPU seconds the server process used so far (Linux /proc; 0 elsewhere)."""
        try:
            fields = Path(f"/proc/{self.processes[0].pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--watchers", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=50, help="Task + Pass + Choice loops (default 50)")
    parser.add_argument("--redis", default=None, help="Redis URL (its database is flushed): scale-out mode")
    parser.add_argument("--server", choices=["uvicorn", "daphne"],
                        default="uvicorn" if importlib.util.find_spec("uvicorn") else "daphne",
                        help="the ASGI server (default: uvicorn when installed, as make run)")
    parser.add_argument("--workdir", default=None, help="keep the database and logs in this folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="live-bench-") as tmp:
        bench = Bench(args, Path(args.workdir or tmp) / "data")
        try:
            bench.start()
            result = asyncio.run(bench.measure())
        except BaseException:
            for log in sorted(bench.logs.glob("*.log")):
                print(f"--- {log.name} (last lines)\n" + "\n".join(log.read_text().splitlines()[-30:]), file=sys.stderr)
            raise
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
    print(f"  while streaming: {result['wall_s']:.1f} s wall, server {result['server_cpu_s']:.2f} s CPU "
          f"(runner included), this client {result['client_cpu_s']:.2f} s CPU; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if any(count < 0 for count in result["counts"]):
        print(f"{sum(count < 0 for count in result['counts'])} watchers never received the final status")
        return 1
    if len(set(result["counts"])) != 1:
        from collections import Counter

        print(f"watchers received different numbers of events: {sorted(Counter(result['counts']).items())}")
        return 1
    return 0 if p99 < BAR_P99_MS else 1


if __name__ == "__main__":
    sys.exit(main())

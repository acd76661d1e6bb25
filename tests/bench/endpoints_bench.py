"""Benchmark: a published Express endpoint of a 3-state workflow, served by `make run`.

Sets up a fresh database (DATA_DIR in a temporary folder) with the workflow, its endpoint
and an API key (``manage.py bench_endpoint_setup``), starts the server exactly as users do
(``make run`` on a free port; the web UI is not rebuilt), checks one call, then drives load from a separate process
(``tests/bench/loadgen.py``: N keep-alive connections on loopback, closed loop) and
prints throughput and latency percentiles. The bar: at least 1,000 requests/s with p99
under 50 ms. A measurement, never part of `make test`.

    .venv/bin/python tests/bench/endpoints_bench.py [--connections 32] [--duration 15] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.endpoints.server import make_run_without_ui, manage  # noqa: E402

BAR_RPS = 1000.0
BAR_P99_MS = 50.0


def _server_pid(make_pid: int) -> int:
    """The server process: `make run`'s child (its recipe execs the server)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == make_pid:
                return int(entry.name)
    return make_pid


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` (Linux /proc), 0 where unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--no-auth", action="store_true", help="publish without an API key")
    parser.add_argument("--check", action="store_true", help="exit 1 when the bar is missed")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="endpoint-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        environ = {"DATA_DIR": str(data_dir)}
        manage(args.python, environ, "migrate", "--noinput")
        setup_args = ["bench_endpoint_setup"] + (["--no-auth"] if args.no_auth else [])
        setup = json.loads(manage(args.python, environ, *setup_args).strip().splitlines()[-1])
        body = json.dumps(setup["body"]).encode()
        headers = [f"X-Api-Key: {setup['key']}"] if setup["key"] else []
        log = Path(tmp) / "server.log"
        with make_run_without_ui(log, environ) as (server, make_pid):
            server_pid = _server_pid(make_pid)
            url = f"{server.base_url}/run/{setup['slug']}"
            request = urllib.request.Request(url, data=body, method="POST",
                                             headers=dict(h.split(": ", 1) for h in headers))
            with urllib.request.urlopen(request, timeout=10) as reply:
                answer = json.loads(reply.read())
            if answer != setup["expect"]:
                print(f"unexpected answer {answer!r}, expected {setup['expect']!r}", file=sys.stderr)
                return 1
            command = [args.python, str(REPO_ROOT / "tests" / "bench" / "loadgen.py"), "--url", url,
                       "--body", body.decode(), "--connections", str(args.connections),
                       "--duration", str(args.duration), "--warmup", str(args.warmup)]
            for header in headers:
                command += ["--header", header]
            cpu_before = _cpu_seconds(server_pid)
            load_before = os.getloadavg()[0]
            result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            cpu = _cpu_seconds(server_pid) - cpu_before
            load_after = os.getloadavg()[0]
    latency = result["latency_ms"]
    ok_statuses = set(result["statuses"]) <= {"200"} and not result["errors"]
    met = ok_statuses and result["rps"] >= BAR_RPS and latency["p99"] < BAR_P99_MS
    print("== published Express endpoint, 3 states, `make run`, load from a separate process ==")
    print(f"connections {args.connections}, {result['duration_s']:.1f} s measured after {args.warmup:g} s warm-up, "
          f"auth: {'none' if args.no_auth else 'API key'}")
    print(f"requests {result['requests']}  throughput {result['rps']:.0f} req/s  "
          f"latency p50 {latency['p50']:.1f} ms  p90 {latency['p90']:.1f} ms  p99 {latency['p99']:.1f} ms  "
          f"max {latency['max']:.1f} ms")
    print(f"statuses {result['statuses']}  errors {result['errors']}")
    # CPU time is steadier than wall-clock figures on a shared machine (warm-up calls included).
    calls = result["requests"] * (1 + args.warmup / max(result["duration_s"], 1e-9))
    print(f"server CPU {cpu:.2f} s = {cpu * 1e6 / max(calls, 1):.0f} us per call (~{calls / max(cpu, 1e-9):.0f} calls "
          f"per CPU second); load average {load_before:.1f} -> {load_after:.1f} on {os.cpu_count()} CPUs")
    print(f"bar (>= {BAR_RPS:.0f} req/s, p99 < {BAR_P99_MS:.0f} ms): {'met' if met else 'MISSED'}")
    print(json.dumps(result))
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())

"""`make run` for the endpoint tests and benchmark, without (re)building the web UI.

The UI bundle is not what they exercise, and building it takes long; everything else is
exactly what a user starts (migrate, seed_demo, the server with its embedded runner).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.web.live_server import RunningServer, _wait_until_serving, clean_environment, free_port, stop_process_group

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


@contextmanager
def make_run_without_ui(log_file: Path, environ: dict[str, str]) -> Iterator[tuple[RunningServer, int]]:
    """(server, pid of the make process group) until the block ends; stopped afterwards."""
    port = free_port()
    server = RunningServer(f"http://127.0.0.1:{port}", log_file)
    with log_file.open("w") as log:
        process = subprocess.Popen(["make", "--no-print-directory", "run", "HAVE_NPM="], cwd=REPO_ROOT,
                                   env=clean_environment({**environ, "PORT": str(port)}), stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_serving(server, process)
        yield server, process.pid
    finally:
        stop_process_group(process)


def manage(python: str, environ: dict[str, str], *args: str) -> str:
    """``manage.py ARGS`` with ``environ`` (cleaned of other configuration); its stdout."""
    return subprocess.run([python, "manage.py", *args], cwd=REPO_ROOT, env=clean_environment(environ), check=True,
                          capture_output=True, text=True).stdout

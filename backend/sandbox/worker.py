"""The pool's handle on one worker process (parent side).

Owns the process, its two protocol pipes and its log file. Used by one thread at a
time: the pool hands a worker to exactly one invocation.
"""

from __future__ import annotations

import array
import fcntl
import json
import os
import signal
import subprocess
import tempfile
import termios
import time
from pathlib import Path

from backend.sandbox.protocol import FrameReader, FrameTimeout, ProtocolError, write_frame

# The directory that holds the ``backend`` package, for the worker's ``-m``.
_IMPORT_ROOT = str(Path(__file__).resolve().parents[2])
_EXIT_GRACE_S = 2.0


class WorkerDied(Exception):
    """The worker's process ended (or garbled its pipe) before answering.

    ``request_read`` is False when the worker never took the request off its pipe
    (it was already dead or dying): the function did not run, so the request can
    go to another worker.
    """

    def __init__(self, reason: str, *, request_read: bool):
        super().__init__(reason)
        self.request_read = request_read


class WorkerStartError(Exception):
    """The worker never reported ready; ``str()`` includes what it wrote to stderr."""


class WorkerProcess:
    def __init__(
        self, *, python: str, cwd: str, env: dict[str, str], max_log_bytes: int, cache_size: int
    ):
        self.max_log_bytes = max_log_bytes
        self.known_keys: set[str] = set()  # code versions this worker was sent
        self.invocations = 0
        self.ready = False
        self._log = tempfile.TemporaryFile(dir=cwd)
        log_fd = self._log.fileno()
        # Append mode on the shared file description: after the parent truncates the
        # file, the worker's next write lands at offset 0 instead of leaving a hole.
        fcntl.fcntl(log_fd, fcntl.F_SETFL, fcntl.fcntl(log_fd, fcntl.F_GETFL) | os.O_APPEND)
        config = {
            "max_log_bytes": max_log_bytes,
            "cache_size": cache_size,
            "parent_pid": os.getpid(),
        }
        self.process = subprocess.Popen(
            # -P: no working directory on sys.path, so files a function writes there
            # cannot shadow modules that later functions import.
            [python, "-P", "-m", "backend.sandbox.runtime", json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_fd,
            cwd=cwd,
            env={**env, "PYTHONPATH": _IMPORT_ROOT},
            bufsize=0,
            close_fds=True,
            # Own process group: a terminal's Ctrl-C reaches the pool, not the
            # functions, and a kill takes the function's own children with it.
            start_new_session=True,
        )
        self.pid = self.process.pid
        self._requests = self.process.stdin.fileno()
        self._responses = FrameReader(self.process.stdout.fileno())

    def wait_ready(self, deadline: float) -> None:
        try:
            frame = self._responses.read(deadline)
        except (FrameTimeout, ProtocolError) as exc:
            frame = None
            reason = f"{type(exc).__name__} {exc}".strip()
        else:
            reason = "exited"
        if frame is None or frame[0].get("op") != "ready":
            self.halt()
            output = self.take_logs()
            raise WorkerStartError(
                f"function worker failed to start ({reason}, {self.describe_exit()}): {output}"
            )
        self.ready = True

    def alive(self) -> bool:
        return self.process.poll() is None

    def call(self, header: dict, body: bytes, deadline: float) -> tuple[dict, bytes]:
        """Send a request and wait for the reply; ``FrameTimeout`` past ``deadline``."""
        try:
            write_frame(self._requests, header, body)
        except OSError as exc:  # EPIPE: nobody reads the request pipe any more
            raise WorkerDied(str(exc), request_read=False) from None
        try:
            reply = self._responses.read(deadline)
        except (OSError, ProtocolError) as exc:
            raise WorkerDied(str(exc), request_read=self._request_consumed()) from None
        if reply is None:
            raise WorkerDied("end of stream", request_read=self._request_consumed())
        return reply

    def _request_consumed(self) -> bool:
        """Whether the request pipe is empty (FIONREAD works on either end of a pipe)."""
        unread = array.array("i", [0])
        try:
            fcntl.ioctl(self._requests, termios.FIONREAD, unread, True)
        except OSError:
            return True  # cannot tell: assume the function may have run
        return unread[0] == 0

    def take_logs(self, dropped: int = 0) -> str:
        """What the function wrote since the last call (bounded), and empty the file."""
        if self._log.closed:  # the pool was closed under a running invocation
            return ""
        fd = self._log.fileno()
        size = os.fstat(fd).st_size
        if not size and not dropped:
            return ""
        text = os.pread(fd, min(size, self.max_log_bytes), 0).decode("utf-8", "replace")
        os.ftruncate(fd, 0)
        dropped += max(0, size - self.max_log_bytes)
        if dropped:
            text += f"\n[{dropped} more bytes of output dropped: limit is {self.max_log_bytes}]\n"
        return text

    def exit_status(self) -> int:
        """The status of a worker whose pipe ended: wait for its exit (briefly), then
        kill what is left of its process group and reap it."""
        deadline = time.monotonic() + _EXIT_GRACE_S
        # WNOWAIT leaves the exited worker unreaped, so its group id stays reserved
        # until ``halt`` has killed the processes it left running.
        while self.process.returncode is None:
            try:
                if os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None:
                    break
            except ChildProcessError:  # reaped meanwhile by ``halt`` in another thread
                break
            if time.monotonic() > deadline:
                break
            time.sleep(0.001)
        self.halt()
        return self.process.returncode

    def describe_exit(self) -> str:
        code = self.process.returncode
        if code is None:
            return "still running"
        return f"exit status {code}" if code >= 0 else f"signal {signal.Signals(-code).name}"

    def halt(self) -> None:
        """Kill the worker and anything it started in its process group, then reap it.

        Also how a healthy worker is stopped: it holds no state worth a graceful
        exit. Killing the group before reaping the leader is what makes sure the
        processes a function left running go too (a group id cannot be reused
        while its leader is unreaped). Leaves the pipes open: the thread that owns
        this worker may still be reading them.
        """
        if self.process.returncode is None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
            self.process.wait()

    def dispose(self) -> None:
        """Halt the worker and close its pipes and log file: the handle is done."""
        self.halt()
        for stream in (self.process.stdin, self.process.stdout, self._log):
            try:
                stream.close()
            except OSError:
                pass

    def __repr__(self) -> str:
        return f"<WorkerProcess pid={self.pid} invocations={self.invocations}>"


def default_worker_env() -> dict[str, str]:
    """The variables a worker starts with: the host's locale and paths, nothing else.

    The engine's own environment (secrets, database URLs) is not the functions'
    business; each function adds its own variables per invocation.
    """
    keep = (
        "PATH",
        "LANG",
        "LC_ALL",
        "LC_CTYPE",
        "TZ",
        "HOME",
        "TMPDIR",
        "VIRTUAL_ENV",
        "SYSTEMROOT",
    )
    env = {key: os.environ[key] for key in keep if key in os.environ}
    # Thread-heavy code would reserve 64 MB of address space per malloc arena, which
    # an address-space limit counts: two arenas keep limits meaningful.
    env["MALLOC_ARENA_MAX"] = "2"
    env["PYTHONIOENCODING"] = "utf-8"
    env.setdefault("PATH", os.defpath)
    return env

"""The function runtime: the main loop of one worker process.

Started by ``worker.py`` as ``python -P -m backend.sandbox.runtime CONFIG_JSON``, with
stdin = requests, stdout = responses and stderr = the worker's log file. It first
moves the two protocol pipes off fds 0/1 (so nothing the function prints or reads
can touch them), points fds 0/1/2 at /dev/null and the log file, then serves one
invocation at a time until stdin closes.

Per invocation it applies the function's environment variables, caps the address
space growth (``RLIMIT_AS``) at the function's memory limit, loads the code (cached
per code version), calls ``handler(event, context)`` and marshals the result; error
texts are AWS Lambda's Python runtime's.

Imported only inside the worker: keep its imports light (start-up time of a worker
is the price of every replacement after a timeout or crash).
"""

from __future__ import annotations

import json
import linecache
import os
import resource
import sys
import threading
import time
import traceback
import types
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from backend.sandbox import errors
from backend.sandbox.protocol import FrameReader, write_frame

_STDERR_FD = 2  # the log file, as the parent handed it over
_STATM_PATH = "/proc/self/statm"
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_PARENT_POLL_S = 1.0


class FunctionContext:
    """The ``context`` argument, shaped like Lambda's ``LambdaContext``.

    ``memory_limit_in_mb`` is a string, as on Lambda. The invoke call's ``context``
    dict may set ``invoked_function_arn``, ``client_context`` and ``identity``; its
    other keys become attributes too, unless they would shadow one of these.
    """

    def __init__(
        self, name: str, version: str, memory_mb: int, request_id: str, deadline: float, extra: dict
    ):
        self.function_name = name
        self.function_version = version
        self.memory_limit_in_mb = str(memory_mb)
        self.aws_request_id = request_id
        self.request_id = request_id
        self.invoked_function_arn = extra.get("invoked_function_arn", "")
        self.client_context = extra.get("client_context")
        self.identity = extra.get("identity")
        for key, value in extra.items():
            if isinstance(key, str) and key.isidentifier() and not hasattr(self, key):
                setattr(self, key, value)
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))

    def __repr__(self) -> str:
        return (
            f"FunctionContext(function_name={self.function_name!r}, request_id={self.request_id!r})"
        )


class _LogBudget:
    """How many bytes of output the current invocation may still write."""

    def __init__(self, limit: int):
        self.limit = limit
        self.left = limit
        self.dropped = 0

    def reset(self) -> None:
        self.left = self.limit
        self.dropped = 0


class _LogBuffer:
    """The binary side of a ``_LogStream``: bytes written through the shared budget."""

    closed = False

    def __init__(self, budget: _LogBudget, fd: int):
        self._budget = budget
        self._fd = fd

    def write(self, data: bytes) -> int:
        budget = self._budget
        size = len(data)
        if size > budget.left:
            budget.dropped += size - budget.left
            data = data[: budget.left]
        if data:
            budget.left -= len(data)
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]
        return size

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return self._fd


class _LogStream:
    """``sys.stdout`` / ``sys.stderr`` of the function: unbuffered writes to the log file.

    Unbuffered so that what a function printed before it hung or crashed is in the
    file when the parent reads it; bounded so a print loop cannot fill the disk.
    """

    encoding = "utf-8"
    errors = "backslashreplace"
    newlines = None
    closed = False

    def __init__(self, budget: _LogBudget, fd: int, name: str):
        self.name = name
        self.buffer = _LogBuffer(budget, fd)  # for code that writes bytes to sys.stdout.buffer

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.buffer.write(text.encode("utf-8", "backslashreplace"))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return self.buffer.fileno()

    def isatty(self) -> bool:
        return False

    def readable(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False


class _Environment:
    """Switches ``os.environ`` to the worker's base variables plus one function's.

    The check before each invocation also undoes whatever the previous function did
    to ``os.environ``, so variables never leak from one function to another.
    """

    def __init__(self) -> None:
        self._base = dict(os.environ)
        self._extra: dict[str, str] = {}
        # os.environ._data (the encoded mapping) compares in well under a microsecond;
        # comparing the decoding Mapping costs ~10x more on every invocation.
        self._expected = dict(os.environ._data)

    def apply(self, extra: dict[str, str]) -> None:
        if extra == self._extra and os.environ._data == self._expected:
            return
        target = {**self._base, **extra}
        current = dict(os.environ)
        for key in current.keys() - target.keys():
            del os.environ[key]
        for key, value in target.items():
            if current.get(key) != value:
                os.environ[key] = value
        self._extra = dict(extra)
        self._expected = dict(os.environ._data)


class _LoadedCode:
    """One code version: its source and, once loaded, its handler."""

    __slots__ = ("source", "handler")

    def __init__(self, source: str):
        self.source = source
        self.handler: Callable[[Any, FunctionContext], Any] | None = None


class _FunctionError(Exception):
    """A ``Runtime.*`` fault: already shaped as Lambda reports it."""

    def __init__(self, error_type: str, message: str, stack_trace: list[str] | None = None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.stack_trace = stack_trace or []


class Runtime:
    """Serves invocations in this process (one at a time)."""

    def __init__(self, max_log_bytes: int, cache_size: int):
        self._budget = _LogBudget(max_log_bytes)
        self._cache: OrderedDict[str, _LoadedCode] = OrderedDict()
        self._cache_size = cache_size
        self._environment = _Environment()
        self._statm_fd = os.open(_STATM_PATH, os.O_RDONLY) if os.path.exists(_STATM_PATH) else None
        self._baseline = self.address_space()
        self._soft_as, self._hard_as = resource.getrlimit(resource.RLIMIT_AS)
        # The __stdout__/__stderr__ originals too: left alone they would buffer
        # output past the budget and flush it into some later invocation's log.
        # A private descriptor of the log file: a function that closes or redirects
        # fds 1/2 cannot take the log away from the functions after it.
        self._log_fd = os.dup(_STDERR_FD)
        self._stdout = sys.stdout = sys.__stdout__ = _LogStream(
            self._budget, self._log_fd, "<stdout>"
        )
        self._stderr = sys.stderr = sys.__stderr__ = _LogStream(
            self._budget, self._log_fd, "<stderr>"
        )
        self._sys_path = list(sys.path)
        self._cwd = os.getcwd()

    def address_space(self) -> int:
        """Bytes of virtual address space in use (0 where /proc is missing)."""
        if self._statm_fd is None:
            return 0
        return int(os.pread(self._statm_fd, 64, 0).split(None, 1)[0]) * _PAGE_SIZE

    def invoke(self, header: dict, body: bytes) -> tuple[dict, bytes]:
        key = header["key"]
        code = self._cache.get(key)
        if code is None:
            if "source" not in header:
                return {"op": "need_source", "key": key}, b""
            code = self._remember(key, header["source"])
        else:
            self._cache.move_to_end(key)

        self._budget.reset()
        self._environment.apply(header["env"])
        self._reset_interpreter()
        memory_mb = header["memory_mb"]
        request_id = header["request_id"]
        deadline = time.monotonic() + header["timeout_ms"] / 1000.0
        try:
            self._limit_memory(memory_mb)
            try:
                payload = self._run(code, header, body, deadline)
            finally:
                self._unlimit_memory()
        except MemoryError:
            # Nothing in this process can be trusted to have finished cleanly: answer
            # and let the parent replace us.
            message = errors.platform_message(request_id, errors.out_of_memory_message(memory_mb))
            cause = errors.error_cause(message, errors.OUT_OF_MEMORY)
            return self._reply(errors.OUT_OF_MEMORY, cause, retire=True)
        except _FunctionError as fault:
            cause = errors.error_cause(fault.message, fault.error_type, fault.stack_trace)
            return self._reply(fault.error_type, cause, retire=self._overgrown(memory_mb))
        except Exception as exc:
            cause = _exception_cause(exc)
            return self._reply(type(exc).__name__, cause, retire=self._overgrown(memory_mb))
        return self._reply(payload=payload, retire=self._overgrown(memory_mb))

    def _reset_interpreter(self) -> None:
        """Undo what an earlier function changed in state every function shares."""
        sys.stdout, sys.stderr = self._stdout, self._stderr
        os.dup2(self._log_fd, 1)
        os.dup2(self._log_fd, 2)
        if sys.path != self._sys_path:
            sys.path[:] = self._sys_path
        try:
            if os.getcwd() != self._cwd:
                os.chdir(self._cwd)
        except OSError:  # the directory is gone: the function keeps whatever it has
            pass

    def _overgrown(self, memory_mb: int) -> bool:
        """Whether this worker now holds more than the last function's own limit.

        Such a worker would squeeze the next function's headroom (and a function
        that leaks would keep growing it): the parent replaces it instead.
        """
        return self.address_space() - self._baseline > memory_mb * 1024 * 1024

    def _run(self, code: _LoadedCode, header: dict, body: bytes, deadline: float) -> bytes:
        handler = code.handler or self._load(code, header)
        try:
            event = json.loads(body)
        except ValueError as exc:
            raise _FunctionError(
                errors.UNMARSHAL_ERROR, f"Unable to unmarshal input: {exc}"
            ) from None
        context = FunctionContext(
            header["name"],
            header["version"],
            header["memory_mb"],
            header["request_id"],
            deadline,
            header["context"],
        )
        return _marshal(handler(event, context), header["max_response_bytes"])

    def _remember(self, key: str, source: str) -> _LoadedCode:
        code = self._cache[key] = _LoadedCode(source)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return code

    def _load(self, code: _LoadedCode, header: dict) -> Callable[[Any, FunctionContext], Any]:
        """Run the module's top level once per code version (Lambda's "init")."""
        module_name, filename, handler_name = (
            header["module"],
            header["filename"],
            header["handler"],
        )
        # Tracebacks read lines through linecache: serve them from this version's text.
        # An mtime of None marks the entry as not backed by a file, so it is kept.
        linecache.cache[filename] = (len(code.source), None, code.source.splitlines(True), filename)
        try:
            compiled = compile(code.source, filename, "exec", dont_inherit=True)
        except SyntaxError as exc:
            trace = [f'  File "{exc.filename}" Line {exc.lineno}\n    {exc.text}']
            raise _FunctionError(
                errors.USER_CODE_SYNTAX_ERROR,
                f"Syntax error in module '{module_name}': {exc}",
                trace,
            ) from None
        module = types.ModuleType(module_name)
        module.__file__ = filename
        try:
            exec(compiled, module.__dict__)
        except ImportError as exc:
            raise _FunctionError(
                errors.IMPORT_MODULE_ERROR, f"Unable to import module '{module_name}': {exc}"
            ) from None
        handler = getattr(module, handler_name, None)
        if handler is None:
            raise _FunctionError(
                errors.HANDLER_NOT_FOUND,
                f"Handler '{handler_name}' missing on module '{module_name}'",
            )
        code.handler = handler
        return handler

    def _limit_memory(self, memory_mb: int) -> None:
        if self._statm_fd is None:  # no /proc: usage unknown, a limit would be a guess
            return
        limit = self.address_space() + memory_mb * 1024 * 1024
        if self._hard_as != resource.RLIM_INFINITY:
            limit = min(limit, self._hard_as)
        resource.setrlimit(resource.RLIMIT_AS, (limit, self._hard_as))

    def _unlimit_memory(self) -> None:
        resource.setrlimit(resource.RLIMIT_AS, (self._soft_as, self._hard_as))

    def _reply(
        self,
        error: str | None = None,
        cause: str | None = None,
        *,
        payload: bytes = b"",
        retire: bool,
    ) -> tuple[dict, bytes]:
        header = {"op": "result", "ok": error is None, "retire": retire}
        if error is not None:
            header["error"], header["cause"] = error, cause
        header["log_dropped"] = self._budget.dropped
        return header, payload


def _marshal(result: Any, max_bytes: int) -> bytes:
    """The result as JSON text, as Lambda's marshaller would accept it."""
    if isinstance(result, (bytes, bytearray)):
        # Lambda passes bytes through as the raw payload; here a payload must be JSON
        # text in UTF-8 (json.loads alone would also take UTF-16 and UTF-32).
        try:
            json.loads(result.decode("utf-8"))
        except ValueError:
            raise _FunctionError(
                errors.MARSHAL_ERROR, "Unable to marshal response: returned bytes are not JSON text"
            ) from None
        payload = bytes(result)
    else:
        try:
            payload = json.dumps(result, allow_nan=False).encode()
        except (TypeError, ValueError, RecursionError) as exc:
            raise _FunctionError(
                errors.MARSHAL_ERROR, f"Unable to marshal response: {exc}"
            ) from None
    if len(payload) > max_bytes:
        raise _FunctionError(
            errors.RESPONSE_SIZE_TOO_LARGE,
            f"Response payload size exceeded maximum allowed payload size ({max_bytes} bytes).",
        )
    return payload


def _exception_cause(exc: BaseException) -> str:
    """Lambda's document for an exception the code raised: frames of the code only."""
    # Plain (file, line, name, text) tuples as Lambda's runtime uses: formatted
    # without the column carets Python 3.11+ adds to FrameSummary objects.
    frames = [
        (f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(exc.__traceback__)
    ]
    start = 0
    while start < len(frames) and frames[start][0] == __file__:
        start += 1
    try:
        message = str(exc)
    except Exception:
        message = ""
    return errors.error_cause(message, type(exc).__name__, traceback.format_list(frames[start:]))


def _watch_parent(parent_pid: int) -> None:
    """Exit when the pool's process is gone (e.g. killed), even mid-invocation."""
    while True:
        time.sleep(_PARENT_POLL_S)
        if os.getppid() != parent_pid:
            os._exit(70)


def main() -> None:
    config = json.loads(sys.argv[1])
    request_fd, response_fd = os.dup(0), os.dup(1)  # dup()ed fds are not inherited by children
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(_STDERR_FD, 1)
    threading.Thread(target=_watch_parent, args=(config["parent_pid"],), daemon=True).start()

    runtime = Runtime(config["max_log_bytes"], config["cache_size"])
    write_frame(response_fd, {"op": "ready"})
    requests = FrameReader(request_fd)
    worker_pid = os.getpid()
    while True:
        frame = requests.read()
        if frame is None:
            return
        reply, payload = runtime.invoke(*frame)
        if os.getpid() != worker_pid:
            # A child the function forked returned from the handler: only the worker
            # itself may answer and take the next request.
            os._exit(0)
        write_frame(response_fd, reply, payload)
        if reply.get("retire"):
            os._exit(0)


if __name__ == "__main__":
    main()

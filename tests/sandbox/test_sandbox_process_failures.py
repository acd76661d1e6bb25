"""A function that hangs, exhausts memory or kills its process fails its own invocation
with a clear error; its worker is replaced and the pool carries on."""

from __future__ import annotations

import os
import re
import signal
import threading
import time

import pytest

from backend.sandbox import FunctionPool
from tests.sandbox.support import (
    cause_of,
    function,
    process_gone,
    process_running,
    process_state,
)

MB = 1024 * 1024
HEALTHY = function("healthy", "def handler(event, context):\n    return {'echo': event}\n")


def assert_platform_error(result, error: str, what: str) -> None:
    """Lambda's shape for errors of the sandbox: "RequestId: <id> Error: <what>", no trace."""
    assert result.error == error, result
    assert cause_of(result) == {
        "errorMessage": f"RequestId: {result.request_id} Error: {what}",
        "errorType": error,
    }


def assert_pool_still_serves(pool: FunctionPool) -> None:
    for value in range(pool.size + 1):  # reaches every worker, the fresh one included
        assert pool.invoke(HEALTHY, value).payload == {"echo": value}


@pytest.fixture(scope="module")
def pool():
    # Single worker: every failure below must replace *the* worker to pass.
    with FunctionPool(size=1) as one:
        yield one


def test_endless_loop_times_out_and_its_worker_is_replaced(pool: FunctionPool) -> None:
    spec = function(
        "spin", "def handler(event, context):\n    while True:\n        pass\n", timeout_s=0.3
    )
    before = pool.worker_pids()
    result = pool.invoke(spec, {})
    assert_platform_error(result, "Sandbox.Timedout", "Task timed out after 0.30 seconds")
    assert 300 <= result.duration_ms < 5000
    after = pool.worker_pids()
    assert after != before and process_gone(before[0])
    assert_pool_still_serves(pool)


def test_callers_timeout_caps_the_functions_own(pool: FunctionPool) -> None:
    spec = function(
        "sleeper", "import time\ndef handler(event, context):\n    time.sleep(30)\n", timeout_s=60
    )
    result = pool.invoke(spec, {}, timeout_s=0.25)
    assert_platform_error(result, "Sandbox.Timedout", "Task timed out after 0.25 seconds")


def test_no_time_left_times_out_without_running_or_losing_a_worker(pool: FunctionPool) -> None:
    before = pool.worker_pids()
    result = pool.invoke(HEALTHY, {}, timeout_s=0)
    assert_platform_error(result, "Sandbox.Timedout", "Task timed out after 0.00 seconds")
    assert pool.worker_pids() == before


def test_output_printed_before_a_timeout_is_kept(pool: FunctionPool) -> None:
    spec = function(
        "chatty_spin",
        "def handler(event, context):\n    print('started')\n    while True:\n        pass\n",
        timeout_s=0.3,
    )
    result = pool.invoke(spec, {})
    assert result.error == "Sandbox.Timedout"
    assert result.logs == "started\n"


def test_allocating_past_the_memory_limit_is_out_of_memory(pool: FunctionPool) -> None:
    spec = function(
        "hog",
        f"def handler(event, context):\n    return len(bytearray(512 * {MB}))\n",
        memory_mb=64,
    )
    before = pool.worker_pids()
    result = pool.invoke(spec, {})
    assert_platform_error(
        result, "Runtime.OutOfMemory", "Runtime exited with error: memory limit of 64 MB exceeded"
    )
    assert pool.worker_pids() != before  # a worker that hit MemoryError is not reused
    assert_pool_still_serves(pool)


def test_the_same_allocation_fits_a_larger_limit(pool: FunctionPool) -> None:
    spec = function(
        "big_but_allowed",
        f"def handler(event, context):\n    return len(bytearray(96 * {MB}))\n",
        memory_mb=256,
    )
    assert pool.invoke(spec, {}).payload == 96 * 1024 * 1024


@pytest.mark.parametrize("outcome", ["return", "raise ValueError"])
def test_leaking_function_gets_its_worker_recycled_instead_of_failing(
    pool: FunctionPool, outcome: str
) -> None:
    spec = function(
        "leaky",
        f"""\
        HOARD = []

        def handler(event, context):
            HOARD.append(bytearray(8 * {MB}))
            {outcome}(len(HOARD))
        """,
        memory_mb=48,
    )
    results = [pool.invoke(spec, {}) for _ in range(12)]
    if outcome == "return":
        counts = [result.payload for result in results]
    else:
        assert {result.error for result in results} == {"ValueError"}
        counts = [int(cause_of(result)["errorMessage"]) for result in results]
    # Once the worker holds more than the function's limit it is replaced: the
    # hoard starts over instead of an invocation failing for lack of memory.
    assert counts[:4] == [1, 2, 3, 4]
    assert max(counts) < 7 and counts.count(1) >= 2
    assert_pool_still_serves(pool)


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("import os\n    os._exit(3)", "Runtime exited with error: exit status 3"),
        ("import sys\n    sys.exit(2)", "Runtime exited with error: exit status 2"),
        (
            "import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)",
            "Runtime exited with error: signal: killed",
        ),
        (
            "import ctypes\n    ctypes.string_at(0)",
            "Runtime exited with error: signal: segmentation fault",
        ),
    ],
    ids=["os._exit", "sys.exit", "SIGKILL", "segfault"],
)
def test_process_exit_is_exit_error_naming_status_or_signal(
    pool: FunctionPool, body: str, what: str
) -> None:
    spec = function("crasher", f"def handler(event, context):\n    {body}\n")
    before = pool.worker_pids()
    result = pool.invoke(spec, {})
    assert_platform_error(result, "Runtime.ExitError", what)
    assert pool.worker_pids() != before and process_gone(before[0])
    assert_pool_still_serves(pool)


def test_output_printed_before_a_crash_is_kept(pool: FunctionPool) -> None:
    spec = function(
        "last_words", "import os\ndef handler(event, context):\n    print('bye')\n    os._exit(1)\n"
    )
    result = pool.invoke(spec, {})
    assert result.error == "Runtime.ExitError"
    assert result.logs == "bye\n"


def test_worker_killed_while_idle_is_replaced_before_use(pool: FunctionPool) -> None:
    (victim,) = pool.worker_pids()
    pool.invoke(HEALTHY, 0)  # make sure it is started and idle
    os.kill(victim, signal.SIGKILL)
    # Once it is dead (a zombie nobody reaped yet) the pool must notice before use.
    # (An invocation racing the kill itself may get Runtime.ExitError: the worker
    # can take the request off the pipe in the instant before it dies.)
    deadline = time.monotonic() + 5
    while process_running(victim) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pool.invoke(HEALTHY, 1).payload == {"echo": 1}
    assert pool.worker_pids() != [victim] and process_gone(victim)


def test_request_a_dying_worker_never_read_goes_to_a_fresh_worker(pool: FunctionPool) -> None:
    (victim,) = pool.worker_pids()
    pool.invoke(HEALTHY, 0)
    os.kill(victim, signal.SIGSTOP)  # alive but not reading: the request stays in the pipe
    deadline = time.monotonic() + 5
    while process_state(victim) != "T" and time.monotonic() < deadline:
        time.sleep(0.01)
    outcome: list = []
    caller = threading.Thread(target=lambda: outcome.append(pool.invoke(HEALTHY, 2)))
    caller.start()
    time.sleep(0.2)
    os.kill(victim, signal.SIGKILL)
    caller.join(10)
    assert outcome[0].payload == {"echo": 2}  # the function ran once, on the new worker
    assert pool.worker_pids() != [victim] and process_gone(victim)


def test_request_ids_in_platform_errors_are_the_invocations() -> None:
    spec = function(
        "spin_briefly",
        "def handler(event, context):\n    while True:\n        pass\n",
        timeout_s=0.2,
    )
    with FunctionPool(size=1) as one:
        result = one.invoke(spec, {}, context={"request_id": "req-123"})
    assert result.request_id == "req-123"
    assert re.fullmatch(
        r"RequestId: req-123 Error: Task timed out after 0\.20 seconds",
        cause_of(result)["errorMessage"],
    )

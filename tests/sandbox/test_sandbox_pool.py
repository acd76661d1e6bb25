"""The pool: many callers at once, recycling, shutdown without leftovers."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from backend.sandbox import FunctionPool, PoolClosedError
from tests.sandbox.support import function, process_gone, process_running

ECHO = function("echo", "def handler(event, context):\n    return {'got': event}\n")
# Never finishes within a test: tests end it by closing the pool.
HANG = function(
    "hang", "import time\ndef handler(event, context):\n    time.sleep(60)\n", timeout_s=60
)


def test_many_threads_each_get_their_own_result() -> None:
    with FunctionPool(size=2) as pool:
        with ThreadPoolExecutor(max_workers=8) as callers:
            results = list(callers.map(lambda n: pool.invoke(ECHO, n), range(400)))
    assert [result.payload for result in results] == [{"got": n} for n in range(400)]
    assert len({result.request_id for result in results}) == 400


def test_a_hanging_function_holds_one_worker_and_the_others_keep_serving() -> None:
    with FunctionPool(size=2) as pool:
        pool.invoke(ECHO, "warm")  # both workers started
        pool.invoke(ECHO, "warm")
        hung: list = []
        hanger = threading.Thread(target=lambda: hung.append(pool.invoke(HANG, {})))
        hanger.start()
        time.sleep(0.2)  # the hanging invocation now owns a worker
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=6) as callers:
            results = list(callers.map(lambda n: pool.invoke(ECHO, n), range(60)))
        elapsed = time.monotonic() - started
        assert [result.payload for result in results] == [{"got": n} for n in range(60)]
        assert hanger.is_alive(), "the hanging invocation should still hold its worker"
        assert elapsed < 10, f"fast invocations waited {elapsed:.2f}s behind the hanging one"
        pool.close(timeout_s=0)
        hanger.join()
        assert hung[0].error == "Runtime.ExitError"


def test_callers_beyond_capacity_wait_for_a_worker_rather_than_fail() -> None:
    slow = function(
        "slow", "import time\ndef handler(event, context):\n    time.sleep(0.2)\n    return event\n"
    )
    with FunctionPool(size=1) as pool:
        pool.invoke(ECHO, "warm")
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=3) as callers:
            payloads = [
                result.payload for result in callers.map(lambda n: pool.invoke(slow, n), range(3))
            ]
        assert payloads == [0, 1, 2]
        assert time.monotonic() - started >= 0.6  # one at a time on the single worker


def test_workers_are_recycled_after_max_invocations() -> None:
    counter = function(
        "count", "N = 0\ndef handler(event, context):\n    global N\n    N += 1\n    return N\n"
    )
    with FunctionPool(size=1, max_invocations_per_worker=3) as pool:
        first = pool.worker_pids()
        assert [pool.invoke(counter, {}).payload for _ in range(7)] == [1, 2, 3, 1, 2, 3, 1]
        assert pool.worker_pids() != first and process_gone(first[0])


def test_invoke_after_close_is_refused() -> None:
    pool = FunctionPool(size=1)
    pool.close()
    pool.close()  # idempotent
    with pytest.raises(PoolClosedError):
        pool.invoke(ECHO, {})


def test_close_leaves_no_process_behind_not_even_replaced_or_killed_workers() -> None:
    crash = function("crash", "import os\ndef handler(event, context):\n    os._exit(9)\n")
    spin = function(
        "spin", "def handler(event, context):\n    while True:\n        pass\n", timeout_s=0.2
    )
    seen: set[int] = set()
    with FunctionPool(size=2) as pool:
        seen.update(pool.worker_pids())
        for spec in (crash, spin, ECHO, crash):
            pool.invoke(spec, {})
            seen.update(pool.worker_pids())
        assert len(seen) >= 4  # the failures replaced workers
        current = pool.worker_pids()
        assert all(process_running(pid) for pid in current)
    assert all(process_gone(pid) for pid in seen), [pid for pid in seen if not process_gone(pid)]


SPAWNER = function(
    "spawner",
    """\
    import os, subprocess

    def handler(event, context):
        pid = subprocess.Popen(["sleep", "30"]).pid
        if event == "crash":
            print(pid)
            os._exit(1)
        return pid
    """,
)


def wait_until_not_running(pid: int) -> bool:
    deadline = time.monotonic() + 5
    while process_running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not process_running(pid)


def test_processes_a_function_started_are_killed_when_its_worker_crashes() -> None:
    with FunctionPool(size=1) as pool:
        result = pool.invoke(SPAWNER, "crash")
        assert result.error == "Runtime.ExitError"
        assert wait_until_not_running(int(result.logs))


def test_processes_a_function_started_are_killed_with_the_pool() -> None:
    with FunctionPool(size=1) as pool:
        child = pool.invoke(SPAWNER, "stay").payload
        assert process_running(child)
    assert wait_until_not_running(child)


def test_close_waits_for_a_running_invocation_to_finish() -> None:
    slow = function(
        "slow",
        "import time\ndef handler(event, context):\n    time.sleep(0.3)\n    return 'finished'\n",
    )
    pool = FunctionPool(size=1)
    outcome: list = []
    caller = threading.Thread(target=lambda: outcome.append(pool.invoke(slow, {})))
    caller.start()
    time.sleep(0.15)
    pool.close()
    caller.join()
    assert outcome[0].payload == "finished"


def test_close_with_a_timeout_kills_what_still_runs() -> None:
    pool = FunctionPool(size=1)
    outcome: list = []
    caller = threading.Thread(target=lambda: outcome.append(pool.invoke(HANG, {})))
    caller.start()
    time.sleep(0.3)
    (pid,) = pool.worker_pids()
    started = time.monotonic()
    pool.close(timeout_s=0.1)
    caller.join()
    assert time.monotonic() - started < 10  # not the function's 60 s
    assert outcome[0].error == "Runtime.ExitError"
    assert process_gone(pid)


def test_a_pool_dropped_without_close_still_kills_its_workers() -> None:
    pool = FunctionPool(size=2)
    pool.invoke(ECHO, {})
    pids = pool.worker_pids()
    del pool
    gc.collect()
    assert all(process_gone(pid) for pid in pids)


def test_default_size_is_the_cpu_count() -> None:
    with FunctionPool() as pool:
        assert pool.size == (os.cpu_count() or 1)
        assert len(pool.worker_pids()) == pool.size


def test_a_worker_that_cannot_start_is_a_service_exception() -> None:
    with FunctionPool(size=1, python="/bin/false") as pool:
        result = pool.invoke(ECHO, {})
    assert result.error == "Lambda.ServiceException"
    assert "function worker failed to start" in result.cause


def test_workers_exit_when_the_engine_process_dies_without_closing(repo_root) -> None:
    # An engine process that dies hard (no close, no atexit) while one of its
    # functions is stuck in a loop: its workers notice and exit by themselves.
    script = """
import json, os, threading, time
from backend.sandbox import FunctionPool, FunctionSpec
pool = FunctionPool(size=2)
pool.invoke(FunctionSpec("warm", source="def handler(e, c):\\n    return e\\n"), 1)
spin = FunctionSpec("spin", source="def handler(e, c):\\n    while True: pass\\n", timeout_s=60)
threading.Thread(target=pool.invoke, args=(spin, {}), daemon=True).start()
time.sleep(0.3)
print(json.dumps(pool.worker_pids()), flush=True)
os._exit(0)
"""
    engine = subprocess.run(
        [sys.executable, "-c", script],
        cwd=repo_root,
        env={**os.environ, "PYTHONPATH": str(repo_root)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    pids = json.loads(engine.stdout)
    assert len(pids) == 2
    deadline = time.monotonic() + 5
    while any(process_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(process_running(pid) for pid in pids)


def test_a_forked_child_gets_its_own_workers_and_leaves_the_parents_alone(repo_root) -> None:
    # A server that forks after creating its pool (pre-fork web or task workers):
    # the child must neither use the parent's workers nor kill them when it exits.
    script = """
import json, os, sys
from backend.sandbox import FunctionPool, FunctionSpec
echo = FunctionSpec("echo", source="def handler(e, c):\\n    return e\\n")
pool = FunctionPool(size=2)
assert pool.invoke(echo, "parent").payload == "parent"
parents = pool.worker_pids()
read_end, write_end = os.pipe()
child = os.fork()
if child == 0:
    os.close(read_end)
    result = pool.invoke(echo, "child").payload
    os.write(write_end, json.dumps([result, pool.worker_pids()]).encode())
    sys.exit(0)  # a normal exit: atexit finalizers run in the child
os.close(write_end)
child_result, childs = json.loads(os.read(read_end, 1000))
os.waitpid(child, 0)
print(json.dumps({
    "child_result": child_result,
    "separate": not set(childs) & set(parents),
    "parent_after": pool.invoke(echo, "again").payload,
    "parents_kept": pool.worker_pids() == parents,
}))
pool.close()
"""
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=repo_root,
        env={**os.environ, "PYTHONPATH": str(repo_root)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {
        "child_result": "child",
        "separate": True,
        "parent_after": "again",
        "parents_kept": True,
    }

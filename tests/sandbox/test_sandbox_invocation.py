"""What a function sees (event, context, environment) and what comes back (payload, logs)."""

from __future__ import annotations

import os
import textwrap

import pytest

from backend.sandbox import FunctionPool
from tests.sandbox.support import function

IDENTITY = function("identity", "def handler(event, context):\n    return event\n")


@pytest.mark.parametrize(
    "event",
    [
        None,
        0,
        -1.5,
        "text",
        "ünïcødé ✓ \u2028",
        [],
        {},
        {"a": [1, {"b": None}], "c": True},
        list(range(1000)),
        {"big": "x" * 1_000_000},  # far past a pipe's 64 KiB, both ways
    ],
    ids=lambda event: type(event).__name__,
)
def test_event_round_trips_unchanged(pool: FunctionPool, event: object) -> None:
    result = pool.invoke(IDENTITY, event)
    assert result.ok and result.error is None and result.cause is None
    assert result.payload == event


def test_context_object_looks_like_lambdas(pool: FunctionPool) -> None:
    spec = function(
        "introspect",
        """\
        def handler(event, context):
            return {
                "function_name": context.function_name,
                "function_version": context.function_version,
                "memory_limit_in_mb": context.memory_limit_in_mb,
                "aws_request_id": context.aws_request_id,
                "request_id": context.request_id,
                "remaining": context.get_remaining_time_in_millis(),
                "invoked_function_arn": context.invoked_function_arn,
                "execution": context.execution_name,
            }
        """,
        timeout_s=5,
        memory_mb=256,
    )
    result = pool.invoke(
        spec, {}, context={"invoked_function_arn": "arn:fn:introspect", "execution_name": "run-1"}
    )
    seen = result.payload
    assert seen["function_name"] == "introspect"
    assert seen["function_version"] == spec.version
    assert seen["memory_limit_in_mb"] == "256"  # a string, as on Lambda
    assert seen["aws_request_id"] == seen["request_id"] == result.request_id
    assert 4000 < seen["remaining"] <= 5000
    assert seen["invoked_function_arn"] == "arn:fn:introspect"
    assert seen["execution"] == "run-1"


def test_remaining_time_counts_down_from_the_capped_timeout(pool: FunctionPool) -> None:
    spec = function(
        "clock",
        """\
        import time

        def handler(event, context):
            time.sleep(0.2)
            return context.get_remaining_time_in_millis()
        """,
        timeout_s=10,
    )
    remaining = pool.invoke(spec, {}, timeout_s=1.0).payload
    assert 0 < remaining <= 800  # of the caller's 1 s, not the function's 10 s


def test_request_id_can_be_given_by_the_caller(pool: FunctionPool) -> None:
    spec = function("rid", "def handler(event, context):\n    return context.aws_request_id\n")
    result = pool.invoke(spec, {}, context={"request_id": "exec-7/state-3"})
    assert result.request_id == "exec-7/state-3"
    assert result.payload == "exec-7/state-3"


def test_each_function_sees_its_own_environment_variables_only() -> None:
    reader = function(
        "reader", "import os\ndef handler(event, context):\n    return os.environ.get(event)\n"
    )
    with_env = function(
        "with_env",
        "import os\ndef handler(event, context):\n    return os.environ.get(event)\n",
        env={"TABLE": "orders"},
    )
    with FunctionPool(size=1) as one:  # one worker: both functions run in the same process
        assert one.invoke(with_env, "TABLE").payload == "orders"
        assert one.invoke(reader, "TABLE").payload is None
        assert one.invoke(with_env, "TABLE").payload == "orders"


def test_changes_a_function_makes_to_its_environment_do_not_leak() -> None:
    tamper = function(
        "tamper",
        """\
        import os

        def handler(event, context):
            os.environ["LEAKED"] = "yes"
            os.environ["TABLE"] = "overwritten"
            os.environ.pop("PATH", None)
            return "done"
        """,
        env={"TABLE": "mine"},
    )
    probe = function(
        "probe",
        """\
        import os

        def handler(event, context):
            return [os.environ.get(k) for k in ("LEAKED", "TABLE", "PATH")]
        """,
        env={"TABLE": "theirs"},
    )
    # The same variables as ``tamper``: the switch between them is a no-op unless undone.
    tamper_probe = function(
        "probe",
        """\
        import os

        def handler(event, context):
            return [os.environ.get(k) for k in ("LEAKED", "TABLE")]
        """,
        env={"TABLE": "mine"},
    )
    with FunctionPool(size=1) as one:
        path_before = one.invoke(probe, {}).payload[2]
        assert one.invoke(tamper, {}).payload == "done"
        assert one.invoke(probe, {}).payload == [None, "theirs", path_before]
        # ... and not into a later invocation of the same function either.
        assert one.invoke(tamper, {}).payload == "done"
        assert one.invoke(tamper_probe, {}).payload == [None, "mine"]


def test_the_engines_own_environment_is_not_handed_to_functions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENGINE_SECRET", "hunter2")
    reader = function(
        "reader",
        "import os\ndef handler(event, context):\n    return os.environ.get('ENGINE_SECRET')\n",
    )
    with FunctionPool(size=1) as one:
        assert one.invoke(reader, {}).payload is None
    assert os.environ["ENGINE_SECRET"] == "hunter2"


def test_stdout_stderr_logging_and_raw_fd_writes_are_captured_in_order(pool: FunctionPool) -> None:
    spec = function(
        "logger",
        """\
        import logging, os, sys

        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")

        def handler(event, context):
            print("one")
            print("two", file=sys.stderr)
            logging.info("three")
            os.write(1, b"four\\n")
            sys.stdout.write("five\\n")
            sys.stdout.buffer.write(b"six\\n")
            sys.__stderr__.write("seven\\n")
            return event
        """,
    )
    result = pool.invoke(spec, 5)
    assert result.payload == 5
    assert result.logs == "one\ntwo\nINFO three\nfour\nfive\nsix\nseven\n"
    # Logging configured at init keeps working on later invocations.
    assert pool.invoke(spec, 6).logs == "one\ntwo\nINFO three\nfour\nfive\nsix\nseven\n"


def test_logs_belong_to_their_own_invocation(pool: FunctionPool) -> None:
    spec = function(
        "counter_log", "def handler(event, context):\n    print('event', event)\n    return event\n"
    )
    assert [pool.invoke(spec, n).logs for n in range(3)] == ["event 0\n", "event 1\n", "event 2\n"]
    assert pool.invoke(IDENTITY, 1).logs == ""


def test_logs_are_bounded_and_a_print_flood_does_not_disturb_the_result() -> None:
    spec = function(
        "flood",
        """\
        import os

        def handler(event, context):
            for i in range(20000):
                print("x" * 50)
            os.write(2, b"y" * 5000)
            return "ok"
        """,
    )
    with FunctionPool(size=1, max_log_bytes=1000) as one:
        result = one.invoke(spec, {})
        assert result.payload == "ok"
        body, _, note = result.logs.partition("\n[")
        assert len(result.logs.encode()) < 1200
        assert body.startswith("x" * 50 + "\n")
        # 20000 lines of 51 bytes plus the raw 5000 bytes, less the 1000 kept.
        assert note == f"{20000 * 51 + 5000 - 1000} more bytes of output dropped: limit is 1000]\n"
        assert one.invoke(IDENTITY, "next").logs == ""


def test_functions_cannot_read_the_request_pipe_through_stdin(pool: FunctionPool) -> None:
    spec = function(
        "reads_stdin", "import sys\ndef handler(event, context):\n    return sys.stdin.read()\n"
    )
    assert pool.invoke(spec, {}).payload == ""
    assert pool.invoke(IDENTITY, "still fine").payload == "still fine"


def test_module_state_persists_between_invocations_of_a_version() -> None:
    code = textwrap.dedent(
        """\
        CALLS = 0

        def handler(event, context):
            global CALLS
            CALLS += 1
            return CALLS
        """
    )
    v1 = function("warm", code)
    with FunctionPool(size=1) as one:
        assert [one.invoke(v1, {}).payload for _ in range(3)] == [1, 2, 3]
        # A new version (here: new code) loads afresh.
        v2 = function("warm", code + "\n# edited\n")
        assert v2.version != v1.version
        assert one.invoke(v2, {}).payload == 1
        assert one.invoke(v1, {}).payload == 4


def test_code_evicted_from_a_workers_cache_is_sent_again() -> None:
    specs = [function(f"f{n}", f"def handler(event, context):\n    return {n}\n") for n in range(4)]
    with FunctionPool(size=1, code_cache_size=2) as one:
        for _ in range(2):
            assert [one.invoke(spec, {}).payload for spec in specs] == [0, 1, 2, 3]


def test_files_a_function_writes_in_its_directory_cannot_shadow_modules() -> None:
    writer = function(
        "writer",
        "def handler(event, context):\n"
        "    open('colorsys.py', 'w').write('raise RuntimeError(\"shadowed\")')\n"
        "    return 'written'\n",
    )
    importer = function(
        "importer",
        "def handler(event, context):\n    import colorsys\n    return colorsys.__name__\n",
    )
    with FunctionPool(size=1) as one:
        assert one.invoke(writer, {}).payload == "written"
        assert one.invoke(importer, {}).payload == "colorsys"


def test_working_directory_sys_path_and_streams_are_reset_between_invocations() -> None:
    meddler = function(
        "meddler",
        """\
        import io, os, sys

        def handler(event, context):
            os.chdir("/")
            sys.path.insert(0, "/nowhere")
            sys.stdout = io.StringIO()
            return "meddled"
        """,
    )
    observer = function(
        "observer",
        """\
        import os, sys

        def handler(event, context):
            print("visible")
            return [os.getcwd() == "/", "/nowhere" in sys.path]
        """,
    )
    with FunctionPool(size=1) as one:
        assert one.invoke(meddler, {}).payload == "meddled"
        result = one.invoke(observer, {})
    assert result.payload == [False, False]
    assert result.logs == "visible\n"


def test_a_function_deleting_its_working_directory_does_not_break_the_pool() -> None:
    vandal = function(
        "vandal",
        "import os, shutil\ndef handler(event, context):\n    shutil.rmtree(os.getcwd())\n"
        "    os._exit(1)\n",
    )
    with FunctionPool(size=1) as one:
        assert one.invoke(vandal, {}).error == "Runtime.ExitError"
        assert one.invoke(IDENTITY, "alive").payload == "alive"


def test_closing_stdout_and_stderr_does_not_silence_later_functions() -> None:
    closer = function(
        "closer",
        "import os\ndef handler(event, context):\n    os.close(1)\n    os.close(2)\n"
        "    return 'closed'\n",
    )
    talker = function(
        "talker",
        "import os, sys\ndef handler(event, context):\n    print('printed')\n"
        "    os.write(1, b'raw\\n')\n    return 'talked'\n",
    )
    with FunctionPool(size=1) as one:
        assert one.invoke(closer, {}).payload == "closed"
        result = one.invoke(talker, {})
    assert result.payload == "talked"
    assert result.logs == "printed\nraw\n"


def test_a_forked_child_returning_from_the_handler_does_not_answer_or_serve() -> None:
    forker = function(
        "forker",
        """\
        import os

        def handler(event, context):
            child = os.fork()
            return "child" if child == 0 else "parent"
        """,
    )
    with FunctionPool(size=1) as one:
        for _ in range(3):
            assert one.invoke(forker, {}).payload == "parent"
        assert one.invoke(IDENTITY, "still in order").payload == "still in order"

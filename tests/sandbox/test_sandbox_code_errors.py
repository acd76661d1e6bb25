"""Errors of the function's code map to Task errors as AWS Lambda's Python runtime names them."""

from __future__ import annotations

import json

import pytest

from backend.sandbox import FunctionPool, FunctionSpec
from tests.sandbox.support import cause_of, function


def test_raised_exception_is_named_by_its_class_with_lambda_cause(pool: FunctionPool) -> None:
    spec = function(
        "raiser",
        """\
        def handler(event, context):
            raise ValueError("x")
        """,
    )
    result = pool.invoke(spec, {})
    assert not result.ok
    assert result.error == "ValueError"
    cause = cause_of(result)
    assert list(cause) == ["errorMessage", "errorType", "stackTrace"]  # no requestId
    assert cause["errorMessage"] == "x"
    assert cause["errorType"] == "ValueError"
    assert cause["stackTrace"] == [
        '  File "raiser.py", line 2, in handler\n    raise ValueError("x")\n'
    ]
    # Lambda's runtime writes its document with json's default separators.
    assert result.cause == json.dumps(cause)


def test_stack_trace_lists_every_frame_of_the_code_and_none_of_the_runtime(
    pool: FunctionPool,
) -> None:
    spec = function(
        "nested",
        """\
        class CustomException(Exception):
            pass

        def helper(value):
            raise CustomException()

        def handler(event, context):
            return helper(event)
        """,
    )
    result = pool.invoke(spec, 1)
    assert result.error == "CustomException"
    cause = cause_of(result)
    assert cause["errorMessage"] == ""
    assert cause["stackTrace"] == [
        '  File "nested.py", line 8, in handler\n    return helper(event)\n',
        '  File "nested.py", line 5, in helper\n    raise CustomException()\n',
    ]


def test_file_based_function_shows_its_path_in_frames(pool: FunctionPool, tmp_path) -> None:
    path = tmp_path / "handler.py"
    path.write_text(
        'def handler(event, context):\n    raise Exception("Some exception was raised.")\n'
    )
    result = pool.invoke(FunctionSpec("from_file", path=path), None)
    assert result.error == "Exception"
    assert cause_of(result)["stackTrace"] == [
        f'  File "{path}", line 2, in handler\n    raise Exception("Some exception was raised.")\n'
    ]


def test_exception_at_module_top_level_fails_every_invocation_until_fixed(
    pool: FunctionPool,
) -> None:
    spec = function(
        "bad_init",
        """\
        CONFIG = {}
        TABLE = CONFIG["table"]

        def handler(event, context):
            return TABLE
        """,
    )
    for _ in range(2):  # init is retried, as Lambda re-initialises after an init error
        result = pool.invoke(spec, {})
        assert result.error == "KeyError"
        cause = cause_of(result)
        assert cause["errorMessage"] == "'table'"
        assert cause["stackTrace"] == [
            '  File "bad_init.py", line 2, in <module>\n    TABLE = CONFIG["table"]\n'
        ]


def test_syntax_error_is_user_code_syntax_error(pool: FunctionPool) -> None:
    spec = function("broken", "def handler(event, context)\n    return 1\n")
    result = pool.invoke(spec, {})
    assert result.error == "Runtime.UserCodeSyntaxError"
    cause = cause_of(result)
    assert cause["errorType"] == "Runtime.UserCodeSyntaxError"
    assert cause["errorMessage"].startswith("Syntax error in module 'broken': ")
    assert cause["errorMessage"].endswith("(broken.py, line 1)")
    assert cause["stackTrace"] == ['  File "broken.py" Line 1\n    def handler(event, context)\n']


def test_missing_handler_is_handler_not_found(pool: FunctionPool) -> None:
    spec = function("no_handler", "def main(event, context):\n    return 1\n")
    result = pool.invoke(spec, {})
    assert result.error == "Runtime.HandlerNotFound"
    assert cause_of(result) == {
        "errorMessage": "Handler 'handler' missing on module 'no_handler'",
        "errorType": "Runtime.HandlerNotFound",
        "stackTrace": [],
    }


def test_custom_handler_name_is_used(pool: FunctionPool) -> None:
    spec = function("custom", "def main(event, context):\n    return 'main'\n", handler="main")
    assert pool.invoke(spec, {}).payload == "main"


def test_failed_import_is_import_module_error(pool: FunctionPool) -> None:
    spec = function(
        "needs_lib", "import no_such_module_xyz\n\ndef handler(event, context):\n    return 1\n"
    )
    result = pool.invoke(spec, {})
    assert result.error == "Runtime.ImportModuleError"
    assert cause_of(result)["errorMessage"] == (
        "Unable to import module 'needs_lib': No module named 'no_such_module_xyz'"
    )


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        ("{1, 2}", "Unable to marshal response: Object of type set is not JSON serializable"),
        ("object()", "Unable to marshal response: Object of type object is not JSON serializable"),
        (
            "float('nan')",
            "Unable to marshal response: Out of range float values are not JSON compliant",
        ),
        ("b'not json'", "Unable to marshal response: returned bytes are not JSON text"),
        ("'[1]'.encode('utf-16')", "Unable to marshal response: returned bytes are not JSON text"),
    ],
)
def test_result_that_is_not_json_is_marshal_error(
    pool: FunctionPool, returned: str, message: str
) -> None:
    spec = function("returns_junk", f"def handler(event, context):\n    return {returned}\n")
    result = pool.invoke(spec, {})
    assert result.error == "Runtime.MarshalError"
    assert cause_of(result)["errorMessage"].startswith(message)


def test_json_bytes_are_passed_through_as_the_payload(pool: FunctionPool) -> None:
    spec = function("raw", "def handler(event, context):\n    return b'\"HelloWorld!\"'\n")
    result = pool.invoke(spec, {})
    assert result.payload_json == '"HelloWorld!"'
    assert result.payload == "HelloWorld!"


def test_response_over_the_size_limit_is_response_size_too_large() -> None:
    spec = function("big", "def handler(event, context):\n    return 'a' * event\n")
    with FunctionPool(size=1, max_response_bytes=1000) as small:
        assert small.invoke(spec, 990).ok
        result = small.invoke(spec, 1000)
    assert result.error == "Function.ResponseSizeTooLarge"
    assert cause_of(result)["errorMessage"] == (
        "Response payload size exceeded maximum allowed payload size (1000 bytes)."
    )


def test_event_or_context_that_is_not_json_is_the_callers_error(pool: FunctionPool) -> None:
    spec = function("identity", "def handler(event, context):\n    return event\n")
    with pytest.raises(TypeError, match="event for function 'identity' is not JSON-serialisable"):
        pool.invoke(spec, {1, 2})
    with pytest.raises(TypeError, match="context for function 'identity' is not JSON-serialisable"):
        pool.invoke(spec, {}, context={"client": object()})

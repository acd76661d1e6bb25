"""FunctionSpec: validation, file loading and the version that keys workers' code caches."""

from __future__ import annotations

import pytest

from backend.sandbox import FunctionSpec

CODE = "def handler(event, context):\n    return event\n"


def test_defaults_are_lambdas() -> None:
    spec = FunctionSpec("f", source=CODE)
    assert (spec.handler, spec.timeout_s, spec.memory_mb, dict(spec.env)) == (
        "handler",
        3.0,
        128,
        {},
    )
    assert spec.filename == "f.py" and spec.module_name == "f"


def test_code_from_a_file_is_read_once_at_construction(tmp_path) -> None:
    path = tmp_path / "orders.py"
    path.write_text(CODE)
    spec = FunctionSpec("orders-fn", path=path)
    path.write_text("garbage")
    assert spec.source == CODE
    assert spec.filename == str(path.resolve()) and spec.module_name == "orders"


@pytest.mark.parametrize(
    "change",
    [
        {"source": CODE + "\n"},
        {"handler": "main"},
        {"timeout_s": 4.0},
        {"memory_mb": 256},
        {"env": {"A": "1"}},
    ],
)
def test_version_changes_with_anything_that_affects_a_run(change: dict) -> None:
    base = {"source": CODE}
    assert FunctionSpec("f", **base).version != FunctionSpec("f", **{**base, **change}).version


def test_version_is_stable_and_can_be_given() -> None:
    assert FunctionSpec("f", source=CODE).version == FunctionSpec("f", source=CODE).version
    assert FunctionSpec("f", source=CODE, version="v7").version == "v7"
    assert (
        FunctionSpec("f", source=CODE, version="v7").key
        != FunctionSpec("g", source=CODE, version="v7").key
    )


def test_env_is_copied_and_read_only() -> None:
    env = {"A": "1"}
    spec = FunctionSpec("f", source=CODE, env=env)
    env["A"] = "2"
    assert spec.env["A"] == "1"
    with pytest.raises(TypeError):
        spec.env["B"] = "x"  # type: ignore[index]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": ""}, "name must be a non-empty string"),
        ({"source": None}, "give exactly one of source and path"),
        ({"path": "x.py"}, "give exactly one of source and path"),
        ({"handler": "not valid"}, "is not a Python identifier"),
        ({"timeout_s": 0}, "timeout_s must be > 0"),
        ({"memory_mb": 0}, "memory_mb must be a positive int"),
        ({"memory_mb": 1.5}, "memory_mb must be a positive int"),
        ({"env": {"A=B": "1"}}, "bad environment variable"),
        ({"env": {"A": 1}}, "bad environment variable"),
    ],
)
def test_bad_configuration_is_refused_with_the_reason(kwargs: dict, message: str) -> None:
    arguments = {"name": "f", "source": CODE, **kwargs}
    with pytest.raises(ValueError, match=message):
        FunctionSpec(**arguments)

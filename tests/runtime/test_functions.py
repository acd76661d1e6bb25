"""Functions: checks, content hash, loading from a folder, test invoke in the real sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from backend.workflows.errors import FunctionAlreadyExists, InvalidFunction, InvalidName
from backend.workflows.models import Function
from backend.workflows.services import (
    function_create,
    function_test_invoke,
    function_update,
    load_functions_from_folder,
)

SUM = 'def handler(event, context):\n    return sum(event["values"])\n'


def test_create_and_the_content_hash_follows_every_setting(owner) -> None:
    function = function_create(owner=owner, name="sum", source=SUM)
    first = function.content_hash
    assert len(first) == 64

    same = function_update(function=function, source=SUM, timeout_s=3)
    assert same.content_hash == first
    for change in ({"timeout_s": 5}, {"memory_mb": 256}, {"environment": {"MODE": "x"}}, {"source": SUM + "\n"}):
        before = Function.objects.get(pk=function.pk).content_hash
        function_update(function=function, **change)
        assert Function.objects.get(pk=function.pk).content_hash != before, change
    function_update(function=function, description="docs only")
    assert Function.objects.get(pk=function.pk).description == "docs only"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source": "def handler(event, context)\n    return 1\n"}, r"source: .*\(line 1\)"),
        ({"timeout_s": 0}, "timeout_s"),
        ({"timeout_s": 901}, "timeout_s"),
        ({"memory_mb": 8}, "memory_mb"),
        ({"handler": "not an identifier"}, "handler"),
        ({"environment": {"A=B": "x"}}, "environment variable"),
    ],
)
def test_bad_functions_are_refused_naming_the_field(owner, fields: dict, message: str) -> None:
    with pytest.raises(InvalidFunction, match=message):
        function_create(owner=owner, name="f", **{"source": SUM, **fields})
    assert not Function.objects.exists()


def test_function_names(owner, other_owner) -> None:
    function_create(owner=owner, name="sum", source=SUM)
    with pytest.raises(FunctionAlreadyExists):
        function_create(owner=owner, name="sum", source=SUM)
    function_create(owner=other_owner, name="sum", source=SUM)
    with pytest.raises(InvalidName):
        function_create(owner=owner, name="no.dots", source=SUM)


def test_load_from_folder_creates_updates_and_reports_unchanged(owner, tmp_path: Path) -> None:
    (tmp_path / "sum.py").write_text(SUM)
    (tmp_path / "slow.py").write_text("def run(event, context):\n    return 1\n")
    (tmp_path / "slow.json").write_text(json.dumps({"handler": "run", "timeout_s": 30, "environment": {"A": "1"}}))
    (tmp_path / "notes.txt").write_text("ignored")

    first = {item.function.name: item.action for item in load_functions_from_folder(owner=owner, folder=tmp_path)}
    assert first == {"slow": "created", "sum": "created"}
    slow = Function.objects.get(name="slow")
    assert (slow.handler, slow.timeout_s, slow.environment) == ("run", 30.0, {"A": "1"})

    (tmp_path / "sum.py").write_text(SUM.replace("sum(", "0 + sum("))
    second = {item.function.name: item.action for item in load_functions_from_folder(owner=owner, folder=tmp_path)}
    assert second == {"slow": "unchanged", "sum": "updated"}


def test_load_from_folder_is_all_or_nothing(owner, tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(SUM)
    (tmp_path / "b.py").write_text("def handler(:\n")
    with pytest.raises(InvalidFunction, match="source"):
        load_functions_from_folder(owner=owner, folder=tmp_path)
    assert not Function.objects.exists()

    (tmp_path / "b.py").write_text(SUM)
    (tmp_path / "b.json").write_text('{"timeout": 3}')
    with pytest.raises(InvalidFunction, match="b.json"):
        load_functions_from_folder(owner=owner, folder=tmp_path)


def test_load_functions_command(owner, tmp_path: Path, capsys) -> None:
    (tmp_path / "sum.py").write_text(SUM)
    call_command("load_functions", str(tmp_path), "--owner", "alice")
    assert "function sum: created" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no user"):
        call_command("load_functions", str(tmp_path), "--owner", "nobody")
    with pytest.raises(CommandError, match="not a folder"):
        call_command("load_functions", str(tmp_path / "missing"), "--owner", "alice")


def test_test_invoke_runs_the_stored_code_in_a_worker_process(owner, function_pool) -> None:
    function = function_create(owner=owner, name="sum", source=SUM)
    result = function_test_invoke(function=function, event={"values": [1, 2, 3, 4, 5]}, pool=function_pool)
    assert result.ok and result.payload == 15

    # An edit is picked up at once (the content hash is the sandbox's code version).
    function_update(function=function, source=SUM.replace("return sum(", "return 100 + sum("))
    assert function_test_invoke(function=function, event={"values": [1]}, pool=function_pool).payload == 101


def test_test_invoke_reports_the_functions_errors_and_logs(owner, function_pool) -> None:
    source = (
        "import os\n"
        "def handler(event, context):\n"
        '    print("env", os.environ["MODE"])\n'
        '    raise ValueError("bad " + event)\n'
    )
    function = function_create(owner=owner, name="boom", source=source, environment={"MODE": "strict"})

    result = function_test_invoke(function=function, event="input", pool=function_pool)

    assert (result.ok, result.error) == (False, "ValueError")
    assert json.loads(result.cause)["errorMessage"] == "bad input"
    assert "env strict" in result.logs


def test_test_invoke_enforces_the_timeout_and_the_pool_survives(owner, function_pool) -> None:
    hang = function_create(
        owner=owner, name="hang", source="def handler(event, context):\n    while True:\n        pass\n", timeout_s=0.5
    )
    result = function_test_invoke(function=hang, event={}, pool=function_pool)
    assert result.error == "Sandbox.Timedout"

    ok = function_create(owner=owner, name="sum", source=SUM)
    assert function_test_invoke(function=ok, event={"values": [2, 3]}, pool=function_pool).payload == 5

"""``python -m backend.engine validate`` (its ``main`` here; the engine CLI dispatches to it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.engine.validation.cli import main

VALID = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
INVALID = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "C": {"Type": "Wat"}}}
CALLBACK = {
    "StartAt": "T",
    "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True}},
}


def _write(tmp_path: Path, definition: object) -> str:
    path = tmp_path / "definition.json"
    path.write_text(definition if isinstance(definition, str) else json.dumps(definition), encoding="utf-8")
    return str(path)


def test_valid_definition_exits_0_and_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([_write(tmp_path, VALID)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "valid: 0 error(s)" in captured.err


def test_invalid_definition_prints_location_code_message(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", _write(tmp_path, INVALID)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("/States/C/Type  UNKNOWN_STATE_TYPE  Unknown state type 'Wat'")
    assert lines[1].startswith("/States/A/Next  MISSING_TRANSITION_TARGET  ")
    assert lines[2].startswith("/States/C  UNREACHABLE_STATE  ")


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([_write(tmp_path, INVALID), "--json"]) == 1
    diagnostics = json.loads(capsys.readouterr().out)
    assert [(d["severity"], d["code"], d["location"]) for d in diagnostics] == [
        ("ERROR", "UNKNOWN_STATE_TYPE", "/States/C/Type"),
        ("ERROR", "MISSING_TRANSITION_TARGET", "/States/A/Next"),
        ("WARNING", "UNREACHABLE_STATE", "/States/C"),
    ]


def test_type_express_rejects_callbacks(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = _write(tmp_path, CALLBACK)
    assert main([path]) == 0
    assert main([path, "--type", "EXPRESS"]) == 1
    assert "/States/T/Resource  SCHEMA_VALIDATION_FAILED  Express state machine does not support" in capsys.readouterr().out


def test_warnings_only_is_valid_unless_strict(tmp_path: Path) -> None:
    path = _write(tmp_path, {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}, "B": {"Type": "Succeed"}}})
    assert main([path]) == 0
    assert main([path, "--strict"]) == 1


def test_malformed_json_reports_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([_write(tmp_path, '{\n  "StartAt": "A",\n  "States": {,}\n}')]) == 1
    out = capsys.readouterr().out
    assert out.startswith("/  INVALID_JSON_DESCRIPTION  ")
    assert "line 3, column 14" in out


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture) -> None:
    assert main([]) == 2
    assert main(["x.json", "--type", "FAST"]) == 2

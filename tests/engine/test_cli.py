from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backend.engine", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "def.json").write_text(json.dumps({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:echo", "End": True}}}))
    (tmp_path / "in.json").write_text('{"x": 1}')
    (tmp_path / "echo.py").write_text("def handler(event, context):\n    return {'got': event}\n")
    (tmp_path / "functions.json").write_text(json.dumps({"echo": str(tmp_path / "echo.py")}))
    return tmp_path


def test_run_prints_one_json_object(files):
    proc = cli("run", "--definition", str(files / "def.json"), "--input", str(files / "in.json"),
               "--functions", str(files / "functions.json"), "--type", "STANDARD")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] == "SUCCEEDED" and result["output"] == {"got": {"x": 1}}
    assert result["error"] is None and result["cause"] is None


def test_run_with_history_and_a_failure_still_exits_zero(files):
    (files / "def.json").write_text(json.dumps({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}))
    proc = cli("run", "--definition", str(files / "def.json"), "--input", str(files / "in.json"), "--history")
    result = json.loads(proc.stdout)
    assert proc.returncode == 0
    assert (result["status"], result["error"]) == ("FAILED", "E")
    assert [e["type"] for e in result["history"]] == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]


def test_run_times_out_a_callback_task_that_never_heartbeats(files):
    (files / "def.json").write_text(json.dumps({"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "HeartbeatSeconds": 1,
        "Parameters": {"FunctionName": "echo", "Payload": {"token.$": "$$.Task.Token"}}, "End": True}}}))
    proc = cli("run", "--definition", str(files / "def.json"), "--input", str(files / "in.json"),
               "--functions", str(files / "functions.json"), "--history")
    result = json.loads(proc.stdout)
    assert (result["status"], result["error"]) == ("FAILED", "States.Timeout")
    assert [e["type"] for e in result["history"]][-3:] == ["TaskSubmitted", "TaskTimedOut", "ExecutionFailed"]


@pytest.mark.parametrize("text", ['{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}', "not json", "[]",
                                  '{"StartAt": 3, "States": {}}'])
def test_invalid_definition_prints_diagnostics_and_exits_2(files, text):
    (files / "def.json").write_text(text)
    proc = cli("run", "--definition", str(files / "def.json"), "--input", str(files / "in.json"))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr and proc.stderr.strip()


def test_bench_prints_the_protocol_object_last(files):
    (files / "def.json").write_text(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
    proc = cli("bench", str(files / "def.json"), "--input", str(files / "in.json"), "--repeat", "3", "--warmup", "1",
               "--persist", f"sqlite:{files / 'bench.db'}")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["protocol"] == 1 and len(result["times_s"]) == 3 and result["transitions"] == 1
    assert result["output"] == {"x": 1} and result["notes"]["persist"] == "sqlite"

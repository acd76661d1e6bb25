"""AWS-recorded conformance cases replayed against the intrinsics, without the interpreter.

Every case whose definition is a single Pass state that only builds its output from
``Parameters`` with at least one intrinsic call is evaluated here: the Parameters
template (paths module + this module) is rendered against the recorded input and the
result is judged by the conformance runner's own comparison (``run.py: judge``), with
the case's pattern rules and strict int/float distinction.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from backend.engine.errors import DefinitionError, StatesError
from backend.engine.paths import compile_payload_template

CONFORMANCE = Path("/work/shared/conformance")
PASS_FIELDS = {"Type", "Parameters", "End", "Comment"}


def _load_runner():
    spec = importlib.util.spec_from_file_location("conformance_run", CONFORMANCE / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _uses_intrinsic(template: Any) -> bool:
    if isinstance(template, dict):
        return any(
            (key.endswith(".$") and isinstance(value, str) and value.startswith("States."))
            or _uses_intrinsic(value)
            for key, value in template.items()
        )
    if isinstance(template, list):
        return any(_uses_intrinsic(item) for item in template)
    return False


def _single_pass_parameters(case: dict) -> tuple[str, dict] | None:
    definition = case["definition"]
    states = definition.get("States", {})
    if len(states) != 1 or definition.get("QueryLanguage", "JSONPath") != "JSONPath":
        return None
    (name, state), = states.items()
    if state.get("Type") != "Pass" or not set(state) <= PASS_FIELDS or "Parameters" not in state:
        return None
    if not _uses_intrinsic(state["Parameters"]):
        return None
    return name, state["Parameters"]


def _cases() -> list:
    found = []
    for path in sorted((CONFORMANCE / "cases").glob("*.json")):
        case = json.loads(path.read_text())
        extracted = _single_pass_parameters(case)
        if extracted is not None:
            found.append(pytest.param(case, *extracted, id=case["id"]))
    return found


class CaseScope:
    """The Context Object of a first state of an execution; no variables."""

    def __init__(self, execution_input: Any, state_name: str):
        self.context = {
            "Execution": {
                "Id": "arn:aws:states:us-east-1:111111111111:execution:sm:exec-1",
                "Input": execution_input,
                "Name": "exec-1",
                "RoleArn": "arn:aws:iam::111111111111:role/sfn",
                "StartTime": "2024-01-01T00:00:00.000Z",
            },
            "StateMachine": {"Id": "arn:aws:states:us-east-1:111111111111:stateMachine:sm", "Name": "sm"},
            "State": {"EnteredTime": "2024-01-01T00:00:00.000Z", "Name": state_name, "RetryCount": 0},
        }

    def context_object(self) -> dict:
        return self.context

    def get_variable(self, name: str) -> Any:
        raise KeyError(name)


CASES = _cases()
RUNNER = _load_runner()


def test_the_corpus_has_intrinsic_cases():
    assert len(CASES) >= 60


@pytest.mark.parametrize(("case", "state_name", "parameters"), CASES)
def test_recorded_case(case: dict, state_name: str, parameters: dict):
    pointer = f"/States/{state_name}/Parameters"
    try:
        template = compile_payload_template(parameters, pointer=pointer)
    except DefinitionError as exc:
        pytest.fail(f"rejected at compile time: {exc}")
    try:
        output = template.render(case["input"], CaseScope(case["input"], state_name))
        result = {"status": "SUCCEEDED", "output": output}
    except StatesError as exc:
        result = {"status": "FAILED", "error": exc.error, "cause": exc.cause}
    reason = RUNNER.judge(case, result, strict_numbers=True)
    assert reason is None, reason

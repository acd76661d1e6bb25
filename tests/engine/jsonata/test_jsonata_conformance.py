"""AWS-recorded conformance cases replayed against this module, without the interpreter.

Every case whose definition is a single JSONata Pass state that only computes its
``Output`` is evaluated here: the Output value is compiled and evaluated with
``$states.input`` = the recorded input, and the result is judged by the conformance
runner's own comparison (``run.py: judge``) with strict int/float distinction. A
failure carries the prefix of a first state (entered at event #2).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from backend.engine.errors import StatesError
from backend.engine.jsonata_query import compile_jsonata_value
from tests.engine.jsonata.support import FakeScope

CONFORMANCE = Path("/work/shared/conformance")
PASS_FIELDS = {"Type", "Output", "End", "Comment", "QueryLanguage"}


def _load_runner():
    spec = importlib.util.spec_from_file_location("conformance_run", CONFORMANCE / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _single_pass_output(case: dict) -> tuple[str, Any] | None:
    definition = case["definition"]
    states = definition.get("States", {})
    if len(states) != 1:
        return None
    ((name, state),) = states.items()
    language = state.get("QueryLanguage", definition.get("QueryLanguage", "JSONPath"))
    if language != "JSONata" or state.get("Type") != "Pass" or not set(state) <= PASS_FIELDS:
        return None
    if "Output" not in state:
        return None
    return name, state["Output"]


def _cases() -> list:
    found = []
    for path in sorted((CONFORMANCE / "cases").glob("*.json")):
        case = json.loads(path.read_text())
        extracted = _single_pass_output(case)
        if extracted is not None:
            found.append(pytest.param(case, *extracted, id=case["id"]))
    return found


CASES = _cases()
RUNNER = _load_runner()


def test_the_corpus_has_jsonata_output_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize(("case", "state_name", "output"), CASES)
def test_recorded_case(case: dict, state_name: str, output: Any):
    compiled = compile_jsonata_value(output, pointer=f"/States/{state_name}/Output")
    states = {"input": case["input"]}
    try:
        value = compiled.evaluate(states, FakeScope(), field="Output", state_name=state_name, entered_event_id=2)
        result = {"status": "SUCCEEDED", "output": value}
    except StatesError as exc:
        result = {"status": "FAILED", "error": exc.error, "cause": exc.cause}
    reason = RUNNER.judge(case, result, strict_numbers=True)
    assert reason is None, reason

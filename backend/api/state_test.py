"""Run one state with a given input through the engine, like Step Functions' TestState.

The state is compiled as a small machine of its own: the state itself plus a ``Succeed``
state for every target it can transition to (``Next``, ``Default``, ``Choices[].Next``,
``Catch[].Next``), so the engine decides the next state and the output exactly as in a
real run. A fake clock makes Wait states and Retry back-offs instantaneous. For JSONPath
states the data-flow stages (InputPath, Parameters, result, ResultSelector, ResultPath,
OutputPath) are recomputed with the engine's paths module, for the designer's preview.
"""

from __future__ import annotations

import json
import time
from typing import Any

from backend.api.errors import ApiError
from backend.engine.clock import FakeClock
from backend.engine.errors import DefinitionError, StatesError
from backend.engine.execution import Execution as EngineExecution
from backend.engine.paths import compile_path, compile_payload_template, compile_result_path
from backend.engine.program import compile_definition
from backend.engine.resources import InlineDispatcher

UNSUPPORTED_TYPES = ("Map", "Parallel")
_RESULT_EVENTS = ("TaskSucceeded", "LambdaFunctionSucceeded")


class _PreviewScope:
    """What ``$$`` and variables read during the stage preview."""

    def __init__(self, state_name: str, input_value: Any):
        self._context = {
            "Execution": {"Id": "test-state", "Input": input_value, "Name": "test-state"},
            "State": {"Name": state_name, "EnteredTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())},
            "StateMachine": {"Id": "test-state", "Name": "test-state"},
        }

    def context_object(self) -> dict:
        return self._context

    def get_variable(self, name: str) -> Any:
        raise KeyError(name)


def _pick_state(definition: Any, state_name: str | None) -> tuple[str, dict[str, Any], str]:
    """(name, state, query language) from a whole machine or a single state."""
    if not isinstance(definition, dict):
        raise ApiError("InvalidDefinition", "The definition must be a JSON object: a state or a state machine.")
    language = definition.get("QueryLanguage", "JSONPath")
    if "States" in definition:
        states = definition.get("States")
        name = state_name or definition.get("StartAt")
        if not isinstance(states, dict) or not isinstance(name, str) or not isinstance(states.get(name), dict):
            raise ApiError("InvalidDefinition", f"The state machine has no state named '{name}'.", field="state_name")
        return name, states[name], language
    return state_name or "TestState", definition, language


def _targets(state: dict[str, Any]) -> list[str]:
    found = [state.get("Next"), state.get("Default")]
    for key in ("Choices", "Catch"):
        items = state.get(key)
        if isinstance(items, list):
            found.extend(item.get("Next") for item in items if isinstance(item, dict))
    return [name for name in dict.fromkeys(found) if isinstance(name, str)]


def _one_state_machine(name: str, state: dict[str, Any], language: str) -> dict[str, Any]:
    states: dict[str, Any] = {target: {"Type": "Succeed"} for target in _targets(state) if target != name}
    states[name] = state
    return {"QueryLanguage": language, "StartAt": name, "States": states}


def _stages(state: dict[str, Any], name: str, input_value: Any, result: Any, has_result: bool) -> dict[str, Any]:
    """The JSONPath data flow, as far as it can be computed (a failing stage ends it)."""
    scope = _PreviewScope(name, input_value)
    stages: dict[str, Any] = {"input": input_value}
    try:
        effective = compile_path(state.get("InputPath", "$"), pointer="/InputPath").select(input_value, scope) \
            if state.get("InputPath", "$") is not None else {}
        stages["afterInputPath"] = effective
        if isinstance(state.get("Parameters"), dict):
            effective = compile_payload_template(state["Parameters"], pointer="/Parameters").render(effective, scope)
            stages["afterParameters"] = effective
        if state.get("Type") == "Pass":
            result, has_result = (state["Result"], True) if "Result" in state else (effective, True)
        if not has_result:
            return stages
        stages["result"] = result
        if isinstance(state.get("ResultSelector"), dict):
            result = compile_payload_template(state["ResultSelector"], pointer="/ResultSelector").render(result, scope)
            stages["afterResultSelector"] = result
        combined = compile_result_path(state.get("ResultPath", "$"), pointer="/ResultPath").apply(input_value, result)
        stages["afterResultPath"] = combined
        output_path = state.get("OutputPath", "$")
        stages["output"] = {} if output_path is None else compile_path(output_path, pointer="/OutputPath").select(combined, scope)
    except (StatesError, DefinitionError):
        pass
    return stages


def state_test(*, owner: Any, definition: Any, state_name: str | None, input_text: str, role: Any = None) -> dict[str, Any]:
    """TestState's answer: status SUCCEEDED | FAILED | CAUGHT_ERROR | PENDING, output and/or error/cause,
    nextState, and ``inspectionData`` with the data-flow stages."""
    name, state, language = _pick_state(definition, state_name)
    if state.get("Type") in UNSUPPORTED_TYPES:
        raise ApiError("ValidationException", f"TestState does not support {state['Type']} states.")
    try:
        input_value = json.loads(input_text)
        program = compile_definition(_one_state_machine(name, state, language), name="test-state")
    except ValueError as error:
        raise ApiError("InvalidExecutionInput", f"Invalid input: {error}", field="input") from None
    except DefinitionError as error:
        pointer = f"/States/{name}" if error.pointer.startswith(f"/States/{name}") else error.pointer
        raise ApiError("InvalidDefinition", f"Invalid State Machine Definition: '{error.code}: {error.message} at "
                       f"{error.pointer}'", pointer=pointer) from None
    from backend.executions.runner.registry import build_registry  # the runtime's resources for this owner

    clock = FakeClock(start=time.time())
    dispatcher = InlineDispatcher(build_registry(owner=owner, role=role), clock, wait_for_callbacks=False)
    result = EngineExecution(program, input_value, name="test-state", dispatcher=dispatcher, clock=clock).run()

    task_result, has_result, next_state, exited, failure = None, False, None, None, None
    for event in result.events:
        details = event.details or {}
        if event.type in _RESULT_EVENTS:
            task_result, has_result = details.get("output"), True
        elif event.type.endswith(("Failed", "TimedOut")) and not event.type.startswith("Execution"):
            failure = details
        elif event.type.endswith("StateExited") and details.get("name") == name:
            exited = details.get("output")
        elif event.type.endswith("StateEntered") and details.get("name") != name and next_state is None:
            next_state = details.get("name")
    answer: dict[str, Any] = {"nextState": next_state}
    if result.status == "SUCCEEDED":
        answer["output"] = exited if exited is not None else result.output
        if failure is not None and next_state is not None:  # left through a Catch
            answer.update(status="CAUGHT_ERROR", error=failure.get("error"), cause=failure.get("cause"))
        else:
            answer["status"] = "SUCCEEDED"
    elif result.status in ("FAILED", "TIMED_OUT", "ABORTED"):
        answer.update(status="FAILED", error=result.error, cause=result.cause)
    else:  # a .waitForTaskToken Task: only a callback could complete it
        answer["status"] = "PENDING"
    if language == "JSONPath":
        answer["inspectionData"] = _stages(state, name, input_value, task_result, has_result)
    else:
        answer["inspectionData"] = {"input": input_value}
    return answer

"""Local functions: Python files with ``handler(event, context)``, run like a cloud function.

``--functions`` maps names to files (a JSON object, or a folder of ``NAME.py``).
Lambda ARNs, ``arn:aws:states:::lambda:invoke`` (with ``Parameters.FunctionName``)
and TCSL ``qrn:qcs:asw:...:scf:Invoke/NAME`` all resolve to the same handlers.
A handler runs on a daemon thread so a Task ``TimeoutSeconds`` can be enforced
(the abandoned thread cannot be killed, only ignored).
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import threading
import traceback
import uuid
from email.utils import formatdate
from pathlib import Path
from typing import Any, Callable

from .errors import DATA_LIMIT_EXCEEDED
from .resources import LAMBDA_ARN, LAMBDA_INVOKE, SCF_INVOKE, ResourceRegistry, TaskCall, TaskOutcome

PAYLOAD_LIMIT = 262_144


class FunctionsFileError(ValueError):
    """The ``--functions`` argument cannot be read."""


def load_function_map(path: str) -> dict[str, str]:
    """Name -> Python file, from a JSON object file or a folder of ``NAME.py`` files."""
    p = Path(path)
    if p.is_dir():
        return {f.stem: str(f) for f in sorted(p.glob("*.py"))}
    try:
        mapping = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FunctionsFileError(f"cannot read functions file {path}: {exc}") from exc
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise FunctionsFileError(f"{path}: expected a JSON object mapping names to Python files")
    base = p.parent
    return {name: str((base / file) if not os.path.isabs(file) else file) for name, file in mapping.items()}


class _LambdaContext:
    """The handler's ``context`` argument (the attributes handlers commonly read)."""

    def __init__(self, name: str, timeout: float | None, request_id: str):
        self.function_name = name
        self.function_version = "$LATEST"
        self.aws_request_id = request_id
        self.memory_limit_in_mb = 128
        self._deadline_ms = None if timeout is None else timeout * 1000

    def get_remaining_time_in_millis(self) -> int:
        return int(self._deadline_ms or 900_000)


class LocalFunctions:
    def __init__(self, files: dict[str, str]):
        self._files = files
        self._handlers: dict[str, Callable[[Any, Any], Any]] = {}
        self._lock = threading.Lock()

    def register(self, registry: ResourceRegistry) -> ResourceRegistry:
        registry.register_kind(LAMBDA_ARN, self.invoke)
        registry.register_kind(LAMBDA_INVOKE, self.invoke)
        registry.register_kind(SCF_INVOKE, self.invoke)
        return registry

    def _handler(self, name: str) -> Callable[[Any, Any], Any] | None:
        with self._lock:
            handler = self._handlers.get(name)
            if handler is None and name in self._files:
                spec = importlib.util.spec_from_file_location(f"asl_function_{len(self._handlers)}", self._files[name])
                if spec is None or spec.loader is None:
                    return None
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                handler = self._handlers[name] = module.handler
            return handler

    # -- invocation --------------------------------------------------------------------------

    def invoke(self, call: TaskCall) -> TaskOutcome:
        spec = call.spec
        if spec.kind == LAMBDA_INVOKE:
            params = call.payload if isinstance(call.payload, dict) else {}
            target = str(params.get("FunctionName", ""))
            event = params.get("Payload")
        else:
            target = spec.function or ""
            event = call.payload
        name = target.split(":function:")[-1].split(":")[0] if ":function:" in target else target
        arn = f"arn:aws:lambda:{spec.region}:{spec.account}:function:{name}"
        try:
            handler = self._handler(name)
        except Exception as exc:  # the function file itself is broken
            return _function_error(exc)
        if handler is None:
            return TaskOutcome.failed(
                "Lambda.ResourceNotFoundException",
                f"Function not found: {arn} (Service: AWSLambda; Status Code: 404; Error Code: "
                f"ResourceNotFoundException; Request ID: {uuid.uuid4()}; Proxy: null)",
            )
        if spec.kind == LAMBDA_INVOKE:
            event = _invoke_payload(event)
        outcome = _run_with_timeout(handler, json.loads(json.dumps(event)), name, call.timeout_seconds)
        if outcome.status != "SUCCEEDED":
            return outcome
        text = json.dumps(outcome.output)
        if len(text.encode("utf-8")) > PAYLOAD_LIMIT:
            culprit = "lambda" if spec.kind == LAMBDA_INVOKE else spec.text
            return TaskOutcome.failed(
                DATA_LIMIT_EXCEEDED,
                f"The state/task '{culprit}' returned a result with a size exceeding the maximum number "
                "of bytes service limit.",
            )
        payload = json.loads(text)
        if spec.kind == LAMBDA_INVOKE:
            return TaskOutcome.succeeded(_invoke_envelope(payload, text, params))
        return TaskOutcome.succeeded(payload)


def _invoke_payload(payload: Any) -> Any:
    """Lambda's Invoke takes the payload as bytes: a string is JSON text, absent means ``{}``."""
    if payload is None:
        return {}
    if isinstance(payload, str):
        try:
            return json.loads(payload)
        except ValueError:
            return payload
    return payload


def _run_with_timeout(handler: Callable, event: Any, name: str, timeout: float | None) -> TaskOutcome:
    box: dict[str, Any] = {}
    request_id = str(uuid.uuid4())

    def target() -> None:
        try:
            box["result"] = handler(event, _LambdaContext(name, timeout, request_id))
        except BaseException as exc:  # the function's own failure, reported like a cloud runtime
            box["error"] = exc

    if timeout is None:
        target()
    else:
        thread = threading.Thread(target=target, name=f"function-{name}", daemon=True)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            return TaskOutcome.timed_out("")
    if "error" in box:
        return _function_error(box["error"], request_id)
    try:
        json.dumps(box.get("result"))
    except (TypeError, ValueError) as exc:
        return _function_error(exc, request_id)
    return TaskOutcome.succeeded(box.get("result"))


def _function_error(exc: BaseException, request_id: str | None = None) -> TaskOutcome:
    error_type = type(exc).__name__
    frames = traceback.format_tb(exc.__traceback__)[1:] if exc.__traceback__ else []
    cause = {
        "errorMessage": str(exc),
        "errorType": error_type,
        "requestId": request_id or str(uuid.uuid4()),
        "stackTrace": frames,
    }
    return TaskOutcome.failed(error_type, json.dumps(cause))


def _invoke_envelope(payload: Any, text: str, params: dict) -> dict:
    """The response of Lambda's Invoke API as Step Functions' lambda:invoke returns it."""
    request_id = str(uuid.uuid4())
    date = formatdate(usegmt=True)
    length = str(len(text.encode("utf-8")))
    trace = f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]};Sampled=0"
    all_headers: dict[str, Any] = {
        "X-Amz-Executed-Version": ["$LATEST"],
        "x-amzn-Remapped-Content-Length": ["0"],
        "Connection": ["keep-alive"],
        "x-amzn-RequestId": [request_id],
        "Content-Length": [length],
        "Date": [date],
        "X-Amzn-Trace-Id": [trace],
        "Content-Type": ["application/json"],
    }
    headers = {
        "Connection": "keep-alive",
        "Content-Length": length,
        "Content-Type": "application/json",
        "Date": date,
        "X-Amz-Executed-Version": "$LATEST",
        "x-amzn-Remapped-Content-Length": "0",
        "x-amzn-RequestId": request_id,
        "X-Amzn-Trace-Id": trace,
    }
    envelope: dict[str, Any] = {"ExecutedVersion": "$LATEST"}
    if params.get("LogType") == "Tail":
        log = base64.b64encode(f"START RequestId: {request_id} Version: $LATEST\nEND RequestId: {request_id}\n".encode()).decode()
        envelope["LogResult"] = log
        all_headers["X-Amz-Log-Result"] = [log]
        headers["X-Amz-Log-Result"] = log
    envelope["Payload"] = payload
    envelope["SdkHttpMetadata"] = {"AllHttpHeaders": all_headers, "HttpHeaders": headers, "HttpStatusCode": 200}
    envelope["SdkResponseMetadata"] = {"RequestId": request_id}
    envelope["StatusCode"] = 200
    return envelope

"""Map: runs its ItemProcessor (or legacy Iterator) once per item; the result is the list of outputs.

Items come from ``ItemsPath`` (JSONPath) or ``Items`` (JSONata), each iteration's
input from ``ItemSelector`` (or legacy ``Parameters``) with ``$$.Map.Item``
bound. Processors that cannot block run inline item after item; otherwise up
to ``MaxConcurrency`` iterations run as fibers. Failure tolerance
(``ToleratedFailureCount/Percentage``) decides whether failed iterations fail
the state. ``DISTRIBUTED`` mode runs the same way (no S3 reader/writer) and
adds the Map Run events.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Generator

from ..definition import JSONATA, CompileContext, Node
from ..errors import EXCEED_TOLERATED_FAILURE_THRESHOLD, ITEM_READER_FAILED, QUERY_EVALUATION_ERROR, RUNTIME, StatesError
from ..fields.io import compile_io, compile_jsonata_input_field, compile_reference_path_field
from ..fields.retry_catch import error_output
from ..frame import MapItem, Variables
from ..paths import compile_payload_template, compile_reference_path
from ..program import Block, run_gen, run_sync
from ..scheduler import AWAIT_CHILD
from .recoverable import RecoverableState

Evaluator = Callable[[Any, Any], Any]


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _numeric_text(value: Any, kind: str) -> Any:
    """AWS reads ``...Path`` numbers given as strings ("1") too."""
    if isinstance(value, str):
        try:
            return int(value) if kind == "integer" else float(value)
        except ValueError:
            return value
    return value


class StateMap(RecoverableState):
    type_name = "Map"

    def __init__(self, name: str, node: Node, context: CompileContext):
        super().__init__(name, node, context)
        node.exclusive("ItemProcessor", "Iterator")
        key = "ItemProcessor" if "ItemProcessor" in node else "Iterator"
        if key not in node:
            raise node.error(None, "These fields are required: [ItemProcessor]")
        processor = node.child(key)
        config = processor.raw("ProcessorConfig") or {}
        self.distributed = isinstance(config, dict) and config.get("Mode") == "DISTRIBUTED"
        self.processor = Block(processor, context)
        self.io = compile_io(node, self.language, parameters_key=None, has_result=True, result_selector=True)
        self.items = self._compile_items(node)
        self.item_selector = self._compile_item_selector(node)
        self.max_concurrency = self._compile_number(node, "MaxConcurrency", "integer")
        self.tolerated_count = self._compile_number(node, "ToleratedFailureCount", "integer")
        self.tolerated_percentage = self._compile_number(node, "ToleratedFailurePercentage", "float")
        self.has_tolerance = any(k in node for k in ("ToleratedFailureCount", "ToleratedFailureCountPath",
                                                     "ToleratedFailurePercentage", "ToleratedFailurePercentagePath"))
        self.batcher = self._compile_batcher(node)
        self.item_reader = "ItemReader" in node
        self.processor_blocks = self.processor.may_block
        self.may_block = self.retry_blocks or self.processor_blocks

    # -- compilation ---------------------------------------------------------------------

    def _compile_items(self, node: Node) -> Evaluator | None:
        if self.language == JSONATA:
            if "Items" not in node:
                return None
            value = node.raw("Items")
            if isinstance(value, list):
                from ..jsonata_query import compile_jsonata_value

                compiled_list = compile_jsonata_value(value, pointer=node.at("Items"))
                return lambda data, frame: compiled_list.evaluate(
                    {"input": data, "context": frame.context_object()}, frame, field="Items")
            from ..jsonata_query import is_jsonata

            if not (isinstance(value, str) and is_jsonata(value)):
                raise node.error("Items", "'Items' must be an array or a JSONata expression")
            return compile_jsonata_input_field(node, "Items", typed=True)
        if "ItemsPath" not in node:
            return None
        text = node.raw("ItemsPath")
        if not isinstance(text, str):
            raise node.error("ItemsPath", "'ItemsPath' must be a path")
        if text == "$":
            return None
        return compile_reference_path(text, pointer=node.at("ItemsPath")).select

    def _compile_item_selector(self, node: Node) -> Evaluator | None:
        key = "ItemSelector" if "ItemSelector" in node else ("Parameters" if "Parameters" in node else None)
        if key is None:
            return None
        if self.language == JSONATA:
            return compile_jsonata_input_field(node, key)
        return compile_payload_template(node.raw(key), pointer=node.at(key)).render

    def _compile_number(self, node: Node, key: str, kind: str) -> Evaluator | None:
        path_key = key + "Path"
        if path_key in node:
            select = compile_reference_path_field(node, path_key)
            text = node.raw(path_key)

            def from_path(data: Any, frame: Any) -> Any:
                value = select(data, frame)
                value = _numeric_text(value, kind)
                valid = not isinstance(value, bool) and isinstance(value, (int, float))
                if valid and kind == "integer":
                    valid = value == int(value)
                if not valid:
                    shown = value if isinstance(value, str) else _json(value)
                    raise StatesError(RUNTIME, f"The {path_key} field refers to value \"{shown}\" which is not a "
                                               f"valid {kind}: {text}")
                return int(value) if kind == "integer" else value

            return from_path
        if key not in node:
            return None
        value = node.raw(key)
        if self.language == JSONATA and isinstance(value, str):
            return compile_jsonata_input_field(node, key, typed=True)
        number = node.number(key)
        return lambda data, frame: number

    def _compile_batcher(self, node: Node) -> dict[str, Any] | None:
        if "ItemBatcher" not in node:
            return None
        batcher = node.child("ItemBatcher")
        spec: dict[str, Any] = {}
        for key in ("MaxItemsPerBatch", "MaxInputBytesPerBatch"):
            spec[key] = self._compile_number(batcher, key, "integer")
        spec["BatchInput"] = None
        if "BatchInput" in batcher:
            if self.language == JSONATA:
                spec["BatchInput"] = compile_jsonata_input_field(batcher, "BatchInput")
            else:
                spec["BatchInput"] = compile_payload_template(batcher.raw("BatchInput"),
                                                              pointer=batcher.at("BatchInput")).render
        return spec

    # -- execution -------------------------------------------------------------------------

    def _limits(self, frame: Any, effective: Any) -> tuple[int, float | None, float | None]:
        concurrency = self.max_concurrency(effective, frame) if self.max_concurrency else 0
        count = self.tolerated_count(effective, frame) if self.tolerated_count else None
        if count is not None and count < 0:
            raise StatesError(RUNTIME, "ToleratedFailureCount cannot be negative.")
        percentage = self.tolerated_percentage(effective, frame) if self.tolerated_percentage else None
        if percentage is not None and not 0 <= percentage <= 100:
            raise StatesError(RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.")
        return concurrency, count, percentage

    def _item_inputs(self, frame: Any, effective: Any) -> list[Any]:
        if self.item_reader:
            raise StatesError(ITEM_READER_FAILED, "ItemReader needs an object store, which this engine does not provide.")
        items = effective if self.items is None else self.items(effective, frame)
        if not isinstance(items, list):
            error = QUERY_EVALUATION_ERROR if self.language == JSONATA else RUNTIME
            raise StatesError(error, f"Map state input must be an array but was: {_json(items)}")
        if self.batcher is not None:
            return self._batches(frame, effective, items)
        selector = self.item_selector
        if selector is None:
            return items
        inputs = []
        try:
            for index, value in enumerate(items):
                frame.map_item = MapItem(index, value)
                inputs.append(selector(effective, frame))
        finally:
            frame.map_item = None
        return inputs

    def _batches(self, frame: Any, effective: Any, items: list) -> list[Any]:
        spec = self.batcher
        max_items = spec["MaxItemsPerBatch"](effective, frame) if spec["MaxItemsPerBatch"] else None
        max_bytes = spec["MaxInputBytesPerBatch"](effective, frame) if spec["MaxInputBytesPerBatch"] else None
        batch_input = spec["BatchInput"](effective, frame) if spec["BatchInput"] else None
        batches: list[list] = []
        current: list = []
        size = 0
        for item in items:
            item_size = len(_json(item).encode())
            if current and ((max_items and len(current) >= max_items) or (max_bytes and size + item_size > max_bytes)):
                batches.append(current)
                current, size = [], 0
            current.append(item)
            size += item_size
        if current:
            batches.append(current)
        out = []
        for batch in batches:
            entry: dict[str, Any] = {"Items": batch}
            if batch_input is not None:
                entry["BatchInput"] = batch_input
            out.append(entry)
        return out

    def attempt(self, frame: Any, raw: Any) -> Generator[Any, Any, tuple[Any, dict | None]]:
        effective = self.io.effective_input(frame, raw)
        concurrency, count, percentage = self._limits(frame, effective)
        inputs = self._item_inputs(frame, effective)
        frame.emit("MapStateStarted", {"length": len(inputs)})
        if self.distributed:
            frame.emit("MapRunStarted", {"mapRunArn": f"{frame.execution.arn}:{self.name}"})
        tally = _Tally(len(inputs), count, percentage, self.has_tolerance)
        if self.processor_blocks:
            results = yield from self._run_fibers(frame, inputs, concurrency, tally)
        else:
            results = []
            for index, value in enumerate(inputs):
                try:
                    results.append(self._run_inline(self._iteration_frame(frame, index), index, value))
                except StatesError as error:
                    if not tally.tolerate(error):
                        self._fail(frame, error, tally)
                    results.append(error_output(error.error, error.cause))
        frame.last_event_id = frame.history.last_id
        if self.distributed:
            frame.emit("MapRunSucceeded")
        frame.emit("MapStateSucceeded")
        return self.io.finish(frame, raw, effective, results)

    def _iteration_frame(self, frame: Any, index: int) -> Any:
        if not self.distributed:
            return frame.child()
        # A Distributed Map iteration is a child execution: its own history (journaled apart,
        # so replay works per child) and no access to the parent's variables.
        child = frame.child(Variables(None))
        # Unique per attempt too: a retried Map state keeps its StateEntered id.
        attempt = f"{frame.entered_event_id}.{frame.retry_count}" if frame.retry_count else frame.entered_event_id
        child.history = frame.execution.child_history(f"{self.name}/{attempt}/{index}", frame.history)
        child.last_event_id = 0
        return child

    def _run_inline(self, child: Any, index: int, value: Any) -> Any:
        started, succeeded, failed = self._iteration_events
        child.emit(started, self._iteration_details(index, value))
        try:
            output = run_sync(self.processor, child, value)
        except StatesError as error:
            child.emit(failed, self._failure_details(index, error))
            raise
        child.emit(succeeded, self._success_details(index, output))
        return output

    def _iteration(self, child: Any, index: int, value: Any) -> Generator[Any, Any, Any]:
        started, succeeded, failed = self._iteration_events
        child.emit(started, self._iteration_details(index, value))
        try:
            output = yield from run_gen(self.processor, child, value)
        except StatesError as error:
            child.emit(failed, self._failure_details(index, error))
            raise
        child.emit(succeeded, self._success_details(index, output))
        return output

    @property
    def _iteration_events(self) -> tuple[str, str, str]:
        if self.distributed:
            return "ExecutionStarted", "ExecutionSucceeded", "ExecutionFailed"
        return "MapIterationStarted", "MapIterationSucceeded", "MapIterationFailed"

    def _iteration_details(self, index: int, value: Any) -> dict:
        return {"input": value} if self.distributed else {"name": self.name, "index": index}

    def _success_details(self, index: int, output: Any) -> dict:
        return {"output": output} if self.distributed else {"name": self.name, "index": index}

    def _failure_details(self, index: int, error: StatesError) -> dict:
        if not self.distributed:
            return {"name": self.name, "index": index}
        details = {"error": error.error}
        if error.cause is not None:
            details["cause"] = error.cause
        return details

    def _run_fibers(self, frame: Any, inputs: list, concurrency: int, tally: _Tally) -> Generator[Any, Any, list]:
        scheduler = frame.execution.scheduler
        me = frame.fiber
        total = len(inputs)
        limit = concurrency if concurrency > 0 else total
        results: list[Any] = [None] * total
        active: dict[int, Any] = {}
        next_index = 0
        while next_index < total or active:
            while next_index < total and len(active) < limit:
                child = self._iteration_frame(frame, next_index)
                active[next_index] = scheduler.spawn(
                    self._iteration(child, next_index, inputs[next_index]), child, me, next_index)
                next_index += 1
            done = yield AWAIT_CHILD
            del active[done.tag]
            if done.error is not None:
                if not tally.tolerate(done.error):
                    for index, fiber in list(active.items()):
                        scheduler.abort(fiber)
                        if self.distributed:
                            fiber.frame.emit("ExecutionAborted")
                        else:
                            fiber.frame.emit("MapIterationAborted", {"name": self.name, "index": index})
                    self._fail(frame, done.error, tally)
                results[done.tag] = error_output(done.error.error, done.error.cause)
            else:
                results[done.tag] = done.result
        return results

    def _fail(self, frame: Any, error: StatesError, tally: _Tally) -> None:
        frame.last_event_id = frame.history.last_id
        if self.distributed:
            frame.emit("MapRunFailed", {"error": tally.error(error).error})
        frame.emit("MapStateFailed")
        raise tally.error(error)


class _Tally:
    """Counts failed iterations against the tolerated failure count/percentage."""

    __slots__ = ("total", "count", "percentage", "enabled", "failures")

    def __init__(self, total: int, count: float | None, percentage: float | None, enabled: bool):
        self.total = total
        self.count = count
        self.percentage = percentage
        self.enabled = enabled
        self.failures = 0

    def tolerate(self, error: StatesError) -> bool:
        self.failures += 1
        if not self.enabled or error.error == RUNTIME:
            return False
        if self.count is not None and self.failures <= self.count:
            return True
        if self.percentage is not None and self.total and self.failures * 100.0 / self.total <= self.percentage:
            return True
        return False

    def error(self, error: StatesError) -> StatesError:
        if not self.enabled or error.error == RUNTIME:
            return error
        exceeded = StatesError(EXCEED_TOLERATED_FAILURE_THRESHOLD,
                               "The specified tolerated failure threshold was exceeded")
        exceeded.located = True
        return exceeded

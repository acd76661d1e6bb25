"""Checks of one state object: its type, which fields it may have in its query language,
and each field's value. Nested state machines (Parallel branches, Map processors) are
returned to the caller, which validates them as machines of their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.engine.errors import pointer_join
from backend.engine.validation import resources
from backend.engine.validation.choice import check_choices
from backend.engine.validation.codes import Code
from backend.engine.validation.context import Context, assigned_names
from backend.engine.validation.expressions import (
    check_jsonata_value,
    check_path,
    check_path_or_intrinsic,
    check_payload_template,
    check_result_path,
    is_jsonata,
    looks_like_path,
)
from backend.engine.validation.fields import (
    ALL_STATE_FIELDS,
    CATCHER_FIELDS,
    JSONATA,
    JSONATA_ONLY_HINT,
    JSONPATH,
    JSONPATH_ONLY_HINT,
    MAX_BATCH_BYTES,
    MAX_DELAY_SECONDS,
    MAX_LABEL_LENGTH,
    MAX_READER_ITEMS,
    MAX_RETRY_ATTEMPTS,
    MAX_RETRY_INTERVAL,
    MAX_TIMEOUT_SECONDS,
    PREDEFINED_ERRORS,
    QUERY_LANGUAGES,
    RETRIER_FIELDS,
    STATE_FIELDS,
    STATE_TYPES,
    TCSL_EXTRA_FIELDS,
)
from backend.engine.validation.loader import json_type_name
from backend.engine.validation.values import (
    did_you_mean,
    exclusive,
    expect_array,
    expect_bool,
    expect_enum,
    expect_int,
    expect_number,
    expect_object,
    expect_string,
    is_int,
    is_timestamp,
    required_fields,
    unknown_fields,
)

# What `$states` offers to JSONata per field (JSA-04).
INPUT_ONLY = frozenset({"input", "context"})
WITH_RESULT = frozenset({"input", "context", "result"})
WITH_ERROR_OUTPUT = frozenset({"input", "context", "errorOutput"})

_FLOW_TYPES = ("Task", "Pass", "Wait", "Parallel", "Map")
_RESULT_TYPES = ("Task", "Parallel", "Map")
# Characters AWS forbids in names of state machines, executions and Map labels.
_NAME_FORBIDDEN = set(" \t\n\r?*<>{}[]\"#%\\^|~`$&,;:/")


@dataclass
class StateSummary:
    """What the graph checks need to know about a state."""

    edges: list[tuple[str, str]] = field(default_factory=list)  # (target state, pointer of the reference)
    terminal: bool = False
    nested: list[tuple[dict, str]] = field(default_factory=list)  # (StartAt/States container, pointer)
    assigned: list[str] = field(default_factory=list)


def check_state(state: Any, pointer: str, ctx: Context) -> StateSummary:
    out = ctx.out
    summary = StateSummary()
    if not isinstance(state, dict):
        out.error(Code.WRONG_FIELD_TYPE, pointer, f"A state must be a JSON object, got {json_type_name(state)}.")
        summary.terminal = True  # unknown; do not add a misleading MISSING_END_STATE
        return summary
    state_type = state.get("Type")
    if "Type" not in state:
        out.error(Code.SCHEMA_VALIDATION_FAILED, pointer, "These fields are required: [Type]")
    elif state_type not in STATE_TYPES:
        shown = f"'{state_type}'" if isinstance(state_type, str) else json_type_name(state_type)
        hint = did_you_mean(state_type, STATE_TYPES) if isinstance(state_type, str) else ""
        out.error(
            Code.UNKNOWN_STATE_TYPE,
            pointer_join(pointer, "Type"),
            f"Unknown state type {shown}; it must be one of {', '.join(STATE_TYPES)}.{hint}",
        )
    if state_type not in STATE_TYPES:
        # Keep the graph checks useful: follow whatever transitions are there.
        for key in ("Next", "Default"):
            if isinstance(state.get(key), str):
                summary.edges.append((state[key], pointer_join(pointer, key)))
        summary.terminal = True
        return summary

    language = _query_language(state, pointer, ctx)
    present = _allowed_fields(state, state_type, language, pointer, ctx)
    checker = _StateChecker(state, state_type, language, pointer, ctx, present, summary)
    checker.run()
    return summary


def _query_language(state: dict, pointer: str, ctx: Context) -> str:
    if "QueryLanguage" not in state:
        return ctx.machine_language
    value = state["QueryLanguage"]
    here = pointer_join(pointer, "QueryLanguage")
    if not expect_enum(value, QUERY_LANGUAGES, here, ctx.out):
        return ctx.machine_language
    if value == JSONPATH and ctx.machine_language == JSONATA:
        ctx.out.error(
            Code.SCHEMA_VALIDATION_FAILED,
            pointer,
            "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
        )
    return value


def _allowed_fields(state: dict, state_type: str, language: str, pointer: str, ctx: Context) -> set[str]:
    """Report fields this state may not have; return the ones it may."""
    out = ctx.out
    allowed = STATE_FIELDS[state_type][language]
    extra = TCSL_EXTRA_FIELDS.get(state_type, frozenset())
    other_language = JSONATA if language == JSONPATH else JSONPATH
    present: set[str] = set()
    for key in state:
        here = pointer_join(pointer, key)
        if key in allowed:
            present.add(key)
        elif key in extra and language == JSONPATH:
            if ctx.strict:
                out.error(
                    Code.FIELD_NOT_ALLOWED,
                    here,
                    f"'{key}' is not allowed on a {state_type} state in strict ASL (TCSL accepts it).",
                )
            else:
                present.add(key)
        elif key in STATE_FIELDS[state_type][other_language]:
            hint_table = JSONPATH_ONLY_HINT if language == JSONATA else JSONATA_ONLY_HINT
            hint = f" Use '{hint_table[key]}' instead." if key in hint_table else ""
            out.error(
                Code.FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE,
                here,
                f"'{key}' is a {other_language} field; this state uses {language}.{hint}",
            )
        elif key in ("Next", "End") and state_type in ("Succeed", "Fail", "Choice"):
            reason = (
                "a Choice state moves on through its Choices and 'Default'"
                if state_type == "Choice"
                else f"a {state_type} state ends its branch or the execution"
            )
            out.error(Code.FIELD_NOT_ALLOWED, here, f"'{key}' is not allowed on a {state_type} state: {reason}.")
        elif key in ALL_STATE_FIELDS:
            owners = [t for t in STATE_TYPES if key in STATE_FIELDS[t][JSONPATH] | STATE_FIELDS[t][JSONATA]]
            out.error(
                Code.FIELD_NOT_ALLOWED,
                here,
                f"'{key}' is not allowed on a {state_type} state (only on {', '.join(owners)}).",
            )
        else:
            hint = did_you_mean(str(key), sorted(allowed | extra))
            out.error(Code.UNKNOWN_FIELD, here, f"Field '{key}' is not supported on a {state_type} state.{hint}")
    return present


class _StateChecker:
    def __init__(
        self,
        state: dict,
        state_type: str,
        language: str,
        pointer: str,
        ctx: Context,
        present: set[str],
        summary: StateSummary,
    ):
        self.state = state
        self.type = state_type
        self.language = language
        self.pointer = pointer
        self.ctx = ctx
        self.out = ctx.out
        self.present = present
        self.summary = summary

    def at(self, *tokens: object) -> str:
        return pointer_join(self.pointer, *tokens)

    def has(self, key: str) -> bool:
        return key in self.present

    def run(self) -> None:
        if self.has("Comment"):
            expect_string(self.state["Comment"], self.at("Comment"), self.out)
        if self.type in _FLOW_TYPES:
            self._flow()
        else:
            self.summary.terminal = self.type in ("Succeed", "Fail")
        self._io()
        getattr(self, f"_{self.type.lower()}")()
        if self.has("Retry"):
            self._retry(self.state["Retry"], self.at("Retry"))
        if self.has("Catch"):
            self._catch(self.state["Catch"], self.at("Catch"))
        if self.has("Assign"):
            states_fields = WITH_RESULT if self.type in _RESULT_TYPES else INPUT_ONLY
            self.ctx.check_assign(self.state["Assign"], self.at("Assign"), self.language, states_fields)
            self.summary.assigned += assigned_names(self.state["Assign"], self.language)

    # --- transitions ------------------------------------------------------------------

    def _flow(self) -> None:
        state, out = self.state, self.out
        has_next, end = "Next" in state, state.get("End")
        if "End" in state:
            expect_bool(end, self.at("End"), out)
        if has_next and end is True:
            out.error(Code.NEXT_AND_END, self.pointer, "A state cannot have both 'Next' and 'End': true; keep one.")
        elif not has_next and end is not True:
            message = (
                "'End' is false and there is no 'Next'; give the state a 'Next' or set 'End' to true."
                if "End" in state
                else "This state needs 'Next' (the state to go to) or 'End': true."
            )
            out.error(Code.MISSING_NEXT_OR_END, self.pointer, message)
        if end is True:
            self.summary.terminal = True
        if has_next:
            self._transition("Next", state["Next"], self.at("Next"))

    def _transition(self, field_name: str, target: Any, pointer: str) -> None:
        if not isinstance(target, str):
            self.out.error(
                Code.WRONG_FIELD_TYPE,
                pointer,
                f"'{field_name}' must be the name of a state, got {json_type_name(target)}.",
            )
        elif is_jsonata(target):
            self.out.error(
                Code.INVALID_FIELD_VALUE,
                pointer,
                f"'{field_name}' must be a literal state name; JSONata expressions are not evaluated here.",
            )
        else:
            self.summary.edges.append((target, pointer))

    # --- input/output processing ---------------------------------------------------------

    def _io(self) -> None:
        state = self.state
        for key in ("InputPath", "OutputPath"):
            if self.has(key):
                check_path(state[key], self.at(key), self.out, nullable=True)
        if self.has("ResultPath"):
            check_result_path(state["ResultPath"], self.at("ResultPath"), self.out)
        for key in ("Parameters", "ResultSelector"):
            if self.has(key):
                check_payload_template(state[key], self.at(key), self.out)
        if self.has("Arguments"):
            self._jsonata_object_or_expression("Arguments", INPUT_ONLY)
        if self.has("Output"):
            states_fields = WITH_RESULT if self.type in _RESULT_TYPES else INPUT_ONLY
            check_jsonata_value(state["Output"], self.at("Output"), self.out, states_fields=states_fields)

    def _jsonata_object_or_expression(self, key: str, states_fields: frozenset[str]) -> None:
        value = self.state[key]
        if not isinstance(value, dict) and not is_jsonata(value):
            self.out.error(
                Code.WRONG_FIELD_TYPE,
                self.at(key),
                f"'{key}' must be a JSON object or a JSONata expression '{{% ... %}}', got {json_type_name(value)}.",
            )
            return
        check_jsonata_value(value, self.at(key), self.out, states_fields=states_fields)

    # --- per type ------------------------------------------------------------------------

    def _pass(self) -> None:
        if not self.has("Result"):
            return
        spot = _first_path_in(self.state["Result"], self.at("Result"), depth=0)
        if spot is not None:
            self.out.warning(
                Code.PASS_RESULT_IS_STATIC,
                self.at("Result"),
                f"'Result' is used as it is, so the path at {spot} is not evaluated. "
                "Use 'Parameters' to build a value from the input.",
            )

    def _task(self) -> None:
        state, out = self.state, self.out
        if not required_fields(state, ["Resource"], self.pointer, out):
            return
        self._resource(state["Resource"], self.at("Resource"))
        jsonata_ok = self.language == JSONATA
        for key in ("TimeoutSeconds", "HeartbeatSeconds"):
            if self.has(key):
                expect_int(
                    state[key], self.at(key), out, minimum=1, maximum=MAX_TIMEOUT_SECONDS, jsonata_allowed=jsonata_ok
                )
            if self.has(key + "Path"):
                check_path(state[key + "Path"], self.at(key + "Path"), out, reference=True)
            exclusive(state, key, key + "Path", self.pointer, out)
        timeout, heartbeat = state.get("TimeoutSeconds"), state.get("HeartbeatSeconds")
        if is_int(timeout) and is_int(heartbeat) and heartbeat >= timeout:
            out.error(
                Code.INVALID_FIELD_VALUE,
                self.at("HeartbeatSeconds"),
                f"'HeartbeatSeconds' ({heartbeat}) must be smaller than 'TimeoutSeconds' ({timeout}).",
            )
        if self.has("Credentials"):
            if self.language == JSONATA:
                self._jsonata_object_or_expression("Credentials", INPUT_ONLY)
            else:
                check_payload_template(state["Credentials"], self.at("Credentials"), out)

    def _resource(self, resource: Any, pointer: str) -> None:
        out = self.out
        if not isinstance(resource, str):
            out.error(
                Code.INVALID_RESOURCE, pointer, f"'Resource' must be a URI string, got {json_type_name(resource)}."
            )
            return
        if is_jsonata(resource):
            out.error(
                Code.INVALID_RESOURCE,
                pointer,
                "'Resource' must be a literal URI; JSONata expressions are not allowed here.",
            )
            return
        try:
            info = resources.classify_resource(resource)
        except resources.InvalidResource as exc:
            out.error(Code.INVALID_RESOURCE, pointer, f"Invalid Resource '{resource}': {exc}.")
            return
        if self.ctx.workflow_type == "EXPRESS":
            if info.pattern in (resources.SYNC, resources.SYNC_V2, resources.WAIT_FOR_TASK_TOKEN):
                suffix = ".sync" if info.pattern != resources.WAIT_FOR_TASK_TOKEN else ".waitForTaskToken"
                out.error(
                    Code.SCHEMA_VALIDATION_FAILED,
                    pointer,
                    # AWS's recorded text, trailing space included.
                    f"Express state machine does not support '{suffix}' service integration ",
                )
            elif info.kind == "activity":
                out.error(Code.SCHEMA_VALIDATION_FAILED, pointer, "Express state machine does not support activities")

    def _choice(self) -> None:
        state = self.state
        if not required_fields(state, ["Choices"], self.pointer, self.out):
            choices_edges: list[tuple[str, str]] = []
        else:
            choices_edges = check_choices(state["Choices"], self.at("Choices"), self.language, self.ctx)
        self.summary.edges += choices_edges
        if "Default" in state:
            self._transition("Default", state["Default"], self.at("Default"))
        rules = state.get("Choices")
        for rule in rules if isinstance(rules, list) else []:
            if isinstance(rule, dict):
                self.summary.assigned += assigned_names(rule.get("Assign"), self.language)

    def _wait(self) -> None:
        state, out = self.state, self.out
        options = [k for k in ("Seconds", "SecondsPath", "Timestamp", "TimestampPath") if self.has(k)]
        if len(options) != 1:
            allowed = "'Seconds' or 'Timestamp'" if self.language == JSONATA else (
                "'Seconds', 'SecondsPath', 'Timestamp' or 'TimestampPath'"
            )
            found = f"found {', '.join(options)}" if options else "found none"
            out.error(
                Code.SCHEMA_VALIDATION_FAILED, self.pointer, f"A Wait state needs exactly one of {allowed}; {found}."
            )
        jsonata_ok = self.language == JSONATA
        if self.has("Seconds"):
            expect_int(
                state["Seconds"],
                self.at("Seconds"),
                out,
                minimum=0,
                maximum=MAX_TIMEOUT_SECONDS,
                jsonata_allowed=jsonata_ok,
            )
        if self.has("Timestamp"):
            self._timestamp(state["Timestamp"], self.at("Timestamp"), jsonata_ok)
        for key in ("SecondsPath", "TimestampPath"):
            if self.has(key):
                check_path(state[key], self.at(key), out, reference=True)

    def _timestamp(self, value: Any, pointer: str, jsonata_ok: bool) -> None:
        if jsonata_ok and is_jsonata(value):
            check_jsonata_value(value, pointer, self.out, states_fields=INPUT_ONLY)
            return
        if not expect_string(value, pointer, self.out):
            return
        if looks_like_path(value):
            self.out.warning(
                Code.NO_PATH,
                pointer,
                f"'Timestamp' holds '{value}', which looks like a path; "
                "use 'TimestampPath' to read the time from the input.",
            )
        elif not is_timestamp(value):
            # AWS accepts the definition and fails at run time with States.Runtime.
            self.out.warning(
                Code.INVALID_FIELD_VALUE,
                pointer,
                f"'Timestamp' is not an RFC 3339 timestamp like '2024-01-31T12:00:00Z': '{value}'; "
                "the state will fail when it runs.",
            )

    def _succeed(self) -> None:
        pass

    def _fail(self) -> None:
        state, out = self.state, self.out
        for key in ("Error", "Cause"):
            exclusive(state, key, key + "Path", self.pointer, out)
            if self.has(key):
                value = state[key]
                here = self.at(key)
                if self.language == JSONATA and is_jsonata(value):
                    check_jsonata_value(value, here, out, states_fields=INPUT_ONLY)
                elif expect_string(value, here, out) and self.language == JSONPATH and looks_like_path(value):
                    out.warning(
                        Code.NO_PATH,
                        here,
                        f"'{key}' holds '{value}', which looks like a path but is used as literal text; "
                        f"use '{key}Path' to read it from the input.",
                    )
            if self.has(key + "Path"):
                check_path_or_intrinsic(state[key + "Path"], self.at(key + "Path"), out, reference=True)

    def _parallel(self) -> None:
        state, out = self.state, self.out
        if not required_fields(state, ["Branches"], self.pointer, out):
            return
        if not expect_array(state["Branches"], self.at("Branches"), out, non_empty=True):
            return
        for index, branch in enumerate(state["Branches"]):
            here = self.at("Branches", index)
            if expect_object(branch, here, out):
                self.summary.nested.append((branch, here))

    def _map(self) -> None:
        state, out = self.state, self.out
        processors = [k for k in ("ItemProcessor", "Iterator") if self.has(k)]
        if not processors:
            out.error(Code.SCHEMA_VALIDATION_FAILED, self.pointer, "These fields are required: [ItemProcessor]")
        elif len(processors) == 2:
            exclusive(state, "ItemProcessor", "Iterator", self.pointer, out)
        mode = None
        for key in processors:
            here = self.at(key)
            if expect_object(state[key], here, out):
                mode = self._processor_config(state[key], here)
                self.summary.nested.append((state[key], here))
        exclusive(state, "ItemSelector", "Parameters", self.pointer, out)
        jsonata_ok = self.language == JSONATA
        if self.has("ItemsPath"):
            check_path(state["ItemsPath"], self.at("ItemsPath"), out, reference=True)
        if self.has("Items"):
            items = state["Items"]
            if isinstance(items, (list, dict)) or is_jsonata(items):
                check_jsonata_value(items, self.at("Items"), out, states_fields=INPUT_ONLY)
            else:
                out.error(
                    Code.WRONG_FIELD_TYPE,
                    self.at("Items"),
                    f"'Items' must be an array, an object or a JSONata expression '{{% ... %}}', "
                    f"got {json_type_name(items)}.",
                )
        if self.has("ItemSelector"):
            if jsonata_ok:
                check_jsonata_value(state["ItemSelector"], self.at("ItemSelector"), out, states_fields=INPUT_ONLY)
            else:
                check_payload_template(state["ItemSelector"], self.at("ItemSelector"), out)
        self._map_numbers(jsonata_ok)
        if self.has("ItemReader"):
            self._item_reader(state["ItemReader"], self.at("ItemReader"))
        if self.has("ItemBatcher"):
            self._item_batcher(state["ItemBatcher"], self.at("ItemBatcher"))
        if self.has("ResultWriter"):
            self._result_writer(state["ResultWriter"], self.at("ResultWriter"))
        if self.has("Label"):
            self._label(state["Label"], self.at("Label"))
        if mode != "DISTRIBUTED":
            for key in ("ItemReader", "ItemBatcher", "ResultWriter", "Label"):
                if self.has(key):
                    out.warning(
                        Code.INVALID_FIELD_VALUE,
                        self.at(key),
                        f"'{key}' only takes effect in a distributed Map "
                        "(ItemProcessor.ProcessorConfig.Mode = 'DISTRIBUTED').",
                    )

    def _map_numbers(self, jsonata_ok: bool) -> None:
        state, out = self.state, self.out
        limits = {
            "MaxConcurrency": (expect_int, 0, None),
            "ToleratedFailureCount": (expect_int, 0, None),
            "ToleratedFailurePercentage": (expect_number, 0, 100),
        }
        for key, (expect, low, high) in limits.items():
            if self.has(key):
                expect(state[key], self.at(key), out, minimum=low, maximum=high, jsonata_allowed=jsonata_ok)
            if self.has(key + "Path"):
                check_path(state[key + "Path"], self.at(key + "Path"), out, reference=True)
            exclusive(state, key, key + "Path", self.pointer, out)

    def _processor_config(self, processor: dict, pointer: str) -> str | None:
        if "ProcessorConfig" not in processor:
            return "INLINE"
        here = pointer_join(pointer, "ProcessorConfig")
        config = processor["ProcessorConfig"]
        if not expect_object(config, here, self.out):
            return None
        unknown_fields(config, frozenset({"Mode", "ExecutionType"}), here, self.out, "ProcessorConfig")
        mode = config.get("Mode", "INLINE")
        if "Mode" in config and not expect_enum(mode, ("INLINE", "DISTRIBUTED"), pointer_join(here, "Mode"), self.out):
            return None
        if "ExecutionType" in config:
            execution = pointer_join(here, "ExecutionType")
            known = expect_enum(config["ExecutionType"], ("STANDARD", "EXPRESS"), execution, self.out)
            if known and mode != "DISTRIBUTED":
                self.out.error(
                    Code.INVALID_FIELD_VALUE,
                    execution,
                    "'ExecutionType' is only allowed when 'Mode' is 'DISTRIBUTED'.",
                )
        return mode

    def _io_template(self, holder: dict, pointer: str) -> None:
        """``Parameters`` (JSONPath) or ``Arguments`` (JSONata) of ItemReader / ResultWriter."""
        param_key, other = ("Arguments", "Parameters") if self.language == JSONATA else ("Parameters", "Arguments")
        if other in holder:
            self.out.error(
                Code.FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE,
                pointer_join(pointer, other),
                f"'{other}' is not allowed in a {self.language} state; use '{param_key}'.",
            )
        if param_key in holder:
            here = pointer_join(pointer, param_key)
            if self.language == JSONATA:
                check_jsonata_value(holder[param_key], here, self.out, states_fields=INPUT_ONLY)
            else:
                check_payload_template(holder[param_key], here, self.out)

    def _resource_uri(self, holder: dict, pointer: str) -> None:
        if "Resource" in holder:
            here = pointer_join(pointer, "Resource")
            if expect_string(holder["Resource"], here, self.out, non_empty=True):
                try:
                    resources.classify_resource(holder["Resource"])
                except resources.InvalidResource as exc:
                    self.out.error(Code.INVALID_RESOURCE, here, f"Invalid Resource '{holder['Resource']}': {exc}.")

    def _item_reader(self, reader: Any, pointer: str) -> None:
        out = self.out
        if not expect_object(reader, pointer, out):
            return
        unknown_fields(
            reader, frozenset({"Resource", "Parameters", "Arguments", "ReaderConfig"}), pointer, out, "ItemReader"
        )
        required_fields(reader, ["Resource"], pointer, out)
        self._resource_uri(reader, pointer)
        self._io_template(reader, pointer)
        if "ReaderConfig" not in reader:
            return
        here = pointer_join(pointer, "ReaderConfig")
        config = reader["ReaderConfig"]
        if not expect_object(config, here, out):
            return
        enums = {
            "InputType": ("CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"),
            "CSVHeaderLocation": ("FIRST_ROW", "GIVEN"),
            "CSVDelimiter": ("COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"),
            "Transformation": ("NONE", "LOAD_AND_FLATTEN"),
            "ManifestType": ("ATHENA_DATA", "S3_INVENTORY"),
        }
        known = frozenset({*enums, "CSVHeaders", "MaxItems", "MaxItemsPath", "ItemsPointer"})
        unknown_fields(config, known, here, out, "ReaderConfig")
        for key, allowed in enums.items():
            if key in config:
                expect_enum(config[key], allowed, pointer_join(here, key), out)
        if "CSVHeaders" in config and expect_array(config["CSVHeaders"], pointer_join(here, "CSVHeaders"), out):
            for index, header in enumerate(config["CSVHeaders"]):
                expect_string(header, pointer_join(here, "CSVHeaders", index), out)
        self._optional_int(
            config, "MaxItems", here, minimum=0, maximum=MAX_READER_ITEMS, jsonata_allowed=self.language == JSONATA
        )
        if "MaxItemsPath" in config:
            check_path(config["MaxItemsPath"], pointer_join(here, "MaxItemsPath"), out, reference=True)
        exclusive(config, "MaxItems", "MaxItemsPath", here, out)
        if "ItemsPointer" in config:
            expect_string(config["ItemsPointer"], pointer_join(here, "ItemsPointer"), out)

    def _item_batcher(self, batcher: Any, pointer: str) -> None:
        out = self.out
        if not expect_object(batcher, pointer, out):
            return
        sizes = ("MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath")
        unknown_fields(batcher, frozenset({*sizes, "BatchInput"}), pointer, out, "ItemBatcher")
        if not any(k in batcher for k in sizes):
            out.error(
                Code.SCHEMA_VALIDATION_FAILED,
                pointer,
                "An ItemBatcher needs at least one of 'MaxItemsPerBatch', 'MaxItemsPerBatchPath', "
                "'MaxInputBytesPerBatch' or 'MaxInputBytesPerBatchPath'.",
            )
        jsonata_ok = self.language == JSONATA
        self._optional_int(batcher, "MaxItemsPerBatch", pointer, minimum=1, jsonata_allowed=jsonata_ok)
        self._optional_int(
            batcher, "MaxInputBytesPerBatch", pointer, minimum=1, maximum=MAX_BATCH_BYTES, jsonata_allowed=jsonata_ok
        )
        for key in ("MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"):
            if key in batcher:
                check_path(batcher[key], pointer_join(pointer, key), out, reference=True)
        exclusive(batcher, "MaxItemsPerBatch", "MaxItemsPerBatchPath", pointer, out)
        exclusive(batcher, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", pointer, out)
        if "BatchInput" in batcher:
            here = pointer_join(pointer, "BatchInput")
            if jsonata_ok:
                check_jsonata_value(batcher["BatchInput"], here, out, states_fields=INPUT_ONLY)
            else:
                check_payload_template(batcher["BatchInput"], here, out)

    def _result_writer(self, writer: Any, pointer: str) -> None:
        out = self.out
        if not expect_object(writer, pointer, out):
            return
        unknown_fields(
            writer, frozenset({"Resource", "Parameters", "Arguments", "WriterConfig"}), pointer, out, "ResultWriter"
        )
        if not writer:
            out.error(
                Code.SCHEMA_VALIDATION_FAILED,
                pointer,
                "A ResultWriter must not be empty; give it 'Resource' or 'WriterConfig'.",
            )
        self._resource_uri(writer, pointer)
        self._io_template(writer, pointer)
        if "WriterConfig" in writer:
            here = pointer_join(pointer, "WriterConfig")
            config = writer["WriterConfig"]
            if expect_object(config, here, out):
                unknown_fields(config, frozenset({"Transformation", "OutputType"}), here, out, "WriterConfig")
                if "Transformation" in config:
                    expect_enum(
                        config["Transformation"],
                        ("NONE", "COMPACT", "FLATTEN"),
                        pointer_join(here, "Transformation"),
                        out,
                    )
                if "OutputType" in config:
                    expect_enum(config["OutputType"], ("JSON", "JSONL"), pointer_join(here, "OutputType"), out)

    def _optional_int(self, holder: dict, key: str, pointer: str, **limits: Any) -> None:
        """Check ``holder[key]`` (an object at ``pointer``) with ``expect_int`` when it is there."""
        if key in holder:
            expect_int(holder[key], pointer_join(pointer, key), self.out, **limits)

    def _label(self, label: Any, pointer: str) -> None:
        out = self.out
        if not isinstance(label, str):
            out.error(Code.INVALID_LABEL_NAME, pointer, f"'Label' must be a string, got {json_type_name(label)}.")
            return
        problem = name_problem(label, MAX_LABEL_LENGTH)
        forbidden = label_forbidden_characters(label)
        if not problem and forbidden:
            shown = " ".join(repr(c) for c in forbidden if not c.isspace())
            problem = "it must not contain whitespace" if not shown else f"it must not contain {shown}"
        if problem:
            out.error(Code.INVALID_LABEL_NAME, pointer, f"Invalid Label '{label}': {problem}.")
        elif label in self.ctx.labels:
            out.error(
                Code.DUPLICATE_LABEL_NAME,
                pointer,
                f"Label '{label}' is already used at {self.ctx.labels[label]}; Map labels must be unique.",
            )
        else:
            self.ctx.labels[label] = pointer

    # --- Retry and Catch ---------------------------------------------------------------

    def _error_equals(self, holder: dict, pointer: str, is_last: bool, what: str) -> None:
        out = self.out
        here = pointer_join(pointer, "ErrorEquals")
        names = holder["ErrorEquals"]
        if not expect_array(names, here, out, non_empty=True):
            return
        for index, name in enumerate(names):
            item = pointer_join(here, index)
            if not expect_string(name, item, out, non_empty=True):
                continue
            if name == "States.ALL":
                if len(names) > 1:
                    out.error(
                        Code.STATES_ALL_NOT_LAST, item, "'States.ALL' must be the only error name in its ErrorEquals."
                    )
                elif not is_last:
                    out.error(Code.STATES_ALL_NOT_LAST, item, f"A {what} with 'States.ALL' must be the last one.")
            elif name.startswith("States.") and name not in PREDEFINED_ERRORS:
                out.warning(
                    Code.UNKNOWN_ERROR_NAME,
                    item,
                    f"'{name}' is not a predefined error name; names starting with 'States.' are reserved."
                    f"{did_you_mean(name, sorted(PREDEFINED_ERRORS))}",
                )

    def _retry(self, retriers: Any, pointer: str) -> None:
        out = self.out
        if not expect_array(retriers, pointer, out):
            return
        for index, retrier in enumerate(retriers):
            here = pointer_join(pointer, index)
            if not expect_object(retrier, here, out):
                continue
            unknown_fields(retrier, RETRIER_FIELDS, here, out, "a retrier")
            if required_fields(retrier, ["ErrorEquals"], here, out):
                self._error_equals(retrier, here, index == len(retriers) - 1, "retrier")
            self._optional_int(retrier, "IntervalSeconds", here, minimum=1, maximum=MAX_RETRY_INTERVAL)
            self._optional_int(retrier, "MaxAttempts", here, minimum=0, maximum=MAX_RETRY_ATTEMPTS)
            if "BackoffRate" in retrier:
                expect_number(retrier["BackoffRate"], pointer_join(here, "BackoffRate"), out, minimum=1.0)
            self._optional_int(retrier, "MaxDelaySeconds", here, minimum=1, maximum=MAX_DELAY_SECONDS)
            if "JitterStrategy" in retrier:
                expect_enum(retrier["JitterStrategy"], ("FULL", "NONE"), pointer_join(here, "JitterStrategy"), out)
            if "Comment" in retrier:
                expect_string(retrier["Comment"], pointer_join(here, "Comment"), out)

    def _catch(self, catchers: Any, pointer: str) -> None:
        out = self.out
        if not expect_array(catchers, pointer, out):
            return
        allowed = CATCHER_FIELDS[self.language]
        other = CATCHER_FIELDS[JSONATA if self.language == JSONPATH else JSONPATH]
        for index, catcher in enumerate(catchers):
            here = pointer_join(pointer, index)
            if not expect_object(catcher, here, out):
                continue
            for key in catcher:
                if key in allowed:
                    continue
                if key in other:
                    out.error(
                        Code.FIELD_NOT_ALLOWED_IN_QUERY_LANGUAGE,
                        pointer_join(here, key),
                        f"'{key}' is not allowed in a catcher of a {self.language} state.",
                    )
                else:
                    out.error(
                        Code.UNKNOWN_FIELD,
                        pointer_join(here, key),
                        f"Field '{key}' is not supported in a catcher.{did_you_mean(str(key), sorted(allowed))}",
                    )
            required_fields(catcher, ["ErrorEquals", "Next"], here, out)
            if "ErrorEquals" in catcher:
                self._error_equals(catcher, here, index == len(catchers) - 1, "catcher")
            if "Next" in catcher:
                self._transition("Next", catcher["Next"], pointer_join(here, "Next"))
            if "ResultPath" in catcher and self.language == JSONPATH:
                check_result_path(catcher["ResultPath"], pointer_join(here, "ResultPath"), out)
            if "Output" in catcher and self.language == JSONATA:
                check_jsonata_value(
                    catcher["Output"], pointer_join(here, "Output"), out, states_fields=WITH_ERROR_OUTPUT
                )
            if "Assign" in catcher:
                self.ctx.check_assign(catcher["Assign"], pointer_join(here, "Assign"), self.language, WITH_ERROR_OUTPUT)
                self.summary.assigned += assigned_names(catcher["Assign"], self.language)
            if "Comment" in catcher:
                expect_string(catcher["Comment"], pointer_join(here, "Comment"), out)


def _first_path_in(value: Any, pointer: str, depth: int) -> str | None:
    """Pointer of the first ``.$`` key or path-looking string inside a static value."""
    if depth > 64:
        return None
    if looks_like_path(value):
        return pointer
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        here = pointer_join(pointer, key)
        if isinstance(key, str) and key.endswith(".$"):
            return here
        found = _first_path_in(item, here, depth + 1)
        if found is not None:
            return found
    return None


def name_problem(name: str, max_length: int) -> str | None:
    """Why a state name or Map label is invalid (length, control characters), or None."""
    if not name:
        return "it must not be empty"
    if len(name) > max_length:
        return f"it is {len(name)} characters long; the maximum is {max_length}"
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in name):
        return "it contains control characters"
    return None


def label_forbidden_characters(label: str) -> str:
    return "".join(sorted({c for c in label if c in _NAME_FORBIDDEN}))

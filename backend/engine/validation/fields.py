"""Which fields each state type accepts, per query language (ST-07/08/09 and the
per-type sections of the checklist)."""

from __future__ import annotations

JSONPATH = "JSONPath"
JSONATA = "JSONata"
QUERY_LANGUAGES = (JSONPATH, JSONATA)

STATE_TYPES = ("Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")

MACHINE_FIELDS = frozenset({"Comment", "Version", "StartAt", "States", "TimeoutSeconds", "QueryLanguage"})
BRANCH_FIELDS = frozenset({"Comment", "StartAt", "States"})
PROCESSOR_FIELDS = frozenset({"Comment", "StartAt", "States", "ProcessorConfig"})

_COMMON = {"Type", "Comment", "QueryLanguage"}
_FLOW = {"Next", "End"}
_JSONPATH_IO = {"InputPath", "OutputPath"}

STATE_FIELDS: dict[str, dict[str, frozenset[str]]] = {
    "Pass": {
        JSONPATH: frozenset(_COMMON | _FLOW | _JSONPATH_IO | {"Parameters", "Result", "ResultPath", "Assign"}),
        JSONATA: frozenset(_COMMON | _FLOW | {"Output", "Assign"}),
    },
    "Task": {
        JSONPATH: frozenset(
            _COMMON | _FLOW | _JSONPATH_IO
            | {"Resource", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "TimeoutSeconds",
               "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials", "Assign"}
        ),
        JSONATA: frozenset(
            _COMMON | _FLOW
            | {"Resource", "Arguments", "Output", "Assign", "Retry", "Catch", "TimeoutSeconds", "HeartbeatSeconds",
               "Credentials"}
        ),
    },
    "Choice": {
        JSONPATH: frozenset(_COMMON | _JSONPATH_IO | {"Choices", "Default", "Assign"}),
        JSONATA: frozenset(_COMMON | {"Choices", "Default", "Output", "Assign"}),
    },
    "Wait": {
        JSONPATH: frozenset(
            _COMMON | _FLOW | _JSONPATH_IO | {"Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Assign"}
        ),
        JSONATA: frozenset(_COMMON | _FLOW | {"Seconds", "Timestamp", "Output", "Assign"}),
    },
    "Succeed": {
        JSONPATH: frozenset(_COMMON | _JSONPATH_IO),
        JSONATA: frozenset(_COMMON | {"Output"}),
    },
    "Fail": {
        JSONPATH: frozenset(_COMMON | {"Error", "ErrorPath", "Cause", "CausePath"}),
        JSONATA: frozenset(_COMMON | {"Error", "Cause"}),
    },
    "Parallel": {
        JSONPATH: frozenset(
            _COMMON | _FLOW | _JSONPATH_IO
            | {"Branches", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "Assign"}
        ),
        JSONATA: frozenset(_COMMON | _FLOW | {"Branches", "Arguments", "Output", "Assign", "Retry", "Catch"}),
    },
    "Map": {
        JSONPATH: frozenset(
            _COMMON | _FLOW | _JSONPATH_IO
            | {"ItemProcessor", "Iterator", "ItemsPath", "ItemSelector", "Parameters", "ResultSelector", "ResultPath",
               "MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
               "ToleratedFailureCount", "ToleratedFailureCountPath", "ItemReader", "ItemBatcher", "ResultWriter",
               "Label", "Retry", "Catch", "Assign"}
        ),
        JSONATA: frozenset(
            _COMMON | _FLOW
            | {"ItemProcessor", "Iterator", "Items", "ItemSelector", "Output", "Assign", "MaxConcurrency",
               "ToleratedFailurePercentage", "ToleratedFailureCount", "ItemReader", "ItemBatcher", "ResultWriter",
               "Label", "Retry", "Catch"}
        ),
    },
}

# TCSL (Tencent ASW) documents ResultSelector on Pass (TC-05); accepted unless strict.
TCSL_EXTRA_FIELDS: dict[str, frozenset[str]] = {"Pass": frozenset({"ResultSelector"})}

ALL_STATE_FIELDS = frozenset(f for per_type in STATE_FIELDS.values() for fs in per_type.values() for f in fs)

# Fields that exist in only one of the query languages, and what to use in the other.
JSONPATH_ONLY_HINT = {
    "Parameters": "Arguments",
    "InputPath": "Arguments",
    "OutputPath": "Output",
    "ResultSelector": "Output",
    "ResultPath": "Output",
    "ItemsPath": "Items",
}
JSONATA_ONLY_HINT = {"Arguments": "Parameters", "Output": "OutputPath or ResultSelector", "Items": "ItemsPath"}

RETRIER_FIELDS = frozenset(
    {"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"}
)
CATCHER_FIELDS = {
    JSONPATH: frozenset({"ErrorEquals", "Next", "ResultPath", "Assign", "Comment"}),
    JSONATA: frozenset({"ErrorEquals", "Next", "Output", "Assign", "Comment"}),
}

PREDEFINED_ERRORS = frozenset(
    {
        "States.ALL", "States.DataLimitExceeded", "States.ExceedToleratedFailureThreshold",
        "States.HeartbeatTimeout", "States.IntrinsicFailure", "States.ItemReaderFailed", "States.NoChoiceMatched",
        "States.ParameterPathFailure", "States.Permissions", "States.QueryEvaluationError",
        "States.ResultPathMatchFailure", "States.ResultWriterFailed", "States.Runtime", "States.TaskFailed",
        "States.Timeout", "States.BranchFailed", "States.Http.Socket",
    }
)

# Numeric limits (checklist TOP-07, RET-02, DMAP-07).
MAX_TIMEOUT_SECONDS = 99_999_999
MAX_RETRY_INTERVAL = 99_999_999
MAX_RETRY_ATTEMPTS = 99_999_999
MAX_DELAY_SECONDS = 31_622_401
MAX_BATCH_BYTES = 262_144
MAX_READER_ITEMS = 100_000_000
MAX_STATE_NAME_LENGTH = 80
MAX_LABEL_LENGTH = 40
MAX_VARIABLE_NAME_LENGTH = 80
# An Express execution runs at most five minutes.
EXPRESS_MAX_SECONDS = 300
# Nesting of Parallel/Map inside each other; AWS does not publish its limit (TR-07).
MAX_NESTING_DEPTH = 20

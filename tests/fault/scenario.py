"""The fault test's workload, run as a script against the database the environment selects.

    python tests/fault/scenario.py setup N CALL_LOG   functions, workflow, N started executions
    python tests/fault/scenario.py open               how many are still RUNNING
    python tests/fault/scenario.py check CALL_LOG     JSON report on stdout

Each execution: Task (inc) -> Wait 0 or 1 s -> Parallel (Task double | Pass, Task inc) ->
Map over 3 items (Task times10) -> Task (sum). Every Task calls the stored function
``record``, which appends a start and an end line (with the Task attempt's idempotency
key) to CALL_LOG. The expected output is 33 n + 34 for input n.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:record"

RECORD_SOURCE = '''
import json, os, time

def handler(event, context):
    path = os.environ["CALL_LOG"]
    line = {"key": context.aws_request_id, "phase": "start", "t": time.time()}
    with open(path, "a") as log:
        log.write(json.dumps(line) + "\\n")
    op, x = event["op"], event.get("x")
    if op == "inc":
        result = x + 1
    elif op == "double":
        result = 2 * x
    elif op == "times10":
        result = 10 * x
    else:
        result = sum(event["values"]) + sum(event["extra"])
    time.sleep(0.002)  # a call lasts long enough for kills to land inside some
    with open(path, "a") as log:
        log.write(json.dumps({**line, "phase": "end", "t": time.time()}) + "\\n")
    return result
'''


def task(parameters: dict, **more: object) -> dict:
    return {"Type": "Task", "Resource": LAMBDA, "Parameters": parameters, **more}


DEFINITION = {
    "StartAt": "Inc",
    "States": {
        "Inc": task({"op": "inc", "x.$": "$.n"}, ResultPath="$.inc", Next="Pause"),
        "Pause": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Fan"},
        "Fan": {
            "Type": "Parallel", "ResultPath": "$.fan", "Next": "Each",
            "Branches": [
                {"StartAt": "Double", "States": {"Double": task({"op": "double", "x.$": "$.inc"}, End=True)}},
                {"StartAt": "Hop", "States": {
                    "Hop": {"Type": "Pass", "Next": "IncAgain"},
                    "IncAgain": task({"op": "inc", "x.$": "$.inc"}, End=True)}},
            ],
        },
        "Each": {
            "Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.each", "Next": "Total",
            "ItemProcessor": {"StartAt": "Times10", "States": {
                "Times10": task({"op": "times10", "x.$": "$"}, End=True)}},
        },
        "Total": task({"op": "sum", "values.$": "$.each", "extra.$": "$.fan"}, End=True),
    },
}


def execution_input(n: int) -> dict:
    return {"n": n, "wait": n % 2, "items": [n, n + 1, n + 2]}


def expected_output(n: int) -> int:
    return 33 * n + 34


def setup(count: int, call_log: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from backend.executions.runner import execution_start
    from backend.workflows.services import function_create, role_create, template_create

    owner = get_user_model().objects.create_user(username="fault")
    function_create(owner=owner, name="record", source=RECORD_SOURCE, environment={"CALL_LOG": call_log},
                    timeout_s=10)
    role = role_create(owner=owner, name="fault", allowed_resources=[LAMBDA])
    template = template_create(owner=owner, name="fault", definition=json.dumps(DEFINITION), role=role)
    for n in range(count):
        execution_start(template=template, name=f"run-{n}", input=json.dumps(execution_input(n)))


def reference_history(n: int) -> list[tuple[str, int]]:
    """(type, previousEventId) of an uninterrupted in-memory run of the same workflow."""
    from backend.engine.clock import FakeClock
    from backend.engine.execution import Execution
    from backend.engine.program import compile_definition
    from backend.engine.resources import LAMBDA_ARN, ResourceRegistry, TaskOutcome

    def record(call):  # type: ignore[no-untyped-def]
        event = call.payload
        op, x = event["op"], event.get("x")
        values = {"inc": lambda: x + 1, "double": lambda: 2 * x, "times10": lambda: 10 * x,
                  "sum": lambda: sum(event["values"]) + sum(event["extra"])}
        return TaskOutcome.succeeded(values[op]())

    registry = ResourceRegistry()
    registry.register_kind(LAMBDA_ARN, record)
    program = compile_definition(DEFINITION, name="fault")
    result = Execution(program, execution_input(n), registry=registry, clock=FakeClock()).run()
    return [(event.type, event.previous_event_id) for event in result.events]


def check(call_log: str) -> dict:
    import django

    django.setup()
    from backend.executions.models import Execution, HistoryEvent

    rows = list(Execution.objects.filter(template__name="fault").values_list("pk", "name", "status", "output"))
    histories: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for execution_id, event_id, type_, previous in HistoryEvent.objects.filter(
            execution__template__name="fault", scope="").order_by("execution_id", "event_id").values_list(
            "execution_id", "event_id", "type", "previous_event_id"):
        histories[execution_id].append((event_id, type_, previous))
    statuses: Counter[str] = Counter()
    wrong_outputs, history_mismatches, id_gaps = [], [], []
    references: dict[tuple, list] = {}
    for pk, name, status, output in rows:
        n = int(name.split("-")[1])
        statuses[status] += 1
        if status == "SUCCEEDED" and json.loads(output) != expected_output(n):
            wrong_outputs.append(name)
        events = histories[pk]
        if [event_id for event_id, _, _ in events] != list(range(1, len(events) + 1)):
            id_gaps.append(name)
        key = (n % 2,)
        if key not in references:
            references[key] = reference_history(n)
        if [(type_, previous) for _, type_, previous in events] != references[key]:
            history_mismatches.append(name)
    starts: dict[str, list[float]] = defaultdict(list)
    ends: dict[str, list[float]] = defaultdict(list)
    for line in Path(call_log).read_text().splitlines():
        record = json.loads(line)
        (starts if record["phase"] == "start" else ends)[record["key"]].append(record["t"])
    duplicated = {key: times for key, times in starts.items() if len(times) > 1}
    return {
        "executions": len(rows),
        "statuses": dict(statuses),
        "wrong_outputs": wrong_outputs,
        "history_mismatches": history_mismatches,
        "id_gaps": id_gaps,
        "calls": sum(len(times) for times in starts.values()),
        "distinct_calls": len(starts),
        "duplicated_calls": {key: sorted(times) for key, times in duplicated.items()},
        "call_ends": {key: sorted(times) for key, times in ends.items() if key in duplicated},
    }


def open_count() -> int:
    import django

    django.setup()
    from backend.executions.models import Execution

    return Execution.objects.filter(template__name="fault", status="RUNNING").count()


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        setup(int(sys.argv[2]), sys.argv[3])
    elif command == "open":
        print(open_count())
    elif command == "check":
        print(json.dumps(check(sys.argv[2])))
    else:
        raise SystemExit(f"unknown command {command!r}")

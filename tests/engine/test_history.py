from __future__ import annotations

import json

from backend.engine.execution import Execution
from backend.engine.history import event_to_aws
from backend.engine.journal import Event, MemoryJournal
from backend.engine.program import compile_definition
from backend.engine.sqlite_journal import SqliteJournal
from tests.engine.support import FakeFunctions, lambda_arn, run_definition

PASS_THEN_END = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def test_canonical_pass_sequence_with_ids_and_previous_ids():
    history = run_definition(PASS_THEN_END, {"a": 1}).history()
    assert [(e["id"], e["previousEventId"], e["type"]) for e in history] == [
        (1, 0, "ExecutionStarted"), (2, 1, "PassStateEntered"), (3, 2, "PassStateExited"),
        (4, 3, "ExecutionSucceeded")]
    entered = history[1]["stateEnteredEventDetails"]
    assert entered == {"name": "P", "input": '{"a":1}', "inputDetails": {"truncated": False}}
    assert history[3]["executionSucceededEventDetails"]["output"] == '{"a":1}'
    assert history[0]["timestamp"].endswith("Z")


def test_service_task_events():
    functions = FakeFunctions({"f": lambda e: {"ok": 1}})
    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 9,
        "Parameters": {"FunctionName": "f", "Payload": {}}, "End": True}}}
    history = run_definition(definition, {}, functions=functions).history()
    types = [e["type"] for e in history]
    assert types == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                     "TaskStateExited", "ExecutionSucceeded"]
    scheduled = history[2]["taskScheduledEventDetails"]
    assert scheduled["resourceType"] == "lambda" and scheduled["resource"] == "invoke"
    assert scheduled["timeoutInSeconds"] == 9
    assert json.loads(scheduled["parameters"]) == {"FunctionName": "f", "Payload": {}}


def test_legacy_lambda_events_and_uncaught_failure():
    from backend.engine.resources import TaskOutcome

    functions = FakeFunctions({"f": lambda e: TaskOutcome.failed("Boom", "why")})
    definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": lambda_arn("f"), "End": True}}}
    result = run_definition(definition, {}, functions=functions)
    history = result.history()
    assert [e["type"] for e in history] == ["ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                                            "LambdaFunctionStarted", "LambdaFunctionFailed", "ExecutionFailed"]
    assert history[-1]["executionFailedEventDetails"] == {"error": "Boom", "cause": "why"}


def test_fail_state_without_error_has_empty_failure_details():
    definition = {"StartAt": "F", "States": {"F": {"Type": "Fail"}}}
    history = run_definition(definition, {}).history()
    assert [e["type"] for e in history] == ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
    assert history[-1]["executionFailedEventDetails"] == {}


def test_sqlite_journal_round_trip_and_resume(tmp_path):
    db = SqliteJournal.connect(str(tmp_path / "journal.db"))
    program = compile_definition({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": {"x": [1, 2]}, "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 1, "Next": "B"},
        "B": {"Type": "Pass", "End": True}}})
    full = MemoryJournal()
    expected = Execution(program, {"in": "é"}, name="e1", journal=full).run()
    journal = SqliteJournal(db, "e2")
    for event in full.events[:5]:  # crash after WaitStateEntered
        journal.append(event)
    journal.commit()
    assert SqliteJournal(db, "e2").load() == full.events[:5]
    resumed = Execution(program, None, name="e1", journal=SqliteJournal(db, "e2")).run()
    assert resumed.output == expected.output
    reloaded = SqliteJournal(db, "e2").load()
    assert [(e.id, e.type, e.details) for e in reloaded] == [(e.id, e.type, e.details) for e in full.events]


def test_sqlite_journal_keeps_timestamps_exact_and_inputs_as_back_references(tmp_path):
    db = SqliteJournal.connect(str(tmp_path / "journal.db"))
    program = compile_definition({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": True}}})
    journal = SqliteJournal(db, "e")
    result = Execution(program, {"k": [1, 2]}, name="e", journal=journal).run()
    assert SqliteJournal(db, "e").load() == result.events  # SystemClock floats, bit for bit
    (text,) = db.execute("SELECT events FROM journal_group WHERE execution = 'e'").fetchone()
    stored = {row[0]: row[3] for row in json.loads(text)}
    assert stored[4] == {"name": "B", "input@": 3}  # B's input is A's output, not a second copy


def test_sqlite_journal_reads_groups_written_before_timestamps_moved_out_of_the_json(tmp_path):
    import sqlite3

    path = str(tmp_path / "old.db")
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE journal_group (execution TEXT NOT NULL, first_id INTEGER NOT NULL, "
                "last_id INTEGER NOT NULL, events TEXT NOT NULL, PRIMARY KEY (execution, first_id))")
    old.execute("INSERT INTO journal_group VALUES ('e', 1, 2, ?)", (json.dumps([
        [1, 0, 1700000000.25, "ExecutionStarted", {"input": {"a": 1}, "roleArn": "r"}],
        [2, 1, 1700000000.5, "PassStateEntered", {"name": "P", "input": {"a": 1}}]]),))
    old.commit()
    old.close()
    journal = SqliteJournal(SqliteJournal.connect(path), "e")
    events = journal.load()
    assert [(e.id, e.timestamp, e.type) for e in events] == [
        (1, 1700000000.25, "ExecutionStarted"), (2, 1700000000.5, "PassStateEntered")]
    resumed = Execution(compile_definition(PASS_THEN_END), None, name="e", journal=journal).run()
    assert resumed.output == {"a": 1}
    again = SqliteJournal(SqliteJournal.connect(path), "e").load()
    assert [e.type for e in again] == ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                                       "ExecutionSucceeded"]
    assert again == resumed.events


def _big_state_steps(steps: int) -> dict:
    states = {f"P{i}": {"Type": "Pass", "Result": {"step": i}, "ResultPath": f"$.steps.s{i}", "Next": f"P{i + 1}"}
              for i in range(steps)}
    states[f"P{steps - 1}"]["Next"] = "Wait"
    states["Wait"] = {"Type": "Wait", "Seconds": 1, "Next": "Trim"}  # a commit group boundary
    states["Trim"] = {"Type": "Pass", "Parameters": {"blob.$": "$.blob", "steps.$": "$.steps"}, "End": True}
    return {"StartAt": "P0", "States": states}


def test_sqlite_journal_stores_a_large_state_once_across_result_path_merges(tmp_path):
    from backend.engine.clock import FakeClock

    db = SqliteJournal.connect(str(tmp_path / "journal.db"))
    blob = {"records": [{"id": i, "text": "x" * 40} for i in range(500)]}
    size = len(json.dumps(blob))
    program = compile_definition(_big_state_steps(10))
    result = Execution(program, {"blob": blob, "steps": {}}, name="big", journal=SqliteJournal(db, "big"),
                       clock=FakeClock()).run()
    assert result.status == "SUCCEEDED"
    (stored,) = db.execute("SELECT sum(length(events)) FROM journal_group WHERE execution = 'big'").fetchone()
    assert stored < 2 * size  # the input once, then only what each state changed

    loaded = SqliteJournal(db, "big").load()
    assert loaded == result.events
    for mine, theirs in zip(loaded, result.events):  # same JSON text: key order rebuilt too
        assert event_to_aws(mine) == event_to_aws(theirs)


def test_sqlite_journal_output_deltas_keep_key_order_and_removed_keys(tmp_path):
    db = SqliteJournal.connect(str(tmp_path / "journal.db"))
    big = {"rows": list(range(100))}
    state = {"a": 1, "big": big, "z": 2}
    outputs = [
        {"a": 1, "big": big, "z": 3},              # a changed member, same order: a delta
        {"big": big, "z": 3},                      # a removed key: a delta
        {"z": 3, "big": big},                      # reordered: written in full
        {"z": 3, "big": big, "new": {"k": [1]}},   # an added key at the end: a delta
        {"z": 3, "big": big, "new": {"k": [1]}},   # equal but not the same object: a delta with no change
    ]
    events = [Event(1, 0, 1.0, "ExecutionStarted", {"input": state})]
    for i, output in enumerate(outputs):
        events.append(Event(len(events) + 1, len(events), 2.0 + i, "PassStateExited", {"name": "P", "output": output}))
    journal = SqliteJournal(db, "e")
    for event in events[:3]:
        journal.append(event)
    journal.commit()
    for event in events[3:]:  # a second group refers back into the first
        journal.append(event)
    journal.commit()
    loaded = SqliteJournal(db, "e").load()
    assert [json.dumps(e.details) for e in loaded] == [json.dumps(e.details) for e in events]
    text = "".join(row[0] for row in db.execute("SELECT events FROM journal_group WHERE execution = 'e'"))
    assert text.count('"rows"') == 2  # the input, and the reordered output written in full


def test_history_cap_fails_a_runaway_loop_cleanly():
    definition = {"StartAt": "Loop", "States": {"Loop": {"Type": "Pass", "Next": "Loop"}}}
    program = compile_definition(definition)
    result = Execution(program, {}, event_limit=50).run()
    assert (result.status, result.error) == ("FAILED", "States.Runtime")
    assert len(result.events) == 51 and result.events[-1].type == "ExecutionFailed"


def test_history_cap_reached_by_the_final_event_still_reports_a_result():
    program = compile_definition(PASS_THEN_END)
    result = Execution(program, {}, event_limit=3).run()
    assert (result.status, result.error) == ("FAILED", "States.Runtime")

from __future__ import annotations

import pytest

from backend.engine.clock import FakeClock
from tests.engine.support import run_definition


def wait_machine(field: dict) -> dict:
    return {"StartAt": "W", "States": {"W": {"Type": "Wait", "End": True, **field}}}


def test_seconds_waits_on_the_clock_and_passes_input_through():
    clock = FakeClock(1000.0)
    result = run_definition(wait_machine({"Seconds": 30}), {"a": 1}, clock=clock)
    assert result.output == {"a": 1}
    assert clock.sleeps == [30.0]


def test_seconds_path_reads_the_delay_from_the_input():
    clock = FakeClock(1000.0)
    run_definition(wait_machine({"SecondsPath": "$.s"}), {"s": 7}, clock=clock)
    assert clock.sleeps == [7.0]


def test_timestamp_in_the_past_does_not_wait():
    clock = FakeClock(2_000_000_000.0)
    result = run_definition(wait_machine({"Timestamp": "2016-03-14T01:59:00Z"}), {}, clock=clock)
    assert result.status == "SUCCEEDED" and clock.sleeps == []


def test_timestamp_path_waits_until_the_instant():
    clock = FakeClock(1_700_000_000.0)
    run_definition(wait_machine({"TimestampPath": "$.t"}), {"t": "2023-11-14T22:13:30Z"}, clock=clock)
    assert clock.sleeps == [pytest.approx(10.0)]


@pytest.mark.parametrize("value, cause", [
    (-1, "The SecondsPath parameter references a negative value: $.s == -1"),
    (1.5, "The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5"),
])
def test_bad_seconds_path_values_fail_with_states_runtime(value, cause):
    result = run_definition(wait_machine({"SecondsPath": "$.s"}), {"s": value})
    assert result.error == "States.Runtime"
    assert result.cause == (
        "An error occurred while executing the state 'W' (entered at the event id #2). " + cause
    )


def test_invalid_timestamp_path_fails_with_states_runtime():
    result = run_definition(wait_machine({"TimestampPath": "$.t"}), {"t": "2016-12-05T21:29:29"})
    assert result.error == "States.Runtime"
    assert result.cause.endswith("ISO-8601 extended offset date-time format string: $.t == 2016-12-05T21:29:29")

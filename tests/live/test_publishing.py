"""The parts of the live streams that need no server: what gets published, and the cursor."""

from __future__ import annotations

import json
from typing import Any

import pytest

from backend.engine.journal import Event
from backend.live import publishing
from backend.live.streams import EventCursor, parse_after, parse_client_message, state_of
from backend.live.watchers import ALL, index


@pytest.fixture
def submitted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(publishing, "_submit", sent.extend)
    monkeypatch.setattr(publishing.transaction, "on_commit", lambda callback: callback())
    return sent


@pytest.fixture
def watching() -> Any:
    added: list[Any] = []

    def watch(*keys: Any) -> None:
        index.add(keys)
        added.extend(keys)

    yield watch
    index.remove(added)


def group(first: int, last: int, terminal: bool = False) -> list[Event]:
    events = [Event(i, i - 1, 100.0 + i, "PassStateEntered", {"name": "A", "input": {"i": i}})
              for i in range(first, last + 1)]
    if terminal:
        events[-1] = Event(last, last - 1, 100.0 + last, "ExecutionSucceeded", {"output": {"ok": True}})
    return events


def test_nothing_is_published_when_nobody_watches(submitted: list[Any]) -> None:
    publishing.events_committed(7, "", group(1, 3))
    assert submitted == []
    assert not index.anything


def test_only_the_watched_executions_top_level_events_are_published(submitted: list[Any], watching: Any) -> None:
    watching(("e", 7))
    publishing.events_committed(8, "", group(1, 3))  # another execution
    publishing.events_committed(7, "Map/0", group(1, 3))  # a Distributed Map child's history
    assert submitted == []
    publishing.events_committed(7, "", group(4, 5))
    [(name, message)] = submitted
    assert name == "live.execution.7"
    assert (message["first"], message["last"]) == (4, 5)
    assert [json.loads(text) for text in message["events"]] == [
        {"id": 4, "previous_event_id": 3, "type": "PassStateEntered", "timestamp": 104.0,
         "details": {"name": "A", "input": {"i": 4}}},
        {"id": 5, "previous_event_id": 4, "type": "PassStateEntered", "timestamp": 105.0,
         "details": {"name": "A", "input": {"i": 5}}}]


def test_consecutive_groups_merge_into_one_frame_and_big_ones_are_only_announced() -> None:
    def message(first: int, last: int) -> dict[str, Any]:
        return {"type": "live.events", "execution": 7, "first": first, "last": last,
                "events": [publishing.event_json(e) for e in group(first, last)]}

    status = {"type": "live.status", "group": "g", "execution": 7, "item": {}}
    merged = publishing._merged([("g", message(1, 2)), ("g", message(3, 4)), ("g", status), ("g", message(5, 5))])
    assert [(m["type"], m.get("first"), m.get("last")) for _, m in merged] == [
        ("live.events", 1, 4), ("live.status", None, None), ("live.events", 5, 5)]
    assert [e["id"] for e in json.loads(merged[0][1]["text"])["events"]] == [1, 2, 3, 4]

    huge = message(1, 1)
    huge["events"] = ['{"id":1,"details":"' + "x" * publishing.INLINE_TEXT_BYTES + '"}']
    [(_, announced)] = publishing._merged([("g", huge)])
    assert announced["text"] is None and (announced["first"], announced["last"]) == (1, 1)


def test_cursor_sends_what_continues_skips_what_was_sent_and_fills_gaps() -> None:
    cursor = EventCursor(after=4)
    assert cursor.offer(5, 6, carries_text=True) == EventCursor.SEND
    assert cursor.offer(2, 4, carries_text=True) == EventCursor.SKIP
    assert cursor.offer(7, 9, carries_text=True) == EventCursor.FILL  # 5 and 6 were not sent yet
    assert cursor.offer(3, 8, carries_text=True) == EventCursor.FILL  # partly sent
    assert cursor.offer(5, 6, carries_text=False) == EventCursor.FILL  # too big to carry


def test_status_order_and_client_input() -> None:
    running = {"status": "RUNNING", "redrive_count": 0}
    aborted = {"status": "ABORTED", "redrive_count": 0}
    redriven = {"status": "RUNNING", "redrive_count": 1}
    assert state_of(running) < state_of(aborted) < state_of(redriven)
    assert parse_after(b"") == 0 and parse_after(b"after=12&token=x") == 12
    assert parse_after(b"after=-1") is None and parse_after(b"after=abc") is None
    assert parse_client_message('{"type": "resume", "after": 3}') == 3
    for text in ("nonsense", '{"type": "resume", "after": -1}', '{"type": "resume", "after": true}', "[]", None):
        assert parse_client_message(text) is None


def test_owner_streams_get_status_changes_of_top_level_executions_only(
        submitted: list[Any], watching: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    monkeypatch.setattr(publishing, "execution_item", lambda execution: {"id": execution.pk})
    watching(("u", 5), ("u", ALL), ("w", 3))
    top = SimpleNamespace(pk=1, template_id=3, parent_id=None, template=SimpleNamespace(owner_id=5))
    child = SimpleNamespace(pk=2, template_id=3, parent_id=1, template=SimpleNamespace(owner_id=5))
    publishing.execution_changed(child)
    assert submitted == []
    publishing.execution_changed(top)
    assert sorted(name for name, _ in submitted) == ["live.user.5", "live.user.all", "live.workflow.3"]
    assert all(message == {"type": "live.status", "group": name, "execution": 1, "item": {"id": 1}}
               for name, message in submitted)

"""The live WebSocket streams against a real server with a real client, on both channel layers.

Memory: `make run` (the runner inside the server). Redis: `make run` without its runner
plus `manage.py runengine`: every event and the closing status cross processes through
Redis. The safety-net poll is off (60 s), so what arrives in time arrived live.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import itertools
import json
import urllib.request
from typing import Any

import pytest
import websockets

from tests.live.client import Stream, close_code, is_final_status, open_stream, run

_names = itertools.count()


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_names)}"


# Events after the 3 s Hold can only come live: the consumer's one database catch-up runs
# 1.5 s after connecting, and its poll is 60 s.
STREAMED = {"StartAt": "Hold", "States": {
    "Hold": {"Type": "Wait", "Seconds": 3, "Next": "Double"},
    "Double": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, $.n)"}, "Next": "Pause"},
    "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
    "Done": {"Type": "Pass", "Result": "done", "ResultPath": "$.note", "End": True}}}

FOUR_WAITS = {"StartAt": "W1", "States": {
    **{f"W{i}": {"Type": "Wait", "Seconds": 1, "Next": f"W{i + 1}"} for i in range(1, 4)},
    "W4": {"Type": "Wait", "Seconds": 1, "Next": "End"},
    "End": {"Type": "Pass", "End": True}}}

QUICK = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 1, "Next": "P"},
                                        "P": {"Type": "Pass", "End": True}}}
LONG_WAIT = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 600, "End": True}}}


def test_events_stream_in_order_with_inputs_and_outputs(stream_server: Any) -> None:
    server = stream_server
    workflow = server.workflow("alice", STREAMED, unique("streamed"))
    execution = server.start("alice", workflow["id"], {"n": 21})

    async def scenario() -> Stream:
        async with open_stream(server.stream_url(f"/ws/executions/{execution['id']}/", "alice")) as connection:
            stream = Stream(connection)
            await stream.until(is_final_status, timeout=30)
            assert await stream.quiet(0.5) == []
            return stream

    stream = run(scenario())
    messages = [r.message for r in stream.received]
    assert messages[0]["type"] == "snapshot"
    assert messages[0]["execution"]["id"] == execution["id"]
    assert messages[0]["execution"]["workflow_id"] == workflow["id"]

    events = stream.events()
    assert [event["id"] for event in events] == list(range(1, len(events) + 1))
    assert events == server.history("alice", execution["id"])  # the REST shapes, every event once
    by_type = {(event["type"], (event["details"] or {}).get("name")): event for event in events}
    assert json.loads(json.dumps(by_type[("PassStateEntered", "Double")]["details"]["input"])) in ({"n": 21}, '{"n":21}')
    assert "42" in json.dumps(by_type[("PassStateExited", "Double")]["details"]["output"])
    assert events[-1]["type"] == "ExecutionSucceeded"

    assert messages[-1]["type"] == "status"
    assert messages[-1]["execution"]["status"] == "SUCCEEDED"
    assert json.loads(messages[-1]["execution"]["output"]) == {"n": 42, "note": "done"}

    # Live: everything after the Hold arrived within half a second of its commit.
    late = [(event, at) for event, at in stream.event_receipts() if event["id"] > 3]
    assert late and all(at - event["timestamp"] < 0.5 for event, at in late), late


def test_resume_after_reconnect_loses_and_repeats_nothing(stream_server: Any) -> None:
    server = stream_server
    workflow = server.workflow("alice", FOUR_WAITS, unique("four-waits"))
    execution = server.start("alice", workflow["id"])
    url = f"/ws/executions/{execution['id']}/"

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        async with open_stream(server.stream_url(url, "alice")) as connection:
            first = Stream(connection)
            await first.until(lambda m: m["type"] == "events" and m["events"][-1]["id"] >= 4)
        await asyncio.sleep(1.2)  # the execution goes on meanwhile
        seen = first.events()[-1]["id"]
        async with open_stream(server.stream_url(url, "alice", after=seen)) as connection:
            second = Stream(connection)
            await second.until(is_final_status, timeout=30)
            resumed = second.events()
            # A resume request sends the events after 2 again, once.
            await second.send({"type": "resume", "after": 2})
            again = await second.quiet(1.0)
        return first.events(), resumed, [e for m in again if m["type"] == "events" for e in m["events"]]

    first, second, again = run(scenario())
    history = server.history("alice", execution["id"])
    assert [e["id"] for e in first] == list(range(1, len(first) + 1))
    assert second[0]["id"] == first[-1]["id"] + 1
    assert first + second == history
    assert again == history[2:]


def _session_cookie(server: Any, user: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(server.base_url + "/api/auth/csrf/") as reply:
        csrf = json.loads(reply.read())["csrf_token"]
    login = urllib.request.Request(server.base_url + "/api/auth/login/", method="POST",
                                   data=json.dumps({"username": user, "password": user + "-pass-123"}).encode(),
                                   headers={"Content-Type": "application/json", "X-CSRFToken": csrf,
                                            "Referer": server.base_url + "/"})
    opener.open(login).read()
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def test_ownership_and_authentication(stream_server: Any) -> None:
    server = stream_server
    workflow = server.workflow("alice", QUICK, unique("owned"))
    execution = server.start("alice", workflow["id"])
    mine, flow = f"/ws/executions/{execution['id']}/", f"/ws/workflows/{workflow['id']}/"
    cookie = _session_cookie(server, "alice")

    async def scenario() -> None:
        # Another user's execution or workflow does not exist for bob.
        assert await close_code(server.stream_url(mine, "bob")) == 4404
        assert await close_code(server.stream_url(flow, "bob")) == 4404
        assert await close_code(server.stream_url("/ws/executions/999999999/", "alice")) == 4404
        assert await close_code(server.stream_url("/ws/executions/abc/", "alice")) == 4404
        assert await close_code(server.stream_url(mine, "alice", after="x")) == 4400
        # Not logged in: no token, a wrong token.
        for path in (mine, flow, "/ws/executions/"):
            assert await close_code(server.stream_url(path)) == 4401
        assert await close_code(server.stream_url(mine) + "?token=not-a-token") == 4401
        # Staff see everything; the owner by token or by the browser's session cookie.
        for url, headers in ((server.stream_url(mine, "root"), {}),
                             (server.stream_url(mine, "alice"), {}),
                             (server.stream_url(mine), {"Cookie": cookie, "Origin": server.base_url})):
            async with open_stream(url, additional_headers=headers) as connection:
                snapshot = await Stream(connection).next()
                assert snapshot["type"] == "snapshot" and snapshot["execution"]["id"] == execution["id"]
        # A page of another site cannot use the visitor's session.
        with pytest.raises(websockets.InvalidStatus):
            async with open_stream(server.stream_url(mine), additional_headers={
                    "Cookie": cookie, "Origin": "http://evil.example"}):
                pass

    run(scenario())


def test_workflow_and_executions_streams_tell_status_changes(stream_server: Any) -> None:
    server = stream_server
    workflow = server.workflow("alice", QUICK, unique("listed"))
    long_workflow = server.workflow("alice", LONG_WAIT, unique("long"))

    def statuses(stream: Stream, execution_id: int) -> list[str]:
        return [r.message["execution"]["status"] for r in stream.received
                if r.message["type"] == "execution" and r.message["execution"]["id"] == execution_id]

    async def scenario() -> None:
        async with (open_stream(server.stream_url(f"/ws/workflows/{workflow['id']}/", "alice")) as w,
                    open_stream(server.stream_url("/ws/executions/", "alice")) as mine,
                    open_stream(server.stream_url("/ws/executions/", "root")) as everyone,
                    open_stream(server.stream_url("/ws/executions/", "bob")) as bobs):
            streams = [Stream(c) for c in (w, mine, everyone, bobs)]
            await asyncio.sleep(0.6)  # every publishing process knows the watchers (Redis: 0.25 s)
            started = [server.start("alice", workflow["id"])["id"] for _ in range(2)]
            for stream in streams[:3]:
                while not all(statuses(stream, i)[-1:] == ["SUCCEEDED"] for i in started):
                    await stream.next(timeout=20)
            await asyncio.gather(*(stream.quiet(0.5) for stream in streams))
            for stream in streams[:3]:
                for execution_id in started:
                    assert statuses(stream, execution_id) == ["RUNNING", "SUCCEEDED"], stream.received
                    item = next(r.message["execution"] for r in stream.received
                                if r.message["execution"]["id"] == execution_id)
                    assert item["workflow_id"] == workflow["id"] and item["workflow_name"] == workflow["name"]
            assert streams[3].received == []  # none of alice's executions reach bob
            assert all(r.message["execution"]["workflow_id"] == workflow["id"] for r in streams[0].received)

            # Stop and redrive: the execution stream shows the events and each status; the list too.
            execution = server.start("alice", long_workflow["id"])
            async with open_stream(server.stream_url(f"/ws/executions/{execution['id']}/", "alice")) as c:
                watched = Stream(c)
                await watched.until(lambda m: m["type"] == "events" and m["events"][-1]["type"] == "WaitStateEntered")
                server.api("alice", "POST", f"/api/executions/{execution['id']}/stop/", {"error": "Enough"})
                await watched.until(is_final_status)
                server.api("alice", "POST", f"/api/executions/{execution['id']}/redrive/")
                await watched.until(lambda m: m["type"] == "status" and m["execution"]["status"] == "RUNNING")
                server.api("alice", "POST", f"/api/executions/{execution['id']}/stop/")
                await watched.until(is_final_status)
            await streams[1].quiet(0.5)
            assert watched.events() == server.history("alice", execution["id"])
            marks = []  # the ends of the stream's story, in the order they arrived
            for r in watched.received[1:]:
                if r.message["type"] == "status":
                    marks.append(r.message["execution"]["status"])
                else:
                    marks += [e["type"] for e in r.message["events"] if e["type"].startswith("Execution")]
            assert marks == ["ExecutionStarted", "ExecutionAborted", "ABORTED", "ExecutionRedriven", "RUNNING",
                             "ExecutionAborted", "ABORTED"], marks
            assert statuses(streams[1], execution["id"]) == ["RUNNING", "ABORTED", "RUNNING", "ABORTED"]

    run(scenario())

"""The execution view under a stream of history events (a measurement, not a test).

A Map of about `rate * seconds / 6` items, about `rate / 6` at a time (20% more), each iteration a 1-second Wait
then a Pass (six history events per iteration): about `rate` events per second for
`seconds` seconds. The execution view is opened on the execution as soon as it is started
and watched live (WebSocket); its event count is sampled every 100 ms against the
server's. At the end the view must show exactly the history's events.

Run by browser_bench.py (`make bench-browser`).
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass, field

EVENTS_PER_ITERATION = 6


@dataclass
class Result:
    target_rate: int
    items: int
    history_events: int = 0
    shown_events: int = 0
    history_span_s: float = 0.0
    caught_up_after_s: float | None = None  # from the execution's last event to the view showing it
    latencies_s: list[float] = field(default_factory=list)  # per event: written -> counted in the view
    per_second: list[int] = field(default_factory=list)  # events written in each second of the run
    samples: list[tuple[float, int]] = field(default_factory=list)
    status: str = ""
    problem: str | None = None

    @property
    def rate(self) -> float:
        return self.history_events / self.history_span_s if self.history_span_s > 0 else 0.0

    middle_rate: float = 0.0

    @property
    def complete(self) -> bool:
        return self.problem is None and self.shown_events == self.history_events > 0

    def report(self) -> str:
        if self.problem is not None and self.history_events == 0:
            return f"  not measured: {self.problem}"
        lines = [
            f"workflow: Map of {self.items} items (1 s Wait + Pass each), aiming at {self.target_rate} events/s",
            f"  history: {self.history_events} events over {self.history_span_s:.1f} s = {self.rate:.0f} events/s "
            f"(execution {self.status})",
            f"  view: {self.shown_events} events shown; "
            + ("every event, none dropped or doubled" if self.complete else f"MISMATCH ({self.problem or 'counts differ'})"),
        ]
        if self.middle_rate:
            lines.insert(2, f"  rate over the middle 80% of the events: {self.middle_rate:.0f} events/s; "
                            f"per second from the first event: {self.per_second}")
        if self.latencies_s:
            ordered = sorted(self.latencies_s)
            pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
            lines.append(f"  event written -> shown in the view: median {pick(0.5) * 1000:.0f} ms, p99 {pick(0.99) * 1000:.0f} ms, "
                         f"max {ordered[-1] * 1000:.0f} ms (sampled every 25 ms)")
        if self.caught_up_after_s is not None:
            lines.append(f"  view complete {self.caught_up_after_s:.2f} s after the last event was written")
        return "\n".join(lines)


def definition(concurrency: int) -> dict:
    return {
        "Comment": "browser bench: a steady stream of history events",
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": concurrency,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Pause",
                    "States": {"Pause": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
                               "Done": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        },
    }


def _api(page, method: str, path: str, body=None):  # type: ignore[no-untyped-def]
    token = next((c["value"] for c in page.context.cookies() if c["name"] == "csrftoken"), None)
    if token is None:
        token = page.request.get("/api/auth/csrf/").json()["csrf_token"]
    reply = page.request.fetch(path, method=method, data=None if body is None else json.dumps(body),
                               headers={"X-CSRFToken": token, "Content-Type": "application/json"})
    assert reply.ok, f"{method} {path}: {reply.status} {reply.text()}"
    return reply.json() if reply.body() else None


def _history_count(page, execution_id: int) -> tuple[int, list[float]]:  # type: ignore[no-untyped-def]
    events, after = [], 0
    while True:
        chunk = _api(page, "GET", f"/api/executions/{execution_id}/history/?after={after}&limit=1000")
        events += chunk["events"]
        if not chunk.get("next_after"):
            return len(events), [event["timestamp"] for event in events]
        after = chunk["next_after"]


SAMPLER = """() => {
  window.__benchSamples = [];
  const read = () => {
    const counter = document.querySelector('[data-testid=event-count]');
    const numbers = counter ? counter.textContent.match(/\\d+/g) : null;
    window.__benchSamples.push([Date.now() / 1000, numbers ? Number(numbers[numbers.length - 1]) : 0]);
  };
  read();
  window.__benchTimer = setInterval(read, 25);
}"""


def _shown(page) -> int:  # type: ignore[no-untyped-def]
    """The total of the view's event count ("N of M events"): its last number."""
    numbers = re.findall(r"\d+", page.locator("[data-testid=event-count]").first.inner_text())
    return int(numbers[-1]) if numbers else 0


def measure(browser, base_url: str, username: str, password: str, rate: int = 200, seconds: int = 10) -> Result:  # type: ignore[no-untyped-def]
    # An iteration takes a little over its 1 s Wait: 20% more iterations at a time keep the rate at or above `rate`.
    concurrency = max(1, math.ceil(rate * 1.2 / EVENTS_PER_ITERATION))
    items = concurrency * seconds
    result = Result(target_rate=rate, items=items)
    context = browser.new_context(base_url=base_url, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        token = page.request.get("/api/auth/csrf/").json()["csrf_token"]
        login = page.request.post("/api/auth/login/", data={"username": username, "password": password},
                                  headers={"X-CSRFToken": token})
        assert login.ok, login.text()
        template = _api(page, "POST", "/api/templates/",
                        {"name": f"bench-event-stream-{int(time.time())}", "definition": definition(concurrency)})
        page.goto("/")
        execution = _api(page, "POST", "/api/executions/",
                         {"workflow": template["id"], "input": {"items": list(range(items))}})
        page.goto(f"/#/executions/{execution['id']}")
        try:
            page.wait_for_selector("[data-testid=event-count]", timeout=15_000)
        except Exception:  # noqa: BLE001 - reported, not raised: this is a measurement
            result.problem = "no execution view with an event count ([data-testid=event-count]) in this build"
            return result
        page.evaluate(SAMPLER)

        deadline = time.monotonic() + seconds * 6 + 60
        status = "RUNNING"
        while status == "RUNNING" and time.monotonic() < deadline:
            page.wait_for_timeout(500)
            status = _api(page, "GET", f"/api/executions/{execution['id']}/")["status"]
        result.status = status
        total, timestamps = _history_count(page, execution["id"])
        result.history_events = total
        result.history_span_s = timestamps[-1] - timestamps[0] if timestamps else 0.0
        try:
            page.wait_for_function(
                "total => { const c = document.querySelector('[data-testid=event-count]');"
                " const n = c && c.textContent.match(/\\d+/g); return n && Number(n[n.length - 1]) >= total; }",
                arg=total, timeout=30_000, polling=50)
        except Exception:  # noqa: BLE001
            result.problem = "the view did not reach the history's event count within 30 s"
        page.wait_for_timeout(1000)  # anything doubled or late would show up now
        samples = page.evaluate("() => { clearInterval(window.__benchTimer); return window.__benchSamples; }")
        result.samples = [(float(at), int(shown)) for at, shown in samples]
        result.shown_events = _shown(page)
        if result.shown_events != result.history_events and result.problem is None:
            result.problem = f"view shows {result.shown_events}, history has {result.history_events}"
        written = sorted(timestamps)
        shown_at: list[float] = []  # when the view's count first covered event i
        for at, shown in result.samples:
            while len(shown_at) < min(shown, len(written)):
                shown_at.append(at)
        result.latencies_s = [max(0.0, seen - wrote) for seen, wrote in zip(shown_at, written)]
        if written:
            start = written[0]
            result.per_second = [0] * (int(written[-1] - start) + 1)
            for at in written:
                result.per_second[int(at - start)] += 1
            low, high = len(written) // 10, len(written) * 9 // 10
            if high > low and written[high] > written[low]:
                result.middle_rate = (high - low) / (written[high] - written[low])
            if len(shown_at) == len(written):
                result.caught_up_after_s = max(0.0, shown_at[-1] - written[-1])
        return result
    finally:
        context.close()

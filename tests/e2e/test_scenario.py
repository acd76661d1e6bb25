"""Issue 5's scenario, as a new user would go through it in the browser: sign in, build the
`sum` workflow by drag and drop, save it, run it with {"values": [1, 2, 3, 4, 5]} and watch
it live (15; each node turns green), a failing run (the failed node red with its error),
then the same in Chinese."""

from __future__ import annotations

import json
import re
import time

from playwright.sync_api import Page, expect

from tests.e2e.browser import build_sum_workflow, shoot, sign_in

# Records every data-status a canvas node shows, as it happens (the app routes by URL hash,
# so this document lives through save, run and the execution view).
STATUS_RECORDER = """() => {
  window.__statusLog = [];
  const note = (element) => {
    const id = element.getAttribute('data-testid');
    const status = element.getAttribute('data-status');
    if (id && status) window.__statusLog.push([id, status]);
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === 'attributes') note(change.target);
      for (const added of change.addedNodes || []) {
        if (added.nodeType !== 1) continue;
        if (added.hasAttribute('data-status')) note(added);
        added.querySelectorAll('[data-status][data-testid^="node-"]').forEach(note);
      }
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-status']});
}"""


def _fill_code(page: Page, editor, text: str) -> None:  # type: ignore[no-untyped-def]
    editor.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(text)


def _run(page: Page, payload: object) -> int:
    """Run dialog -> the execution view of the new execution; returns its id."""
    page.get_by_test_id("run").click()
    dialog = page.get_by_test_id("run-dialog")
    expect(dialog).to_be_visible()
    _fill_code(page, dialog.get_by_test_id("run-input"), json.dumps(payload))
    page.get_by_test_id("run-start").click()
    expect(page).to_have_url(re.compile(r"#/executions/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def test_a_newcomer_builds_saves_and_runs_sum(page: Page, e2e_server) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, e2e_server.username, e2e_server.password)
    build_sum_workflow(page)

    # Save as a new workflow (the run role offered by default lets Tasks call the sum function).
    name = f"sum-e2e-{int(time.time())}"
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("save-dialog")).to_be_visible()
    page.get_by_test_id("save-name").fill(name)
    page.get_by_test_id("save-confirm").click()
    expect(page).to_have_url(re.compile(r"#/editor/\d+$"))
    workflow_url = page.url
    expect(page.get_by_test_id("workflow-name")).to_have_text(name)
    shoot(page, "scenario-saved")

    # Run it and watch: the output is 15 and each node turns green while the page is open.
    page.evaluate(STATUS_RECORDER)
    execution_id = _run(page, {"values": [1, 2, 3, 4, 5]})
    expect(page.get_by_test_id("execution-status")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("execution-output")).to_have_text(re.compile(r"^\s*15\s*$"))
    for state in ("Start", "Sum"):
        node = page.locator(".exec-graph").get_by_test_id(f"node-{state}")
        expect(node).to_have_attribute("data-status", "succeeded")
        expect(node).to_have_class(re.compile(r"\bstatus-succeeded\b"))
    # Green: the succeeded mark is drawn in a green (g dominant) colour.
    colour = page.locator(".exec-graph [data-testid=node-Sum] .status-mark").evaluate(
        "el => getComputedStyle(el).color + ' ' + getComputedStyle(el).backgroundColor")
    assert _has_green(colour), colour
    log = page.evaluate("window.__statusLog")
    for state in ("Start", "Sum"):
        seen = [status for node_id, status in log if node_id == f"node-{state}"]
        assert seen and seen[-1] == "succeeded", (state, log)
    # Every event of the history is in the view's table.
    history = page.request.get(f"/api/executions/{execution_id}/history/?limit=1000").json()["events"]
    expect(page.get_by_test_id("event-count")).to_have_text(re.compile(rf"\b{len(history)}\D*$"))
    shoot(page, "scenario-run-succeeded")

    # A failing run: the sum function gets a value it cannot add; Sum is red, with its error.
    page.goto(workflow_url)
    expect(page.get_by_test_id("workflow-name")).to_have_text(name)
    failed_id = _run(page, {"values": [1, "two"]})
    expect(page.get_by_test_id("execution-status")).to_have_attribute("data-status", "failed")
    failed = page.locator(".exec-graph").get_by_test_id("node-Sum")
    expect(failed).to_have_attribute("data-status", "failed")
    expect(page.locator(".exec-graph").get_by_test_id("node-Start")).to_have_attribute("data-status", "succeeded")
    colour = failed.locator(".status-mark").evaluate("el => getComputedStyle(el).color + ' ' + getComputedStyle(el).backgroundColor")
    assert _has_red(colour), colour
    expect(page.get_by_test_id("execution-error")).to_contain_text("TypeError")
    failed.click()
    expect(page.get_by_test_id("node-details")).to_have_attribute("data-state", "Sum")
    expect(page.get_by_test_id("node-error")).to_contain_text("TypeError")
    shoot(page, "scenario-run-failed")

    # Both runs are in the Executions list with their status.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Executions", exact=True).click()
    expect(page.get_by_test_id(f"execution-row-{execution_id}")).to_have_attribute("data-status", "SUCCEEDED")
    expect(page.get_by_test_id(f"execution-row-{failed_id}")).to_have_attribute("data-status", "FAILED")
    page.get_by_test_id(f"execution-row-{failed_id}").get_by_role("link").first.click()
    expect(page.get_by_test_id("execution-status")).to_have_attribute("data-status", "failed")
    page.locator(".exec-graph").get_by_test_id("node-Sum").click()
    expect(page.get_by_test_id("node-error")).to_contain_text("TypeError")

    # The same view in Chinese.
    page.get_by_label("Language").select_option("zh")
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="执行", exact=True)).to_be_visible()
    expect(page.get_by_test_id("execution-status")).to_have_text(re.compile("失败"))
    expect(page.get_by_test_id("node-error")).to_contain_text("TypeError")
    shoot(page, "zh-scenario-run-failed")


def test_the_execution_view_follows_a_run_live(signed_in: Page) -> None:
    """The seeded `wait` workflow (Wait $.delay seconds, then Sum), opened from the Workflows
    page and run: while it waits, the view shows Pause running and Sum not run yet; then,
    without a reload, both turn green and the output is 15."""
    page = signed_in
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Workflows", exact=True).click()
    page.get_by_test_id("workflow-row-wait").get_by_role("link", name="wait", exact=True).click()
    expect(page.get_by_test_id("workflow-name")).to_have_text("wait")
    page.evaluate("window.__sameDocument = true")
    _run(page, {"delay": 2, "values": [1, 2, 3, 4, 5]})

    graph = page.locator(".exec-graph")
    expect(graph.get_by_test_id("node-Pause")).to_have_attribute("data-status", "running")
    expect(graph.get_by_test_id("node-Sum")).to_have_attribute("data-status", "notRun")
    expect(page.get_by_test_id("execution-status")).to_have_attribute("data-status", "running")
    expect(page.get_by_test_id("live-mode")).to_have_attribute("data-mode", "live")
    shoot(page, "live-waiting")

    expect(graph.get_by_test_id("node-Pause")).to_have_attribute("data-status", "succeeded")
    expect(graph.get_by_test_id("node-Sum")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("execution-status")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("execution-output")).to_have_text(re.compile(r"^\s*15\s*$"))
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    shoot(page, "live-succeeded")


def _rgb(text: str) -> list[tuple[int, int, int]]:
    return [tuple(int(v) for v in m[:3]) for m in re.findall(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", text)
            if len(m) < 4 or m[3] in ("", "1") or float(m[3] or 1) > 0]  # type: ignore[misc]


def _has_green(text: str) -> bool:
    return any(g > r + 40 and g > b for r, g, b in _rgb(text))


def _has_red(text: str) -> bool:
    return any(r > g + 60 and r > b + 40 for r, g, b in _rgb(text))


def test_the_execution_view_catches_up_after_a_dropped_connection(page: Page, e2e_server) -> None:  # type: ignore[no-untyped-def]
    """The live socket is cut while the `wait` workflow waits: the view falls back, reconnects
    after the last event it has, and ends with every history event exactly once."""
    sockets: list[str] = []

    def route(ws) -> None:  # type: ignore[no-untyped-def]
        sockets.append(ws.url)
        server = ws.connect_to_server()
        first_execution_socket = re.search(r"/ws/executions/\d+/", ws.url) is not None and sum(
            re.search(r"/ws/executions/\d+/", url) is not None for url in sockets) == 1

        def from_server(message) -> None:  # type: ignore[no-untyped-def]
            ws.send(message)
            if first_execution_socket and "WaitStateEntered" in str(message):
                ws.close(code=4000, reason="e2e: connection dropped")

        ws.on_message(lambda message: server.send(message))
        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/ws/"), route)
    sign_in(page, e2e_server.username, e2e_server.password)
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Workflows", exact=True).click()
    page.get_by_test_id("workflow-row-wait").get_by_role("link", name="wait", exact=True).click()
    expect(page.get_by_test_id("workflow-name")).to_have_text("wait")
    execution_id = _run(page, {"delay": 3, "values": [1, 2, 3, 4, 5]})

    graph = page.locator(".exec-graph")
    expect(graph.get_by_test_id("node-Pause")).to_have_attribute("data-status", "running")
    expect(page.get_by_test_id("execution-status")).to_have_attribute("data-status", "succeeded")
    expect(graph.get_by_test_id("node-Sum")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("execution-output")).to_have_text(re.compile(r"^\s*15\s*$"))
    history = page.request.get(f"/api/executions/{execution_id}/history/?limit=1000").json()["events"]
    expect(page.get_by_test_id("event-count")).to_have_text(re.compile(rf"^{len(history)} of {len(history)} events$"))
    expect(page.locator("[data-testid=event-table] tbody tr")).to_have_count(len(history))
    # It reconnected, resuming after the events it already had.
    resumed = [url for url in sockets if re.search(rf"/ws/executions/{execution_id}/\?after=[1-9]", url)]
    assert resumed, sockets

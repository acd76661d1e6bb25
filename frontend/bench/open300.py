"""Times the editor in a real browser on the 300-state bench definition (not a test).

For each run (a fresh page): import the definition -> workflow shown, laid out and painted
("open"); then a 10-step mouse drag of a node until the move is committed and painted
("drag"). The issue's bar: open, lay out and respond to a drag in under 1.5 s.

Usually run by `make bench-browser` (frontend/bench/browser_bench.py, against the real
server). Standalone, against any server of the built UI, from the repository root:

    npx tsx frontend/bench/gen300.ts > /tmp/def300.json
    npm run -s preview --workspace frontend &          # or make run (then pass its URL)
    .venv/bin/python frontend/bench/open300.py /tmp/def300.json [BASE_URL [RUNS [USER PASSWORD]]]
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PREVIEW_URL = "http://127.0.0.1:4173"

UNDO_ENABLED = "!document.querySelector('.toolbar button[aria-keyshortcuts=\"Control+Z\"]').disabled"
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


@dataclass(frozen=True)
class OpenRun:
    opened_s: float
    dragged_s: float

    @property
    def total_s(self) -> float:
        return self.opened_s + self.dragged_s


def measure(browser, base_url: str, definition: str, runs: int = 5,  # type: ignore[no-untyped-def]
            credentials: tuple[str, str] | None = None) -> list[OpenRun]:
    """`runs` fresh pages, after one warm-up page (not counted); signed in first when the
    server asks for it (`credentials`: username, password)."""
    results = []
    for run in range(runs + 1):
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        try:
            if credentials is not None:
                sign_in(page, base_url, *credentials)
            results.append(_one(page, base_url, definition))
        finally:
            context.close()
    return results[1:]


def sign_in(page, base_url: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Through the REST login (the session cookie is the context's)."""
    base = base_url.rstrip("/")
    token = page.request.get(base + "/api/auth/csrf/").json()["csrf_token"]
    reply = page.request.post(base + "/api/auth/login/", data={"username": username, "password": password},
                              headers={"X-CSRFToken": token})
    assert reply.ok, f"login failed: {reply.status} {reply.text()}"


def _one(page, base_url: str, definition: str) -> OpenRun:  # type: ignore[no-untyped-def]
    app = "/static/app/" if base_url.rstrip("/").endswith(":4173") else "/"
    page.goto(base_url.rstrip("/") + app + "#/editor")
    page.wait_for_selector(".canvas[data-layout=ready] .react-flow__node")
    start = time.perf_counter()
    page.set_input_files("[data-testid=import-input]", definition)
    page.wait_for_function("document.querySelector('.toolbar-status')?.textContent.startsWith('300 ')", polling=16)
    page.wait_for_selector(".canvas[data-layout=ready]")
    page.wait_for_selector("[data-testid='node-Route 0']")
    page.evaluate(TWO_FRAMES)
    opened = time.perf_counter() - start

    box = page.locator("[data-testid='node-Route 0']").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    start = time.perf_counter()
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + step * 6, y + step * 3)
    page.mouse.up()
    page.wait_for_function(UNDO_ENABLED, polling=16)
    page.evaluate(TWO_FRAMES)
    dragged = time.perf_counter() - start
    return OpenRun(opened, dragged)


def report(results: list[OpenRun], bar_s: float = 1.5) -> str:
    def stats(values: list[float]) -> str:
        return f"median {statistics.median(values):.2f} s  min {min(values):.2f} s  max {max(values):.2f} s"

    lines = [
        f"300-state definition (nested Parallel and Map), {len(results)} runs, fresh page each:",
        f"  open (import -> laid out, painted)  {stats([r.opened_s for r in results])}",
        f"  10-step drag -> committed, painted  {stats([r.dragged_s for r in results])}",
        f"  open + drag                         {stats([r.total_s for r in results])}",
    ]
    def under(values: list[float]) -> str:
        return f"{sum(v < bar_s for v in values)}/{len(values)} runs"

    lines.append(f"  under the {bar_s} s bar: open {under([r.opened_s for r in results])}, "
                 f"drag {under([r.dragged_s for r in results])}, open + drag {under([r.total_s for r in results])}")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    definition = argv[0]
    base_url = argv[1] if len(argv) > 1 else PREVIEW_URL
    runs = int(argv[2]) if len(argv) > 2 else 5
    credentials = (argv[3], argv[4]) if len(argv) > 4 else None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            print(report(measure(browser, base_url, definition, runs, credentials)))
        finally:
            browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])

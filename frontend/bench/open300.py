"""Times the editor in a real browser on the 300-state bench definition (not a test).

Needs: the build served by `npm run -s preview --workspace frontend` (port 4173),
Debian's chromium, and the `playwright` Python package (its own browser download is not
used). Run from the repository root:

    npx tsx frontend/bench/gen300.ts > /tmp/def300.json
    python frontend/bench/open300.py /tmp/def300.json

Prints, per run (a fresh page each): import -> workflow shown, laid out and painted;
then the time for a 10-step drag of a node until the move is committed (Undo enabled).
"""

import sys
import time

from playwright.sync_api import sync_playwright

URL = "http://127.0.0.1:4173/static/app/#/editor"
UNDO_ENABLED = "!document.querySelector('.toolbar button[aria-keyshortcuts=\"Control+Z\"]').disabled"


def main(definition: str, runs: int = 3) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for run in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(URL)
            page.wait_for_selector(".canvas[data-layout=ready]")
            start = time.perf_counter()
            page.set_input_files("[data-testid=import-input]", definition)
            page.wait_for_function("document.querySelector('.toolbar-status').textContent.startsWith('300 ')", polling=16)
            page.wait_for_selector(".canvas[data-layout=ready]")
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
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
            dragged = time.perf_counter() - start
            print(f"run {run}: open + layout + paint {opened:.2f} s; 10-step drag committed {dragged:.2f} s")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1])

"""End-to-end fixtures: the real server (`make run`), Debian's Chromium driven by Playwright.

One server and one browser per session; a fresh browser context (cookies, localStorage)
per test. Screenshots go to ``test-artifacts/screenshots/`` (git-ignored), named after
the test; a failing test leaves one of the page as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.browser import ARTIFACTS, shoot, shots_taken, sign_in
from tests.web.live_server import RunningServer, clean_environment, make_run

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 900}
# Auto-waiting expectations get this long: generous for a loaded 2-core CI machine.
EXPECT_TIMEOUT_MS = 15_000

USERNAME = "e2e-newcomer"
PASSWORD = "e2e-pass-7391"

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class E2EServer:
    base_url: str
    http: RunningServer
    username: str
    password: str
    data_dir: Path


def _manage(data_dir: Path, *args: str) -> str:
    environ = clean_environment({"DATA_DIR": str(data_dir)})
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=environ,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2EServer]:
    """`make run` on a free port with a fresh database, and a new (non-staff) user who owns
    a copy of the demo data (the `sum` function, run roles, examples)."""
    if not (REPO_ROOT / "frontend" / "dist" / "index.html").is_file():
        # make run builds it when npm exists; without npm there is nothing to test in a browser.
        assert _have_npm(), "no frontend/dist and no npm to build it: the browser tests need the web UI"
    base = tmp_path_factory.mktemp("e2e")
    data_dir = base / "data"
    log_file = base / "server.log"
    with make_run(REPO_ROOT, log_file, {"DATA_DIR": str(data_dir)}) as http:
        _manage(data_dir, "shell", "-c",
                "from django.contrib.auth import get_user_model as m; "
                f"m().objects.create_user({USERNAME!r}, password={PASSWORD!r})")
        _manage(data_dir, "seed_demo", "--owner", USERNAME)
        yield E2EServer(http.base_url, http, USERNAME, PASSWORD, data_dir)


def _have_npm() -> bool:
    return subprocess.run(["sh", "-c", "command -v npm"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)"
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, e2e_server: E2EServer, request: pytest.FixtureRequest) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh context (no cookies, no stored language/theme/draft) on the server; page errors fail the test."""
    context = browser.new_context(base_url=e2e_server.base_url, viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        shoot(page, f"FAILED-{request.node.name}")
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if shots_taken():
        terminalreporter.write_sep("-", "end-to-end screenshots")
        terminalreporter.write_line(f"{len(shots_taken())} screenshots in {ARTIFACTS}")


@pytest.fixture
def signed_in(page, e2e_server: E2EServer):  # type: ignore[no-untyped-def]
    """The page, signed in as the new user through the sign-in form."""
    sign_in(page, e2e_server.username, e2e_server.password)
    return page

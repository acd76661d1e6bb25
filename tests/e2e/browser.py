"""Helpers the end-to-end tests share: screenshots as artifacts, signing in."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "screenshots"

_shots: list[Path] = []


def shoot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Saves a screenshot of the viewport as test-artifacts/screenshots/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    _shots.append(path)
    return path


def shots_taken() -> list[Path]:
    return list(_shots)


def sign_in(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Signs in through the app's sign-in form, as a person would (the form shows at / when
    nobody is signed in)."""
    from playwright.sync_api import expect

    page.goto("/")
    form = page.get_by_test_id("login-form")
    expect(form).to_be_visible()
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    expect(form).to_have_count(0)
    expect(page.get_by_test_id("current-user")).to_have_text(username)


SUM_RESOURCE = "qrn:qcs:asw:ap-guangzhou:1250000000:sdk:json:qcloud:scf:Invoke/sum"


def code_editor(page):  # type: ignore[no-untyped-def]
    """The TCSL code pane's CodeMirror content."""
    return page.locator(".code-pane .cm-content")


def replace_code(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Replaces the code pane's text as a paste would (no auto-closed brackets)."""
    editor = code_editor(page)
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(text)


def drag_from_palette(page, item_id: str, target) -> None:  # type: ignore[no-untyped-def]
    """Drags palette item `item_id` with the mouse and drops it on `target` (a locator, or a
    function page -> locator for targets that only appear once the drag has started)."""
    source = page.get_by_test_id(f"palette-{item_id}")
    source.hover()
    page.mouse.down()
    box = source.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2 + 20, box["y"] + box["height"] / 2, steps=4)
    drop = target(page) if callable(target) else target
    drop.hover()
    page.mouse.up()


def build_sum_workflow(page) -> None:  # type: ignore[no-untyped-def]
    """From a blank workflow, as a newcomer would: drag the Function preset onto the
    transition after Start, name it Sum and point it at the `sum` function."""
    from playwright.sync_api import expect

    page.goto("/#/editor")
    expect(page.locator(".canvas[data-layout=ready] .react-flow__node").first).to_be_visible()
    page.get_by_role("toolbar").get_by_role("button", name="New", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Blank").click()
    expect(page.get_by_test_id("node-Start")).to_be_visible()
    expect(page.locator(".toolbar-status")).to_have_text("1 states · 0 errors")

    drag_from_palette(page, "task.function", lambda p: p.get_by_test_id("drop-/States/Start#end"))
    expect(page.get_by_test_id("node-Invoke")).to_be_visible()
    expect(page.locator(".toolbar-status")).to_contain_text("2 states")

    page.get_by_test_id("node-Invoke").click()
    form = page.locator(".inspector-form")
    name = form.get_by_label("Name", exact=True)
    name.fill("Sum")
    name.press("Enter")
    expect(page.get_by_test_id("node-Sum")).to_be_visible()
    resource = page.locator(".inspector-form").get_by_label("Resource", exact=True)
    resource.fill(SUM_RESOURCE)
    resource.press("Enter")
    expect(page.get_by_test_id("node-Sum")).to_contain_text("sum")
    expect(page.locator(".toolbar-status")).to_have_text("2 states · 0 errors")

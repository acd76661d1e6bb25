"""The editor in a real browser: the `sum` workflow built by drag and drop, the code view and
the canvas following each other."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.e2e.browser import SUM_RESOURCE, build_sum_workflow, code_editor, drag_from_palette, replace_code, shoot


def test_build_the_sum_workflow_by_drag_and_drop(signed_in: Page) -> None:
    page = signed_in
    build_sum_workflow(page)
    code = code_editor(page)
    expect(code).to_contain_text('"StartAt": "Start"')
    expect(code).to_contain_text('"Next": "Sum"')
    expect(code).to_contain_text(f'"Resource": "{SUM_RESOURCE}"')
    expect(page.locator(".code-pane [role=status]")).to_have_text("Valid")
    shoot(page, "editor-sum-built")

    # Dropped on the empty canvas: a state of its own, where it was dropped; Delete removes it.
    pane = page.locator(".canvas .react-flow__pane")
    drag_from_palette(page, "Pass", pane)
    expect(page.get_by_test_id("node-Pass")).to_be_visible()
    expect(page.locator(".toolbar-status")).to_contain_text("3 states")
    page.get_by_test_id("node-Pass").click()
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("node-Pass")).to_have_count(0)
    expect(page.locator(".toolbar-status")).to_contain_text("2 states")


def test_the_canvas_follows_the_code_view(signed_in: Page) -> None:
    page = signed_in
    page.goto("/#/editor/example/sum")
    expect(page.get_by_test_id("node-sum")).to_be_visible()

    definition = {
        "Comment": "Edited as code",
        "StartAt": "Check",
        "States": {
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Positive"}],
                      "Default": "NotPositive"},
            "Positive": {"Type": "Pass", "Result": "yes", "End": True},
            "NotPositive": {"Type": "Fail", "Error": "NotPositive", "Cause": "n <= 0"},
        },
    }
    replace_code(page, json.dumps(definition, indent=2))
    for name in ("Check", "Positive", "NotPositive"):
        expect(page.get_by_test_id(f"node-{name}")).to_be_visible()
    expect(page.get_by_test_id("node-sum")).to_have_count(0)
    expect(page.locator(".toolbar-status")).to_have_text("3 states · 0 errors")
    expect(page.locator(".react-flow__edge-label, .edge-label").filter(has_text="Default")).to_be_visible()

    # An edit that breaks the JSON is marked in place; the canvas keeps the last valid version.
    replace_code(page, json.dumps(definition, indent=2).replace('"Positive": {', '"Positive": {{', 1))
    expect(page.locator(".code-pane [role=status]")).to_have_text(re.compile("Invalid JSON"))
    expect(page.locator(".code-pane .cm-lintRange-error").first).to_be_visible()
    expect(page.get_by_test_id("node-Positive")).to_be_visible()
    shoot(page, "editor-invalid-code")

    # Fixing it (renaming a state in the code) shows the rename on the canvas.
    replace_code(page, json.dumps(definition, indent=2).replace('"Positive"', '"IsPositive"'))
    expect(page.locator(".code-pane [role=status]")).to_have_text("Valid")
    expect(page.get_by_test_id("node-IsPositive")).to_be_visible()
    expect(page.get_by_test_id("node-Positive")).to_have_count(0)

    # And the other way: an inspector edit is in the code at once.
    page.get_by_test_id("node-IsPositive").click()
    result = page.locator(".inspector-form").get_by_label("Name", exact=True)
    result.fill("Yes")
    result.press("Enter")
    expect(code_editor(page)).to_contain_text('"Yes": {')
    expect(code_editor(page)).to_contain_text('"Next": "Yes"')

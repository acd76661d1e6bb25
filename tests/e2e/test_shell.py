"""The app shell in a real browser: it loads, every main page opens, 中文 and the themes switch."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.browser import shoot, sign_in


def _main_pages(page: Page) -> list[tuple[str, str]]:
    """(route id, link text) of each link in the main navigation."""
    links = page.get_by_role("navigation", name=re.compile("Main navigation|主导航")).get_by_role("link")
    expect(links.first).to_be_visible()
    return [(link.get_attribute("href").removeprefix("#/"), link.inner_text().strip()) for link in links.all()]


def _open(page: Page, route: str, label: str) -> None:
    page.get_by_role("navigation", name=re.compile("Main navigation|主导航")).get_by_role("link", name=label, exact=True).click()
    expect(page).to_have_url(re.compile(rf"#/{re.escape(route)}$"))
    expect(page.locator(f'a[href="#/{route}"][aria-current="page"]')).to_be_visible()
    # A page still loading its data says so; wait for that to end before taking its picture.
    expect(page.locator("main [aria-busy=true]")).to_have_count(0)
    if route == "editor":  # laid out and drawn
        expect(page.locator(".canvas[data-layout=ready] .react-flow__node").first).to_be_visible()


def test_open_the_app_and_switch_to_chinese(page: Page, e2e_server) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    shoot(page, "en-sign-in")
    sign_in(page, e2e_server.username, e2e_server.password)
    expect(page.locator("header.app-header")).to_contain_text("Orchestrator")
    nav = page.get_by_role("navigation", name="Main navigation")
    for label in ("Workflows", "Editor", "Executions", "Functions"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()

    pages = _main_pages(page)
    assert len(pages) >= 6, pages
    for route, label in pages:
        _open(page, route, label)
        shoot(page, f"en-{route}")

    page.get_by_label("Language").select_option("zh")  # 简体中文
    nav = page.get_by_role("navigation", name="主导航")
    for label in ("工作流", "编辑器", "执行", "函数"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^zh"))
    for route, label in _main_pages(page):
        _open(page, route, label)
        shoot(page, f"zh-{route}")

    # The choice is remembered across a reload.
    page.reload()
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作流", exact=True)).to_be_visible()


def test_dark_and_light_themes(signed_in: Page) -> None:
    page = signed_in
    page.goto("/#/editor")
    expect(page.locator(".canvas[data-layout=ready] .react-flow__node").first).to_be_visible()
    toggle = page.locator("header .app-switches button[aria-pressed]")
    html = page.locator("html")
    before = html.get_attribute("data-theme")
    assert before in ("light", "dark"), before
    after = "dark" if before == "light" else "light"
    background = page.evaluate("getComputedStyle(document.querySelector('header.app-header')).backgroundColor")
    toggle.click()
    expect(html).to_have_attribute("data-theme", after)
    expect(toggle).to_have_attribute("aria-pressed", "true" if after == "dark" else "false")
    assert page.evaluate("getComputedStyle(document.querySelector('header.app-header')).backgroundColor") != background
    shoot(page, f"theme-{after}-editor")
    page.reload()  # remembered
    expect(html).to_have_attribute("data-theme", after)
    page.locator("header .app-switches button[aria-pressed]").click()
    expect(html).to_have_attribute("data-theme", before)

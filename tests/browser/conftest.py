"""Headless Chromium (Debian's, never a downloaded browser) driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.deadlines import DEADLINE

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("KANWU_TEST_ARTIFACTS", "test-artifacts"))
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# expect()'s waits too: a loaded machine may take longer than Playwright's 5 s default.
expect.set_options(timeout=DEADLINE * 1000)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run 'make browser-deps' or 'apt-get install chromium'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


def open_page(browser: Browser, request: pytest.FixtureRequest, **context: Any) -> Iterator[Page]:
    """A fresh page; on failure its screenshot goes to test-artifacts/<test name>.png."""
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    page.set_default_timeout(DEADLINE * 1000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    ctx.close()


@pytest.fixture
def desktop(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from open_page(browser, request, viewport={"width": 1366, "height": 800})


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from open_page(
        browser,
        request,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


# Collects violations in the page itself (Playwright's init scripts are not subject to CSP).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched(browser: Browser, request: pytest.FixtureRequest) -> Iterator[tuple[Page, list[str]]]:
    """A page and the CSP complaints Chromium logged on its console."""
    for page in open_page(browser, request, viewport={"width": 1366, "height": 900}):
        console: list[str] = []

        def note(message: Any, console: list[str] = console) -> None:
            if "Content Security Policy" in message.text or "Refused to" in message.text:
                console.append(message.text)

        page.on("console", note)
        page.add_init_script(LISTEN)
        yield page, console


def violations(page: Page, console: list[str]) -> list[str]:
    return [*page.evaluate("window.__cspViolations || []"), *console]


@pytest.fixture
def signed_in(
    watched: tuple[Page, list[str]], django_user_model: type[User], live_server: Any, home: Any
) -> tuple[Page, list[str]]:
    """`watched`, signed in as a superuser to the admin of a site with its home page."""
    django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    page = watched[0]
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill("pw-123456")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    return watched

"""A WordPress import's run page in Chromium: it follows the worker by itself, without a
reload, and stops asking once the import has ended; under the admin's CSP, with no violation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from kanwu.importer.models import WordPressImport
from tests.browser.conftest import open_page
from tests.browser.test_admin_security import LISTEN, violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def admin(
    browser: Browser,
    request: pytest.FixtureRequest,
    django_user_model: type[User],
    live_server: Any,
) -> Iterator[tuple[Page, list[str]]]:
    django_user_model.objects.create_superuser("admin", "a@example.cn", "pw-123456")
    for page in open_page(browser, request, viewport={"width": 1366, "height": 900}):
        console: list[str] = []

        def note(message: Any, console: list[str] = console) -> None:
            if "Content Security Policy" in message.text or "Refused to" in message.text:
                console.append(message.text)

        page.on("console", note)
        page.add_init_script(LISTEN)
        page.goto(live_server.url + "/admin/login/")
        page.locator("#id_username").fill("admin")
        page.locator("#id_password").fill("pw-123456")
        page.locator("button[type=submit]").click()
        page.wait_for_url("**/admin/")
        yield page, console


def test_the_run_page_follows_the_import_to_its_end(
    live_server: Any, admin: tuple[Page, list[str]]
) -> None:
    page, console = admin
    run = WordPressImport.objects.create(
        filename="site.xml", path="", status=WordPressImport.Status.RUNNING, total=10, done=4
    )
    page.goto(f"{live_server.url}/admin/importer/wordpress/{run.pk}/")
    box = page.locator(".importer-run")
    expect(box).to_contain_text("已完成 4 / 共 10 条")
    page.evaluate("window.__notReloaded = true")

    WordPressImport.objects.filter(pk=run.pk).update(
        done=7, failed=1, errors=["[文章] #7：保存失败"]
    )
    expect(box).to_contain_text("已完成 7 / 共 10 条")
    expect(box.locator(".importer-errors li")).to_have_text(["[文章] #7：保存失败"])
    expect(box.locator("progress")).to_have_attribute("value", "7")

    WordPressImport.objects.filter(pk=run.pk).update(
        done=10,
        status=WordPressImport.Status.DONE,
        report="WordPress 导入完成：共 10 项，用时 3.0 秒。",
        finished_at=timezone.now(),
    )
    expect(box).to_contain_text("状态：已完成")
    expect(box.locator(".importer-report")).to_contain_text("WordPress 导入完成：共 10 项")
    expect(box).not_to_have_attribute(
        "data-import-progress", f"/admin/importer/wordpress/{run.pk}/progress/"
    )
    assert page.evaluate("window.__notReloaded") is True  # the same page, updated in place
    assert violations(page, console) == []

"""A WordPress import's run page in Chromium: it follows the worker by itself, without a
reload, and stops asking once the import has ended; under the admin's CSP, with no violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kanwu.importer.models import WordPressImport
from tests.browser.conftest import violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_the_run_page_follows_the_import_to_its_end(
    live_server: Any, signed_in: tuple[Page, list[str]]
) -> None:
    page, console = signed_in
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

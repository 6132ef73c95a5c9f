"""The Content-Security-Policy in a real browser: Wagtail's admin works under the admin policy
(sign in, page explorer, an edit form with its rich-text editor and live preview, two-factor
enrolment), and reader pages under the strict one, with no policy violation anywhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.browser.conftest import violations
from tests.deadlines import DEADLINE
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def article(news: ColumnPage, site_settings: SiteSettings) -> ArticlePage:
    return ArticleFactory(parent=news, title="策略下的文章", tags=["统战"])


def test_the_admin_works_under_its_policy(
    live_server: Any,
    watched: tuple[Page, list[str]],
    article: ArticlePage,
    django_user_model: type[User],
) -> None:
    page, console = watched
    django_user_model.objects.create_superuser("editor", "e@example.cn", "Kanwu-浏览器-2026")
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill("Kanwu-浏览器-2026")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    expect(page.locator("#main")).to_be_visible()
    assert violations(page, console) == []

    # The page explorer: the column and its article listed; the menu opens (script runs).
    page.goto(f"{live_server.url}/admin/pages/{article.get_parent().pk}/")
    expect(page.locator("main")).to_contain_text("策略下的文章")
    assert violations(page, console) == []

    # The edit form: the rich-text editor (Draftail) is drawn and typing works.
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    editor = page.locator(".Draftail-Editor").first
    expect(editor).to_be_visible()
    editor.locator("[contenteditable=true]").first.click()
    page.keyboard.type("在编辑器里输入")
    expect(editor).to_contain_text("在编辑器里输入")
    # The live preview shows the page in a frame of the admin.
    page.locator("[data-side-panel-toggle='preview']").click()
    # Wagtail loads the preview in a second frame, then gives it the first one's id.
    loaded = page.locator("iframe#w-preview-iframe[src*='/edit/preview/']")
    expect(loaded).to_have_count(1, timeout=DEADLINE * 1000)
    expect(loaded.content_frame.locator("h1")).to_contain_text("策略下的文章")
    assert violations(page, console) == []

    # Two-factor enrolment: the QR code is a data: image the admin policy allows.
    page.goto(live_server.url + "/admin/2fa/setup/")
    qr = page.locator("img.kanwu-2fa-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert violations(page, console) == []


def test_reader_pages_work_under_the_strict_policy(
    live_server: Any, watched: tuple[Page, list[str]], article: ArticlePage
) -> None:
    page, console = watched
    for url in ["/", article.url, "/tag/统战/", "/search/?q=文章", "/submit/", "/no-such-page/"]:
        page.goto(live_server.url + url)
        expect(page.locator("body")).to_be_visible()
    page.goto(live_server.url + article.url)
    # site.js and comments.js ran: the view count and the comment form's tokens arrived.
    expect(page.locator("#commentform")).to_have_attribute("data-ready", "1")
    expect(page.locator(f"[data-views-for='{article.pk}']")).not_to_have_text("--")
    assert violations(page, console) == []

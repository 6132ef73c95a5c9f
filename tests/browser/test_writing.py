"""写文章 in Chromium: from the dashboard to a published article with a new cover in five
clicks after typing (WordPress needs about as many), under the admin's CSP."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, Route, expect

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.browser.conftest import open_page
from tests.deadlines import DEADLINE
from tests.factories import ColumnFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_article_with_a_new_cover_is_published_in_five_clicks(
    browser: Browser,
    request: pytest.FixtureRequest,
    live_server: Any,
    django_user_model: type[User],
    news: ColumnPage,
    site_settings: SiteSettings,
) -> None:
    ColumnFactory(parent=news, title="本地新闻", slug="local")
    django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    cover = io.BytesIO()
    Image.new("RGB", (800, 450), "#c62828").save(cover, "JPEG")
    for page in open_page(browser, request, viewport={"width": 1366, "height": 900}):
        page.goto(live_server.url + "/admin/login/")
        page.locator("#id_username").fill("editor")
        page.locator("#id_password").fill("pw-123456")
        page.locator("button[type=submit]").click()
        page.wait_for_url("**/admin/")

        clicks = 0
        page.locator(".kanwu-write-panel a").click()  # 写文章 on the dashboard
        clicks += 1
        page.locator("#kanwu-column-filter").fill("本地")  # typing narrows the tree
        expect(page.locator("#id_column option:checked")).to_have_text("　本地新闻")
        page.get_by_role("button", name="开始写作").click()
        clicks += 1
        page.locator("#id_title").fill("五次点击发布的文章")
        page.locator("[data-contentpath=body] .public-DraftEditor-content").click()
        page.keyboard.type("这是正文第一段。")
        expect(page.locator("#id_body")).to_have_value(re.compile("这是正文第一段"))
        page.locator("#id_cover_upload").set_input_files(
            files=[{"name": "封面.jpg", "mimeType": "image/jpeg", "buffer": cover.getvalue()}]
        )
        clicks += 1  # the file dialog
        page.locator("footer button[name=action-publish]").click()
        clicks += 1
        expect(page.locator(".messages")).to_contain_text("已创建并发布")
        assert clicks <= 5

        article = ArticlePage.objects.get(title="五次点击发布的文章")
        assert article.live
        assert article.get_parent().title == "本地新闻"
        assert article.cover is not None and article.cover.width == 800
        assert "这是正文第一段。" in article.body


def test_an_article_is_scheduled_in_three_clicks_with_the_picker_out_of_the_way(
    browser: Browser,
    request: pytest.FixtureRequest,
    live_server: Any,
    django_user_model: type[User],
    news: ColumnPage,
    site_settings: SiteSettings,
) -> None:
    django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    later = timezone.localtime() + dt.timedelta(days=1)
    for page in open_page(browser, request, viewport={"width": 1366, "height": 768}):
        page.goto(live_server.url + "/admin/login/")
        page.locator("#id_username").fill("editor")
        page.locator("#id_password").fill("pw-123456")
        page.locator("button[type=submit]").click()
        page.wait_for_url("**/admin/")

        clicks = 0
        page.locator(".kanwu-write-panel a").click()
        clicks += 1
        page.get_by_role("button", name="开始写作").click()  # the only column, chosen already
        clicks += 1
        page.locator("#id_title").fill("明天发布的文章")
        page.locator("[data-contentpath=body] .public-DraftEditor-content").click()
        page.keyboard.type("明天见。")
        expect(page.locator("#id_body")).to_have_value(re.compile("明天见"))
        page.locator("#id_published_at").fill(later.strftime("%Y-%m-%d %H:%M"))
        # The date picker is open now: Playwright clicks only what is not covered.
        page.locator("footer button[name=action-publish]").click()
        clicks += 1
        expect(page.locator(".messages")).to_contain_text("计划")
        assert clicks <= 3

        article = ArticlePage.objects.get(title="明天发布的文章")
        assert not article.live
        assert article.go_live_at is not None
        assert timezone.localtime(article.go_live_at).strftime("%Y-%m-%d %H:%M") == (
            later.strftime("%Y-%m-%d %H:%M")
        )


def test_publishing_while_the_first_autosave_is_on_its_way_creates_one_article(
    browser: Browser,
    request: pytest.FixtureRequest,
    live_server: Any,
    django_user_model: type[User],
    news: ColumnPage,
    site_settings: SiteSettings,
) -> None:
    """Wagtail autosaves a new page by posting to the "add" address; on a slow server a 发布
    clicked before that answer came back posted there too and made the article twice."""
    django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    held: list[Route] = []

    def hold_autosave(route: Route) -> None:
        if route.request.method == "POST" and "json" in route.request.headers.get("accept", ""):
            held.append(route)  # the autosave: answered when the test says so
        else:
            route.continue_()

    for page in open_page(browser, request, viewport={"width": 1366, "height": 900}):
        page.goto(live_server.url + "/admin/login/")
        page.locator("#id_username").fill("editor")
        page.locator("#id_password").fill("pw-123456")
        page.locator("button[type=submit]").click()
        page.wait_for_url("**/admin/")
        page.route("**/admin/pages/add/**", hold_autosave)
        # Wagtail notes the form as it loaded before it watches for edits.
        page.add_init_script(
            "document.addEventListener('w-unsaved:watch-edits', () => {"
            " document.documentElement.dataset.watching = 'yes'; })"
        )
        page.goto(live_server.url + f"/admin/pages/add/articles/articlepage/{news.pk}/")
        expect(page.locator("html[data-watching=yes]")).to_have_count(1, timeout=DEADLINE * 1000)
        page.locator("#id_title").fill("只发布一次的文章")
        page.locator("[data-contentpath=body] .public-DraftEditor-content").click()
        page.keyboard.type("正文。")
        waited = 0.0
        while not held and waited < DEADLINE:
            page.wait_for_timeout(100)
            waited += 0.1
        assert held, "no autosave was sent"
        page.locator("footer button[name=action-publish]").click()
        held.pop().continue_()  # the autosave reaches the server after the click
        expect(page.locator(".messages")).to_contain_text("已经发布", timeout=DEADLINE * 1000)
        for route in held:
            route.continue_()

    articles = ArticlePage.objects.filter(title="只发布一次的文章")
    assert articles.count() == 1
    assert articles.get().live

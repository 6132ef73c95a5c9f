"""A reader comments, an editor approves it in the admin, the reader replies: in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.comments.models import Comment, CommentSettings
from kanwu.site.models import SiteSettings
from tests.browser.conftest import open_page
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _no_minimum_time(settings: Any) -> None:
    settings.KANWU_COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article(news: ColumnPage, site_settings: SiteSettings) -> ArticlePage:
    return ArticleFactory(parent=news, title="浏览器评论测试")


@pytest.fixture
def editor_page(
    browser: Browser, request: pytest.FixtureRequest, django_user_model: type[User]
) -> Iterator[Page]:
    django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    yield from open_page(browser, request, viewport={"width": 1366, "height": 900})


def fill_and_post(page: Page, *, author: str, email: str, text: str) -> None:
    form = page.locator("#commentform")
    expect(form).to_have_attribute("data-ready", "1")  # tokens fetched from /comments/state/
    form.locator("#author").fill(author)
    form.locator("#email").fill(email)
    form.locator("#comment").fill(text)
    form.locator("#submit").click()


def test_comment_approve_reply_cancel_and_nest(
    live_server: Any, desktop: Page, editor_page: Page, article: ArticlePage
) -> None:
    url = live_server.url + article.url
    desktop.goto(url)
    fill_and_post(desktop, author="读者甲", email="jia@example.cn", text="第一条评论，写得好。")
    desktop.wait_for_url(f"**{article.url}#comment-*")
    comment = Comment.objects.get()
    mine = desktop.locator(f"#comment-{comment.pk}")
    expect(mine.locator(".comment-awaiting-moderation")).to_have_text("您的评论正在等待审核。")
    expect(mine.locator(".comment-content")).to_have_text("第一条评论，写得好。")

    # The editor approves it in the admin: the row's 批准, one click.
    admin = editor_page
    admin.goto(live_server.url + "/admin/login/")
    admin.locator("#id_username").fill("editor")
    admin.locator("#id_password").fill("pw-123456")
    admin.locator("button[type=submit]").click()
    admin.wait_for_url("**/admin/")
    expect(admin.locator("li.pending-comments")).to_contain_text("1 条评论待审核")
    admin.locator("li.pending-comments a").click()
    row = admin.locator("tr", has=admin.locator(f"input[data-object-id='{comment.pk}']"))
    row.locator("td.kanwu-moderation").get_by_role("button", name="批准").click()
    expect(admin.locator(".messages")).to_contain_text("已批准“读者甲”的评论。")
    assert "status=pending" in admin.url
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED

    # The reader sees it published, and replies to it through 回复.
    desktop.goto(url)
    expect(mine.locator(".comment-awaiting-moderation")).to_have_count(0)
    expect(mine.locator(".comment-content")).to_have_text("第一条评论，写得好。")
    respond = desktop.locator("#respond")
    mine.locator(".comment-reply-link").first.click()
    expect(desktop.locator(f"#comment-{comment.pk} > #respond")).to_have_count(1)
    expect(desktop.locator("#cancel-comment-reply-link")).to_be_visible()
    expect(respond).to_contain_text("回复给 读者甲")
    expect(desktop.locator("#commentform input[name=comment_parent]")).to_have_value(
        str(comment.pk)
    )

    # 取消回复 puts the form back under the list.
    desktop.locator("#cancel-comment-reply-link").click()
    expect(desktop.locator("#comments > #respond")).to_have_count(1)
    expect(desktop.locator(f"#comment-{comment.pk} #respond")).to_have_count(0)
    expect(desktop.locator("#cancel-comment-reply-link")).to_be_hidden()
    expect(desktop.locator("#commentform input[name=comment_parent]")).to_have_value("0")

    # Reply again, post it, and see it nested (held) under the first comment.
    mine.locator(".comment-reply-link").first.click()
    fill_and_post(desktop, author="读者乙", email="yi@example.cn", text="同意楼上。")
    desktop.wait_for_url(f"**{article.url}#comment-*")
    reply = Comment.objects.get(parent=comment)
    nested = desktop.locator(f"#comment-{comment.pk} > ol.children > #comment-{reply.pk}")
    expect(nested.locator(".comment-content")).to_have_text("同意楼上。")
    expect(nested.locator(".comment-awaiting-moderation")).to_be_visible()


XSS = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=2</script>",
    '<svg onload="window.__xss=3">',
    '"><iframe src="javascript:parent.__xss=4"></iframe>',
]


def test_xss_payloads_run_no_script(
    live_server: Any, desktop: Page, article: ArticlePage, site_settings: SiteSettings
) -> None:
    settings = CommentSettings.for_site(site_settings.site)
    settings.policy = "publish"
    settings.save()
    dialogs: list[str] = []
    desktop.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    url = live_server.url + article.url
    for n, payload in enumerate(XSS):
        desktop.goto(url)
        fill_and_post(desktop, author=payload[:50], email=f"x{n}@example.cn", text=payload)
        desktop.wait_for_url(f"**{article.url}#comment-*")
    desktop.goto(url)
    expect(desktop.locator(".comment-list > li.comment")).to_have_count(len(XSS))
    expect(desktop.locator(".comment-list .comment-content").first).to_have_text(XSS[0])
    assert desktop.evaluate("window.__xss === undefined")
    assert dialogs == []


@pytest.fixture
def no_js(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from open_page(browser, request, java_script_enabled=False)


def test_reply_without_javascript_through_replytocom(
    live_server: Any, no_js: Page, article: ArticlePage
) -> None:
    parent = Comment.objects.create(
        article=article, author_name="楼主", author_email="lz@example.cn", body="沙发",
        status=Comment.Status.APPROVED,
    )  # fmt: skip
    no_js.goto(live_server.url + article.url)
    no_js.locator(f"#comment-{parent.pk} .comment-reply-link").click()
    no_js.wait_for_url(f"**?replytocom={parent.pk}#respond")
    form = no_js.locator(f"#comment-{parent.pk} > #respond #commentform")
    expect(no_js.locator("#cancel-comment-reply-link")).to_be_visible()
    form.locator("#author").fill("无脚本读者")
    form.locator("#email").fill("nojs@example.cn")
    form.locator("#comment").fill("不开 JavaScript 也能回复。")
    form.locator("#submit").click()
    no_js.wait_for_url(f"**{article.url}#comment-*")
    reply = Comment.objects.get(author_name="无脚本读者")
    assert reply.parent == parent
    assert reply.status == Comment.Status.PENDING

"""The comment queue from the keyboard in Chromium: j/k move between rows, a 批准, s 垃圾评论,
d 删除, r 回复; under the admin's Content-Security-Policy, with no violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.comments.models import Comment
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
LIST = "/admin/snippets/comments/comment/?status=pending"


@pytest.fixture
def article(news: ColumnPage, site_settings: SiteSettings) -> ArticlePage:
    return ArticleFactory(parent=news, title="快捷键测试文章")


def current(page: Page) -> Any:
    return page.locator("tr.kanwu-moderation-current")


def row_of(page: Page, comment: Comment) -> Any:
    return page.locator("tr", has=page.locator(f"input[data-object-id='{comment.pk}']"))


def test_the_queue_from_the_keyboard(
    live_server: Any, signed_in: tuple[Page, list[str]], article: ArticlePage
) -> None:
    page, console = signed_in
    comments = [
        Comment.objects.create(
            article=article, author_name=f"读者{n}", author_email=f"r{n}@example.cn",
            body=f"第{n}条评论", status=Comment.Status.PENDING,
        )
        for n in range(1, 5)
    ]  # fmt: skip
    newest_first = comments[::-1]
    page.goto(live_server.url + LIST)
    expect(page.locator("td.kanwu-moderation")).to_have_count(4)

    # j / k move the selection.
    expect(current(page)).to_have_count(0)
    page.keyboard.press("j")
    expect(row_of(page, newest_first[0])).to_have_class("kanwu-moderation-current")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(row_of(page, newest_first[1])).to_have_class("kanwu-moderation-current")
    expect(current(page)).to_have_count(1)
    # a: approve the selected (second) comment; back on the queue, the row that took its
    # place is selected.
    page.keyboard.press("a")
    expect(page.locator(".messages")).to_contain_text("已批准“读者3”的评论。")
    assert Comment.objects.get(pk=newest_first[1].pk).status == Comment.Status.APPROVED
    expect(page.locator("td.kanwu-moderation")).to_have_count(3)
    expect(row_of(page, newest_first[2])).to_have_class("kanwu-moderation-current")

    # s: spam; d: to the trash.
    page.keyboard.press("s")
    expect(page.locator(".messages")).to_contain_text("已将“读者2”的评论标记为垃圾评论。")
    assert Comment.objects.get(pk=newest_first[2].pk).status == Comment.Status.SPAM
    # The reloaded queue has selected the row that moved up: its shortcuts are listening.
    expect(row_of(page, newest_first[3])).to_have_class("kanwu-moderation-current")
    page.keyboard.press("k")
    expect(row_of(page, newest_first[0])).to_have_class("kanwu-moderation-current")
    page.keyboard.press("d")
    expect(page.locator(".messages")).to_contain_text("已将“读者4”的评论移到回收站。")
    assert Comment.objects.get(pk=newest_first[0].pk).status == Comment.Status.TRASH

    # r: the reply page; the reply is posted under the site's name and the queue returns.
    expect(page.locator("td.kanwu-moderation")).to_have_count(1)
    expect(row_of(page, newest_first[3])).to_have_class("kanwu-moderation-current")
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_url("**/reply/**")
    page.locator("textarea[name=body]").fill("感谢来信，已转编辑部。")
    page.get_by_role("button", name="发布回复").click()
    expect(page.locator(".messages")).to_contain_text("已回复“读者1”的评论，回复已发布。")
    assert "status=pending" in page.url
    reply = Comment.objects.get(parent=newest_first[3])
    assert (reply.author_name, reply.status) == ("测试新闻网", Comment.Status.APPROVED)
    assert page.evaluate("window.__cspViolations || []") == []
    assert console == []

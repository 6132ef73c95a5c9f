"""The moderation queue in the Wagtail admin, the dashboard count and the comment settings."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.test import Client

from kanwu.articles.models import ArticlePage
from kanwu.comments.models import ArticleCommentState, Comment, CommentSettings
from tests.comments.conftest import approved

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/snippets/comments/comment/"


@pytest.fixture
def editor_client(client: Client, django_user_model: type[User]) -> Client:
    user = django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    client.force_login(user)
    return client


def test_queue_lists_filters_and_searches(editor_client: Client, article: ArticlePage) -> None:
    approved(article, author_name="已批准者", body="好文章")
    approved(article, author_name="待审者", body="请审核", status="pending")
    approved(article, author_name="垃圾者", body="买药", status="spam")
    page = editor_client.get(LIST_URL).content.decode()
    for text in ["已批准者", "待审者", "垃圾者", "评论测试文章", "待审核", "垃圾评论"]:
        assert text in page
    pending = editor_client.get(LIST_URL + "?status=pending").content.decode()
    assert "待审者" in pending
    assert "已批准者" not in pending
    found = editor_client.get(LIST_URL + "?q=买药").content.decode()
    assert "垃圾者" in found
    assert "待审者" not in found


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("approve_comments", "approved"),
        ("spam_comments", "spam"),
        ("trash_comments", "trash"),
        ("unapprove_comments", "pending"),
    ],
)
def test_bulk_actions_change_status(
    editor_client: Client,
    article: ArticlePage,
    django_capture_on_commit_callbacks: Any,
    action: str,
    status: str,
) -> None:
    first = approved(article, status="pending" if status != "pending" else "approved")
    second = approved(article, status="pending" if status != "pending" else "approved")
    untouched = approved(article, status="pending" if status != "pending" else "approved")
    url = f"/admin/bulk/comments/comment/{action}/?id={first.pk}&id={second.pk}"
    confirm = editor_client.get(url)
    assert confirm.status_code == 200
    assert "确定要对以下 2 条评论执行" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url + f"&next={LIST_URL}")
    assert response.status_code == 302
    assert set(
        Comment.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {status}
    assert Comment.objects.get(pk=untouched.pk).status != status


def test_queue_shows_bulk_actions(editor_client: Client, article: ArticlePage) -> None:
    approved(article, status="pending")
    page = editor_client.get(LIST_URL).content.decode()
    for label in ["批准", "标记为垃圾评论", "拒绝（移到回收站）"]:
        assert label in page


def test_dashboard_shows_the_pending_count(editor_client: Client, article: ArticlePage) -> None:
    for _ in range(3):
        approved(article, status="pending")
    approved(article)
    soup = BeautifulSoup(editor_client.get("/admin/").content.decode(), "html.parser")
    item = soup.select_one("li.pending-comments a")
    assert item is not None
    assert item.get_text() == "3 条评论待审核"
    assert item["href"] == LIST_URL + "?status=pending"


def test_editing_a_comment_keeps_its_status(editor_client: Client, article: ArticlePage) -> None:
    comment = approved(article, status="pending")
    response = editor_client.post(
        f"{LIST_URL}edit/{comment.pk}/",
        {"author_name": "改名", "author_url": "", "body": "改过的内容"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.author_name, comment.body, comment.status) == ("改名", "改过的内容", "pending")


def test_comment_settings_in_the_admin(editor_client: Client, site: Any) -> None:
    url = f"/admin/settings/comments/commentsettings/{site.pk}/"
    page = editor_client.get(url).content.decode()
    for label in [
        "审核方式",
        "所有评论都需审核",
        "仅首次评论者需审核",
        "直接发布",
        "自动关闭评论天数",
    ]:
        assert label in page
    response = editor_client.post(
        url,
        {
            "policy": "hold_first",
            "close_after_days": "30",
            "max_links": "3",
            "moderator_emails": "",
        },
    )
    assert response.status_code == 302
    saved = CommentSettings.for_site(site)
    assert (saved.policy, saved.close_after_days, saved.max_links) == ("hold_first", 30, 3)


def test_close_comments_on_an_article_in_the_admin(
    editor_client: Client, article: ArticlePage, client: Client
) -> None:
    response = editor_client.post(
        "/admin/snippets/comments/articlecommentstate/add/",
        {"article": article.pk, "closed": "on"},
    )
    assert response.status_code == 302
    assert ArticleCommentState.objects.get(article=article).closed is True
    assert "评论已关闭。" in Client().get(article.url).content.decode()

"""Comment services: importing as-is, moderation transitions, page purges and reply mail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.comments import services
from kanwu.comments.models import Comment
from kanwu.comments.selectors import build_thread
from kanwu.comments.services import (
    CommentRefused,
    comment_approve,
    comment_create,
    comment_import,
    comments_set_status,
)
from tests.comments.conftest import approved
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def purged(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The article ids the publishing layer is told about."""
    calls: list[int] = []
    monkeypatch.setattr(services, "comments_changed", calls.append)
    return calls


def test_comment_import_keeps_status_and_date_and_sends_nothing(
    article: ArticlePage, purged: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    when = datetime.datetime(2015, 3, 1, 8, 30, tzinfo=datetime.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        parent = comment_import(
            article=article, parent=None, author_name="旧读者", author_email="old@example.cn",
            body="十年前的评论 https://a.example https://b.example https://c.example",
            status="approved", created_at=when,
        )  # fmt: skip
        spam = comment_import(
            article=article, parent=parent, author_name="垃圾", author_email="s@example.cn",
            body="spam", status="spam", created_at=when,
        )  # fmt: skip
    assert (parent.status, parent.created_at) == ("approved", when)
    assert spam.status == "spam"
    assert spam.parent == parent
    assert purged == [article.pk]
    assert mail.outbox == []


def test_comment_import_refuses_a_parent_of_another_article(
    article: ArticlePage, news: ColumnPage
) -> None:
    other = approved(ArticleFactory(parent=news))
    with pytest.raises(CommentRefused):
        comment_import(
            article=article, parent=other, author_name="甲", author_email="a@example.cn",
            body="x", status="approved", created_at=other.created_at,
        )  # fmt: skip
    assert Comment.objects.count() == 1


def test_approval_purges_the_page_and_mails_the_parent_who_asked(
    article: ArticlePage, purged: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    parent = approved(article, author_email="parent@example.cn", notify_replies=True)
    quiet = approved(article, author_email="quiet@example.cn", notify_replies=False)
    with django_capture_on_commit_callbacks(execute=True):
        reply = comment_create(
            article=article, parent=parent, author_name="回复者",
            author_email="replier@example.cn", body="我同意你的看法",
        )  # fmt: skip
        other = comment_create(
            article=article, parent=quiet, author_name="回复者",
            author_email="replier@example.cn", body="另一条回复",
        )  # fmt: skip
    assert reply.status == other.status == Comment.Status.PENDING
    assert purged == []
    assert mail.outbox == []  # no moderator addresses set, and nothing approved yet
    with django_capture_on_commit_callbacks(execute=True):
        assert comments_set_status(comments=[reply, other], status="approved") == 2
    assert purged == [article.pk]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["parent@example.cn"]
    assert "我同意你的看法" in mail.outbox[0].body
    # Approving again changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment=reply)
    assert len(mail.outbox) == 1


def test_removing_an_approved_comment_purges_the_page(
    article: ArticlePage, purged: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    comment = approved(article)
    with django_capture_on_commit_callbacks(execute=True):
        comments_set_status(comments=[comment], status="spam")
    assert purged == [article.pk]
    assert Comment.objects.get().status == "spam"
    with pytest.raises(CommentRefused):
        comments_set_status(comments=[comment], status="deleted")


def test_build_thread_drops_replies_to_hidden_comments(article: ArticlePage) -> None:
    top = approved(article)
    hidden = approved(article, status="trash")
    orphan = approved(article, parent=hidden)
    child = approved(article, parent=top)
    grandchild = approved(article, parent=child)
    thread = build_thread(Comment.objects.filter(status="approved"))
    assert [node.comment for node in thread] == [top]
    assert thread[0].children[0].comment == child
    assert thread[0].children[0].children[0].comment == grandchild
    assert thread[0].children[0].children[0].depth == 3
    assert orphan not in [node.comment for node in thread]

"""Fixtures for comment tests: an article, a CSRF-enforcing reader, and a valid form post."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.comments.models import Comment
from tests.factories import ArticleFactory


@pytest.fixture(autouse=True)
def _no_minimum_time(settings: Any) -> None:
    """Tests post at once; the minimum-time rule has its own test that restores it."""
    settings.KANWU_COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article(news: ColumnPage, site_settings: Any) -> ArticlePage:
    return ArticleFactory(parent=news, title="评论测试文章")


@pytest.fixture
def reader() -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9")


def form_data(client: Client, article: ArticlePage, **fields: Any) -> dict[str, Any]:
    """What comments.js puts in the form: the tokens from /comments/state/, then the fields."""
    state = client.get(f"/comments/state/?article={article.pk}").json()
    data: dict[str, Any] = {
        "csrfmiddlewaretoken": state["csrf"],
        **state["fields"],
        "comment_post_ID": article.pk,
        "comment_parent": 0,
        "author": "读者甲",
        "email": "reader@example.cn",
        "url": "",
        "comment": "写得很好，受益匪浅。",
    }
    data.update(fields)
    return data


def post_comment(client: Client, article: ArticlePage, **fields: Any) -> Any:
    return client.post("/comments/post/", form_data(client, article, **fields))


def approved(article: ArticlePage, **fields: Any) -> Comment:
    defaults: dict[str, Any] = {
        "author_name": "老读者",
        "author_email": "old@example.cn",
        "body": "一条已批准的评论",
        "status": Comment.Status.APPROVED,
    }
    defaults.update(fields)
    return Comment.objects.create(article=article, **defaults)

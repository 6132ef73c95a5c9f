from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.search.indexing import search_index_articles
from kanwu.site.models import HomePage
from tests.factories import ArticleFactory, ColumnFactory


@pytest.fixture
def publish(news: ColumnPage) -> Callable[..., ArticlePage]:
    """Create a live article and index it (factories skip the publish signal)."""

    def make(title: str, body: str, *, parent: ColumnPage | None = None, **kw: Any) -> ArticlePage:
        article: ArticlePage = ArticleFactory(
            parent=parent or news, title=title, body=f"<p>{body}</p>", **kw
        )
        search_index_articles(article_ids=[article.pk])
        return article

    return make


def corpus_columns(home: HomePage) -> list[tuple[ColumnPage, str]]:
    """Three columns for a generated corpus (`demo.builder.create_articles`), with topics."""
    return [
        (ColumnFactory(parent=home, title=title, slug=slug), topic)
        for title, slug, topic in [
            ("统战史话", "history", "history"),
            ("政策法规", "policy", "policy"),
            ("基层风采", "grassroots", "grassroots"),
        ]
    ]

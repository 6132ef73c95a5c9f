from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.search.indexing import search_index_articles
from tests.factories import ArticleFactory


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

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.site.models import HomePage
from kanwu.topics.models import TopicIndexPage, TopicPage
from tests.factories import ArticleFactory
from tests.publishing.conftest import Reader, page_cache  # noqa: F401 (a fixture)

# Articles a day apart, the first the oldest: their order on a page is known.
START = datetime(2026, 3, 1, 8, tzinfo=timezone.get_fixed_timezone(480))


def section(
    heading: str, *, tags: str = "", count: int = 6, articles: Sequence[ArticlePage] = ()
) -> tuple[str, dict[str, Any]]:
    """One section of a topic, as the editor's form stores it."""
    return (
        "section",
        {"heading": heading, "tags": tags, "count": count, "articles": list(articles)},
    )


@pytest.fixture
def index(home: HomePage) -> TopicIndexPage:
    page = TopicIndexPage(title="专题", slug="zhuanti")
    home.add_child(instance=page)
    return page


MakeTopic = Callable[..., TopicPage]
MakeArticle = Callable[..., ArticlePage]


@pytest.fixture
def make_topic(index: TopicIndexPage) -> MakeTopic:
    def make(
        title: str, sections: Sequence[tuple[str, dict[str, Any]]], **fields: Any
    ) -> TopicPage:
        topic = TopicPage(title=title, sections=list(sections), **fields)
        index.add_child(instance=topic)
        topic.save_revision().publish()
        return topic

    return make


@pytest.fixture
def make_article(news: ColumnPage) -> MakeArticle:
    """An article in 新闻 published `day` days after START."""

    def make(title: str, day: int, *, tags: Sequence[str] = (), **fields: Any) -> ArticlePage:
        fields.setdefault("parent", news)
        return ArticleFactory(
            title=title, published_at=START + timedelta(days=day), tags=list(tags), **fields
        )

    return make


@pytest.fixture
def reader(request: pytest.FixtureRequest) -> Reader:
    """An anonymous reader through the whole stack, the page cache on (`page_cache`)."""
    request.getfixturevalue("page_cache")
    return Reader()

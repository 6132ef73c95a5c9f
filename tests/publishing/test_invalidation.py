"""Exact invalidation beyond the freshness contract (test_freshness.py): tag pages, and
columns that do not show a change staying cached."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory, ColumnFactory
from tests.publishing.conftest import Reader

pytestmark = pytest.mark.django_db
Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Commit) -> Callable[[], Any]:
    """Run a change and its on-commit purges, as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def pages(
    reader: Reader, home: Any, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> Iterator[dict[str, ArticlePage]]:
    """Two articles, every page warmed into the cache (and checked to be a hit)."""
    first = ArticleFactory(parent=history, title="第一篇文章", tags=["统战"])
    second = ArticleFactory(parent=news, title="第二篇文章", tags=["统战"])
    urls = ["/", news.url, history.url, first.url, second.url]
    for url in urls:
        reader.get(url)
        assert reader.get(url)[1]["X-Kanwu-Cache"] == "HIT", url
    yield {"first": first, "second": second}


def test_tag_pages_follow_new_edited_and_untagged_articles(
    reader: Reader, pages: dict[str, ArticlePage], news: ColumnPage, committed: Any
) -> None:
    tag_url = "/tag/%E7%BB%9F%E6%88%98/"  # 统战
    reader.get(tag_url)
    assert reader.get(tag_url)[1]["X-Kanwu-Cache"] == "HIT"
    with committed():
        ArticleFactory(parent=news, title="新加的统战文章", tags=["统战"])
    assert "新加的统战文章" in reader.text(tag_url)

    first = pages["first"]
    with committed():
        first.title = "改名的统战文章"
        first.save_revision().publish()
    assert "改名的统战文章" in reader.text(tag_url)
    with committed():
        first.tags.remove("统战")
        first.tags.add("史话")
        first.save_revision().publish()
    assert "改名的统战文章" not in reader.text(tag_url)
    assert "改名的统战文章" in reader.text("/tag/%E5%8F%B2%E8%AF%9D/")  # 史话: a new tag


def test_other_columns_stay_cached(
    reader: Reader, pages: dict[str, ArticlePage], home: Any, committed: Any
) -> None:
    elsewhere = ColumnFactory(parent=home, title="通知", slug="notice")
    ArticleFactory(parent=elsewhere, title="放假通知")
    reader.get(elsewhere.url)
    with committed():
        article = pages["first"]
        article.title = "又改了"
        article.save_revision().publish()
    assert reader.get(elsewhere.url)[1]["X-Kanwu-Cache"] == "HIT"
    assert "又改了" in reader.text(pages["second"].url)  # shows it among 为您推荐

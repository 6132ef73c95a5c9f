"""Exact invalidation: each kind of change shows on the next anonymous response."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.cache import cache
from wagtail.models import Page

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.core.timeutil import readers_today
from kanwu.publishing import invalidation
from kanwu.site.daily import daily_pick
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


def test_editing_an_article_purges_it_and_every_listing(
    reader: Reader,
    pages: dict[str, ArticlePage],
    news: ColumnPage,
    history: ColumnPage,
    committed: Any,
) -> None:
    article = pages["first"]
    with committed():
        article.title = "改过的标题"
        article.save_revision().publish()
    for url in ["/", news.url, history.url, article.url, pages["second"].url]:
        assert "改过的标题" in reader.text(url), url  # the second shows it as a recommendation


def test_publishing_a_new_article_updates_listings(
    reader: Reader,
    pages: dict[str, ArticlePage],
    news: ColumnPage,
    history: ColumnPage,
    committed: Any,
) -> None:
    with committed():
        ArticleFactory(parent=history, title="刚发布的文章")
    for url in ["/", news.url, history.url]:
        assert "刚发布的文章" in reader.text(url), url


def test_unpublishing_removes_it_everywhere(
    reader: Reader, pages: dict[str, ArticlePage], news: ColumnPage, committed: Any
) -> None:
    article = pages["first"]
    with committed():
        article.unpublish()
    assert reader.get(article.url)[0] == 404
    for url in ["/", news.url, pages["second"].url]:
        assert "第一篇文章" not in reader.text(url), url


def test_deleting_removes_it_everywhere(
    reader: Reader, pages: dict[str, ArticlePage], news: ColumnPage, committed: Any
) -> None:
    article = pages["first"]
    url = article.url
    with committed():
        article.delete()
    assert reader.get(url)[0] == 404
    for page_url in ["/", news.url, pages["second"].url]:
        assert "第一篇文章" not in reader.text(page_url), page_url


def test_moving_an_article_updates_both_columns(
    reader: Reader, pages: dict[str, ArticlePage], home: Any, history: ColumnPage, committed: Any
) -> None:
    other = ColumnFactory(parent=home, title="理论", slug="theory")
    reader.get(other.url)
    with committed():
        Page.objects.get(pk=pages["first"].pk).move(other, pos="last-child")
    assert "第一篇文章" in reader.text(other.url)
    assert "第一篇文章" not in reader.text(history.url)
    assert reader.get("/theory/" + pages["first"].slug + "/")[0] == 200


def test_changing_site_settings_purges_everything(
    reader: Reader, pages: dict[str, ArticlePage], site_settings: SiteSettings, committed: Any
) -> None:
    with committed():
        site_settings.site_name = "改名后的新闻网"
        site_settings.save()
    for url in ["/", pages["first"].url, pages["second"].url]:
        assert "改名后的新闻网" in reader.text(url), url


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


def test_article_changed_purges_that_article_not_the_listings(
    reader: Reader, pages: dict[str, ArticlePage], news: ColumnPage, committed: Any
) -> None:
    first = pages["first"]
    with committed():
        ArticlePage.objects.filter(pk=first.pk).update(subtitle="评论获批后的变化")
        invalidation.article_changed(first.pk)
    assert "评论获批后的变化" in reader.text(first.url)
    for url in ["/", news.url]:
        assert reader.get(url)[1]["X-Kanwu-Cache"] == "HIT"


def test_daily_pick_changes_at_midnight(
    reader: Reader, pages: dict[str, ArticlePage], history: ColumnPage, site_settings: SiteSettings,
    committed: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    ArticleFactory(parent=history, title="史话之二")
    with committed():
        site_settings.daily_reading_column = history
        site_settings.save()
    today = readers_today()
    pick = daily_pick(history, today)
    assert pick is not None
    assert pick.title in reader.text("/")
    invalidation.new_day()  # remembers today

    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(invalidation, "readers_today", lambda: tomorrow)
    monkeypatch.setattr("kanwu.site.templatetags.kanwu_site.readers_today", lambda: tomorrow)
    assert reader.get("/")[1]["X-Kanwu-Cache"] == "HIT"  # until the scheduler notices midnight
    invalidation.new_day()
    new_pick = daily_pick(history, tomorrow)
    assert new_pick is not None
    assert new_pick != pick
    page = reader.text("/")
    assert new_pick.title in page.split('class="daily-reading')[1]
    cache.delete(invalidation.DAY_KEY)


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

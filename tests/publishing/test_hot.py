"""热门: views counted by the beacon in hourly buckets, ranked by the worker's periodic job,
shown in the column pages' and the home page's sidebars, and kept fresh in the page cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import PageViewRestriction

from kanwu.articles.hot import hot_lists
from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.publishing import hot
from kanwu.publishing.models import PageViewsHour
from kanwu.publishing.views_counter import counter
from kanwu.site.models import HomePage, SiteSettings
from tests.factories import ArticleFactory, ColumnFactory
from tests.publishing.conftest import Reader

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 7, 1, 10, 20, tzinfo=dt.UTC)
readers = count(1)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def read(client: Client, article: ArticlePage, views: int, at: dt.datetime) -> None:
    """`views` readers, each from an address of their own, open `article` at `at`; the counter
    writes its batch then."""
    with time_machine.travel(at, tick=False):
        for _ in range(views):
            number = next(readers)
            address = f"10.{number // 62500 % 250}.{number // 250 % 250}.{number % 250 + 1}"
            response = client.post(f"/_/views/{article.pk}/", REMOTE_ADDR=address)
            assert response.status_code == 200
        counter.flush()


def titles(articles: tuple[Any, ...] | list[Any]) -> list[str]:
    return [article.title for article in articles]


def sidebar(client: Client, url: str) -> dict[str, list[str]]:
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    block = soup.select_one(".sidebar .hot")
    if block is None:
        return {}
    return {
        "title": [block.select_one(".box-title").get_text()],
        **{
            period: [a.get_text() for a in block.select(f".hot-{period} li a")]
            for period in ("day", "week")
        },
    }


@pytest.fixture
def culture(home: HomePage) -> ColumnPage:
    return ColumnFactory(parent=home, title="文化", slug="culture")


def test_most_read_in_24_hours_and_7_days_site_wide_and_per_top_column(
    client: Client,
    news: ColumnPage,
    history: ColumnPage,
    culture: ColumnPage,
    clock: time_machine.Coordinates,
) -> None:
    week_old = ArticleFactory(parent=news, title="三天前的热文")
    nested = ArticleFactory(parent=history, title="子栏目的文章")
    other = ArticleFactory(parent=culture, title="文化栏目的文章")
    read(client, week_old, 5, NOW - dt.timedelta(days=3))
    read(client, nested, 4, NOW - dt.timedelta(hours=2))
    read(client, other, 2, NOW - dt.timedelta(minutes=19))  # this hour, before the job
    read(client, other, 1, NOW - dt.timedelta(hours=30))  # in the week, not the day
    read(client, other, 10, NOW - dt.timedelta(days=7, hours=2))  # too old to count

    hot.hot_refresh()

    site_wide = hot_lists(None)
    assert titles(site_wide.day) == ["子栏目的文章", "文化栏目的文章"]
    assert titles(site_wide.week) == ["三天前的热文", "子栏目的文章", "文化栏目的文章"]
    # An article in a sub-column counts for its top column.
    assert titles(hot_lists(news.pk).day) == ["子栏目的文章"]
    assert titles(hot_lists(news.pk).week) == ["三天前的热文", "子栏目的文章"]
    assert titles(hot_lists(culture.pk).day) == ["文化栏目的文章"]
    assert titles(hot_lists(culture.pk).week) == ["文化栏目的文章"]

    # A day later the day list is empty and the views still count for the week.
    clock.shift(dt.timedelta(days=1))
    hot.hot_refresh()
    assert titles(hot_lists(None).day) == []
    assert titles(hot_lists(None).week) == ["三天前的热文", "子栏目的文章", "文化栏目的文章"]


def test_views_in_one_batch_go_to_the_hour_they_were_counted_in(
    client: Client, news: ColumnPage
) -> None:
    article = ArticleFactory(parent=news)
    first, second = NOW.replace(minute=59), NOW.replace(hour=11, minute=1)
    with time_machine.travel(first, tick=False):
        client.post(f"/_/views/{article.pk}/", REMOTE_ADDR="10.9.0.1")
    with time_machine.travel(second, tick=False):
        client.post(f"/_/views/{article.pk}/", REMOTE_ADDR="10.9.0.2")
        client.post(f"/_/views/{article.pk}/", REMOTE_ADDR="10.9.0.3")
    counter.flush()
    read(client, article, 1, second)  # added to the bucket already written
    buckets = PageViewsHour.objects.filter(page_id=article.pk).order_by("hour")
    assert [(bucket.hour.hour, bucket.count) for bucket in buckets] == [(10, 1), (11, 3)]


def test_hours_older_than_eight_days_are_dropped(
    client: Client, news: ColumnPage, clock: time_machine.Coordinates
) -> None:
    article = ArticleFactory(parent=news)
    read(client, article, 1, NOW - dt.timedelta(days=8, hours=1))
    read(client, article, 1, NOW - dt.timedelta(days=7, hours=20))
    hot.hot_refresh()
    kept = PageViewsHour.objects.filter(page_id=article.pk).values_list("hour", flat=True)
    assert list(kept) == [(NOW - dt.timedelta(days=7, hours=20)).replace(minute=0)]


def test_private_unpublished_and_taken_down_articles_are_never_listed(
    client: Client, news: ColumnPage, site_settings: SiteSettings, clock: time_machine.Coordinates
) -> None:
    shown = ArticleFactory(parent=news, title="公开的文章")
    private = ArticleFactory(parent=news, title="加密的文章")
    withdrawn = ArticleFactory(parent=news, title="撤下的文章")
    later = ArticleFactory(parent=news, title="之后下架的文章")
    for article, views in ((shown, 1), (private, 5), (withdrawn, 4), (later, 3)):
        read(client, article, views, NOW - dt.timedelta(hours=1))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    withdrawn.unpublish()

    hot.hot_refresh()
    assert titles(hot_lists(None).week) == ["之后下架的文章", "公开的文章"]
    assert sidebar(client, news.url)["day"] == ["之后下架的文章", "公开的文章"]

    # Unpublished (a takedown unpublishes) after the worker ranked it: gone at once.
    later.unpublish()
    assert sidebar(client, news.url)["day"] == ["公开的文章"]
    assert "之后下架的文章" not in client.get("/").content.decode()


def test_column_and_home_sidebars_show_the_lists(
    client: Client,
    home: HomePage,
    news: ColumnPage,
    history: ColumnPage,
    culture: ColumnPage,
    site_settings: SiteSettings,
) -> None:
    assert sidebar(client, news.url) == {}  # nothing read yet: no block
    old = ArticleFactory(parent=news, title="上周读得多")
    fresh = ArticleFactory(parent=history, title="今天读得多")
    elsewhere = ArticleFactory(parent=culture, title="别的栏目")
    read(client, old, 6, NOW - dt.timedelta(days=5))
    read(client, fresh, 3, NOW - dt.timedelta(hours=3))
    read(client, elsewhere, 9, NOW - dt.timedelta(hours=3))
    with time_machine.travel(NOW, tick=False):
        hot.hot_refresh()

    expected = {"title": ["热门文章"], "day": ["今天读得多"], "week": ["上周读得多", "今天读得多"]}
    assert sidebar(client, news.url) == expected
    assert sidebar(client, history.url) == expected  # a sub-column shows its top column's
    soup = BeautifulSoup(client.get(news.url).content, "html.parser")
    links = [a["href"] for a in soup.select(".hot-week a")]
    assert links == [old.url, fresh.url]
    assert [label.get_text() for label in soup.select(".hot-tabs label")] == ["24小时", "7天"]

    # The home page's 热门 block: the whole site's most read in 7 days (placed first here;
    # below other blocks it leaves out the articles they showed).
    home.body = [{"type": "hot", "value": {"title": "热门", "count": 10}}]
    home.save()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    block = soup.select_one(".home-blocks .hot")
    assert block.select_one(".box-title").get_text() == "热门"
    assert [a.get_text() for a in block.select(".hot-week li a")] == [
        "别的栏目", "上周读得多", "今天读得多",
    ]  # fmt: skip


def test_cached_pages_follow_the_list_and_stay_when_it_did_not_change(
    client: Client,
    reader: Reader,
    home: HomePage,
    news: ColumnPage,
    site_settings: SiteSettings,
    clock: time_machine.Coordinates,
) -> None:
    home.body = [{"type": "hot", "value": {"title": "热门", "count": 10}}]  # the home's 热门
    home.save()
    first = ArticleFactory(parent=news, title="第一篇")
    second = ArticleFactory(parent=news, title="第二篇")
    read(client, first, 2, NOW - dt.timedelta(hours=1))
    read(client, second, 1, NOW - dt.timedelta(hours=1))
    hot.hot_refresh()

    def hot_titles(url: str) -> list[str]:
        soup = BeautifulSoup(reader.text(url), "html.parser")
        return [a.get_text() for a in soup.select(".hot .hot-week a")]

    for url in (news.url, "/"):
        assert hot_titles(url) == ["第一篇", "第二篇"]
        assert reader.get(url)[1]["X-Kanwu-Cache"] == "HIT"

    # More views, the same order: the lists did not change, nothing is purged.
    clock.shift(dt.timedelta(minutes=11))
    read(client, first, 1, NOW + dt.timedelta(minutes=11))
    hot.hot_refresh()
    assert reader.get(news.url)[1]["X-Kanwu-Cache"] == "HIT"

    # The second overtakes the first: the next reader gets the new order.
    clock.shift(dt.timedelta(minutes=11))
    read(client, second, 5, NOW + dt.timedelta(minutes=22))
    hot.hot_refresh()
    for url in (news.url, "/"):
        _, headers, _ = reader.get(url)
        assert headers["X-Kanwu-Cache"] == "MISS"
        assert hot_titles(url) == ["第二篇", "第一篇"]


def test_the_job_costs_nothing_when_nothing_is_new(
    client: Client,
    news: ColumnPage,
    clock: time_machine.Coordinates,
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    article = ArticleFactory(parent=news)
    read(client, article, 1, NOW - dt.timedelta(minutes=1))
    hot.hot_refresh()
    clock.shift(dt.timedelta(minutes=1))  # the next tick
    with django_assert_num_queries(0):
        hot.hot_refresh()
    clock.shift(dt.timedelta(minutes=10))  # due, but no view was written since
    with django_assert_num_queries(0):
        hot.hot_refresh()
    clock.shift(dt.timedelta(minutes=30))  # a new hour: the windows moved
    with django_assert_max_num_queries(4):  # drop old hours, sum, top columns, stored lists
        hot.hot_refresh()
    assert titles(hot_lists(None).day) == [article.title]


def test_the_job_works_the_lists_out_again_after_the_cache_is_lost(
    client: Client, news: ColumnPage, clock: time_machine.Coordinates
) -> None:
    from django.core.cache import cache

    article = ArticleFactory(parent=news, title="缓存清空后仍在")
    read(client, article, 1, NOW)
    hot.hot_refresh()
    cache.clear()
    assert titles(hot_lists(news.pk).day) == ["缓存清空后仍在"]  # read from the table
    clock.shift(dt.timedelta(minutes=1))
    hot.hot_refresh()  # no state: works them out at once
    assert titles(hot_lists(news.pk).week) == ["缓存清空后仍在"]

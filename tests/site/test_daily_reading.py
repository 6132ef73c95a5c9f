"""每日一读: one article a day from the chosen column, stable within a day, never repeated."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from kanwu.columns.models import ColumnPage
from kanwu.core.timeutil import readers_today
from kanwu.site.daily import daily_pick, daily_picks
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
START = dt.date(2026, 1, 1)


@pytest.mark.parametrize("count", [2, 3, 7])
def test_never_the_same_article_on_consecutive_days(history: ColumnPage, count: int) -> None:
    for _ in range(count):
        ArticleFactory(parent=history)
    picks = [daily_pick(history, START + dt.timedelta(days=n)) for n in range(60)]
    assert all(picks)
    assert all(a != b for a, b in itertools.pairwise(picks))
    assert len(set(picks)) == count  # every article gets its day


def test_same_pick_all_day_and_single_article_column(history: ColumnPage) -> None:
    only = ArticleFactory(parent=history)
    assert daily_pick(history, START) == daily_pick(history, START) == only
    ArticleFactory(parent=history)
    assert daily_pick(history, START) == daily_pick(history, START)


def test_unpublished_articles_are_never_picked(history: ColumnPage) -> None:
    keep = ArticleFactory(parent=history)
    ArticleFactory(parent=history).unpublish()
    assert {daily_pick(history, START + dt.timedelta(days=n)) for n in range(5)} == {keep}


def test_empty_column_picks_nothing(history: ColumnPage) -> None:
    assert daily_pick(history, START) is None


def test_day_is_the_day_in_china() -> None:
    # 16:30 UTC on 1 January is already 00:30 on 2 January in Beijing.
    assert readers_today(dt.datetime(2026, 1, 1, 16, 30, tzinfo=dt.UTC)) == dt.date(2026, 1, 2)
    assert readers_today(dt.datetime(2026, 1, 1, 15, 59, tzinfo=dt.UTC)) == dt.date(2026, 1, 1)


def test_block_shows_title_and_todays_pick_on_every_page_type(
    client: Client, home: Any, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> None:
    for _ in range(3):
        ArticleFactory(parent=history)
    elsewhere = ArticleFactory(parent=news)
    site_settings.daily_reading_title = "党史天天读"
    site_settings.daily_reading_column = history
    site_settings.save()
    expected = daily_pick(history, readers_today())
    assert expected is not None

    for url in ["/", news.url, elsewhere.url]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        block = soup.select_one(".daily-reading")
        assert block is not None, url
        assert block.select_one("h2").get_text() == "党史天天读"
        assert block.select_one(".daily-title").get_text() == expected.title
        assert block.select_one(".daily-title")["href"] == expected.url


def test_block_hidden_without_a_column(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    soup = BeautifulSoup(client.get(news.url).content, "html.parser")
    assert soup.select_one(".daily-reading") is None


def test_the_pick_is_never_the_article_being_read(
    client: Client, home: Any, history: ColumnPage, site_settings: SiteSettings
) -> None:
    for _ in range(3):
        ArticleFactory(parent=history)
    site_settings.daily_reading_column = history
    site_settings.save()
    pick = daily_pick(history, readers_today())
    assert pick is not None

    def shown_on(url: str) -> str:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        return str(soup.select_one(".daily-reading .daily-title")["href"])

    assert shown_on("/") == pick.url
    instead = shown_on(pick.url)
    assert instead != pick.url
    # The next candidate of the day, the same on every view of that article.
    picks = daily_picks(history, readers_today())
    assert [p.pk for p in picks][:1] == [pick.pk]
    assert instead == picks[1].url
    assert shown_on(pick.url) == instead
    assert shown_on(picks[1].url) == pick.url


def test_a_column_of_one_shows_nothing_on_that_article(
    client: Client, home: Any, history: ColumnPage, site_settings: SiteSettings
) -> None:
    only = ArticleFactory(parent=history, title="唯一的文章")
    site_settings.daily_reading_column = history
    site_settings.save()
    soup = BeautifulSoup(client.get(only.url).content, "html.parser")
    assert soup.select_one(".daily-reading .daily-title") is None
    assert soup.select_one(".daily-reading .empty") is not None

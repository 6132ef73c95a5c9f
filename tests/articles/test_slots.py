"""推荐位: which articles hold a flag for readers, and how lists show 加粗 and 跳转."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client

from kanwu.articles.models import ArticlePage, ArticleSlot, Flag
from kanwu.articles.selectors import slot_articles
from kanwu.columns.models import ColumnPage
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def hold(article: ArticlePage, flag: str, expires_at: dt.datetime | None = None) -> None:
    ArticleSlot.objects.create(article=article, flag=flag, expires_at=expires_at)


def titles(flag: str, now: dt.datetime = NOW) -> list[str]:
    return [article.title for article in slot_articles(flag, now=now)]


def test_live_unexpired_holders_newest_first(news: ColumnPage) -> None:
    old = ArticleFactory(parent=news, title="旧头条", published_at=NOW - dt.timedelta(days=2))
    new = ArticleFactory(parent=news, title="新头条", published_at=NOW - dt.timedelta(hours=1))
    lapsed = ArticleFactory(parent=news, title="过期头条", published_at=NOW)
    draft = ArticleFactory(parent=news, title="未发布头条", published_at=NOW)
    other = ArticleFactory(parent=news, title="只是推荐", published_at=NOW)
    draft.unpublish()
    hold(old, Flag.HEADLINE)
    hold(new, Flag.HEADLINE, NOW + dt.timedelta(days=1))
    hold(lapsed, Flag.HEADLINE, NOW - dt.timedelta(minutes=1))
    hold(draft, Flag.HEADLINE)
    hold(other, Flag.RECOMMENDED)

    assert titles(Flag.HEADLINE) == ["新头条", "旧头条"]
    assert titles(Flag.RECOMMENDED) == ["只是推荐"]
    # Once its expiry passes, a slot is ignored: no job has to remove it.
    assert titles(Flag.HEADLINE, NOW + dt.timedelta(days=1)) == ["旧头条"]
    first = slot_articles(Flag.HEADLINE, now=NOW).first()
    assert first is not None and first.slot_expires_at == NOW + dt.timedelta(days=1)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
def test_holders_are_found_from_the_slot_index_not_by_scanning_articles(
    news: ColumnPage,
) -> None:
    """With 100,000 articles and a handful of holders, reading the articles newest first and
    checking each for the flag would read them all; the slot index finds the few."""
    ArticleFactory(parent=news)
    sql, params = slot_articles(Flag.HEADLINE, now=NOW).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "article_slot_flag" in plan or "article_slot_once" in plan, plan
    assert f"SCAN {ArticlePage._meta.db_table}" not in plan, plan


def list_titles(client: Client, url: str) -> dict[str, tuple[str, bool]]:
    """Each list item's title → (its link, whether it is bold)."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return {
        link.get_text(): (link["href"], link.find("strong") is not None)
        for link in soup.select(".article-list .item-title")
    }


def test_bold_and_jump_apply_in_every_list(
    client: Client, home: Any, news: ColumnPage, history: ColumnPage
) -> None:
    bold = ArticleFactory(parent=history, title="加粗的文章", tags=["统战"])
    jump = ArticleFactory(
        parent=history, title="跳转的文章", jump_url="https://www.example.cn/zt/", tags=["统战"]
    )
    plain = ArticleFactory(parent=history, title="普通文章", tags=["统战"])
    hold(bold, Flag.BOLD)
    hold(jump, Flag.JUMP)
    hold(plain, Flag.JUMP)  # 跳转 without a URL: the article's own page

    for url in ["/", news.url, history.url, "/tag/统战/"]:
        listed = list_titles(client, url)
        assert listed["加粗的文章"] == (bold.url, True), url
        assert listed["跳转的文章"] == ("https://www.example.cn/zt/", False), url
        assert listed["普通文章"] == (plain.url, False), url


def test_an_expired_bold_slot_is_plain_again(client: Client, news: ColumnPage) -> None:
    article = ArticleFactory(parent=news, title="限时加粗")
    hold(article, Flag.BOLD, NOW + dt.timedelta(hours=2))
    with time_machine.travel(NOW, tick=False):
        assert list_titles(client, news.url)["限时加粗"][1] is True
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        assert list_titles(client, news.url)["限时加粗"][1] is False

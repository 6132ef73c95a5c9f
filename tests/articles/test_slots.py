"""推荐位: which articles hold a flag for readers, and how lists show 加粗 and 跳转."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection, transaction
from django.test import Client

from kanwu.articles.models import ArticlePage, ArticleSlot, Flag
from kanwu.articles.selectors import FEW_HOLDERS, slot_articles
from kanwu.columns.models import ColumnPage
from kanwu.demo.builder import create_articles
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


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plans")
@pytest.mark.parametrize(
    ("holders", "read_from"), [(5, "article_slot_flag"), (120, "article_newest_first")]
)
def test_holders_are_found_without_reading_every_article(
    news: ColumnPage, holders: int, read_from: str
) -> None:
    """A few holders come from the slot index (reading the articles newest first would read
    them all to find five); many from the articles' newest-first index (sorting thousands of
    holders would cost more than finding the first ten of them)."""
    create_articles(random.Random(3), [(news, "news")], [], 150)
    articles = list(ArticlePage.objects.order_by("pk"))
    for number, article in enumerate(articles[:holders]):
        hold(article, Flag.SPECIAL, NOW - dt.timedelta(days=1) if number % 4 == 0 else None)
    sql, params = slot_articles(Flag.SPECIAL, now=NOW).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert read_from in plan, plan
    if holders > FEW_HOLDERS:  # read in order, stopping at the tenth: nothing to sort
        assert "TEMP B-TREE" not in plan, plan
    else:  # the few holders only, never every article
        assert f"SCAN {ArticlePage._meta.db_table}" not in plan, plan

    unexpired = [a for n, a in enumerate(articles[:holders]) if n % 4 != 0]
    newest = sorted(unexpired, key=lambda a: (a.published_at, a.pk), reverse=True)
    found = list(slot_articles(Flag.SPECIAL, now=NOW)[:10])
    assert [a.pk for a in found] == [a.pk for a in newest[:10]]


def list_titles(client: Client, url: str) -> dict[str, tuple[str, bool]]:
    """Each list item's title → (its link, whether it is bold)."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return {
        link.get_text(): (link["href"], link.find("strong") is not None)
        for link in soup.select(".article-list .item-title, .home-blocks .title-list a")
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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_holders_can_be_read_from_the_slot_index_on_postgresql(news: ColumnPage) -> None:
    """The planner picks by the tables' statistics; with the test's few rows it would scan
    them, so scans are ruled out to see that the slot index serves the query."""
    article = ArticleFactory(parent=news)
    hold(article, Flag.HEADLINE)
    sql, params = slot_articles(Flag.HEADLINE, now=NOW).query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " | ".join(row[0] for row in cursor.fetchall())
    assert "article_slot_flag" in plan or "article_slot_once" in plan, plan

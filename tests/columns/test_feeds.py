"""RSS: each column's feed at /<column path>/feed/, and the site's feed, titled with the site."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import PageViewRestriction, Site

from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory, ColumnFactory
from tests.feeds import feed_of

pytestmark = pytest.mark.django_db
BASE = "https://news.example.cn"


def test_a_column_feed_lists_its_and_its_sub_columns_articles(
    client: Client, configured: Site, news: ColumnPage, history: ColumnPage,
    site_settings: SiteSettings,
) -> None:  # fmt: skip
    own = ArticleFactory(parent=news, title="新闻里的文章")
    nested = ArticleFactory(parent=history, title="史话里的文章")
    other = ColumnFactory(parent=news.get_parent(), title="通知", slug="notice")
    ArticleFactory(parent=other, title="通知里的文章")
    feed = feed_of(client, "/news/feed/")
    channel = feed.find("channel")
    assert channel.find("title", recursive=False).get_text() == "新闻 - 测试新闻网"
    assert channel.find("language").get_text() == "zh-CN"
    assert channel.find("link", recursive=False).get_text() == f"{BASE}/news/"
    titles = [item.find("title").get_text() for item in feed.find_all("item")]
    assert sorted(titles) == ["史话里的文章", "新闻里的文章"]
    links = {item.find("link").get_text() for item in feed.find_all("item")}
    assert links == {f"{BASE}{own.url}", f"{BASE}{nested.url}"}
    nested_feed = feed_of(client, "/news/history/feed/")
    assert nested_feed.find("channel").find("title").get_text() == "统战史话 - 测试新闻网"


def test_column_pages_link_their_feed(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    head = BeautifulSoup(client.get("/news/").content, "html.parser").head
    feeds = {
        link["href"]: link["title"]
        for link in head.find_all("link", rel="alternate", type="application/rss+xml")
    }
    assert feeds == {"/feed/": "测试新闻网", "/news/feed/": "新闻 - 测试新闻网"}


def test_no_feed_for_a_missing_unpublished_or_restricted_column(
    client: Client, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> None:
    assert client.get("/nothing/feed/").status_code == 404
    history.unpublish()
    assert client.get("/news/history/feed/").status_code == 404
    PageViewRestriction.objects.create(page=news, restriction_type="password", password="x")
    assert client.get("/news/feed/").status_code == 404


def test_the_site_feed_is_titled_with_the_site_name(
    client: Client, configured: Site, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=news, title="一篇文章")
    feed = feed_of(client, "/feed/")
    channel = feed.find("channel")
    assert channel.find("title", recursive=False).get_text() == "最新文章 - 测试新闻网"
    assert channel.find("language").get_text() == "zh-CN"
    assert feed.find("item").find("link").get_text() == f"{BASE}{article.url}"

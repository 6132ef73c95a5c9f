"""The sitemap index, the pages' sitemaps and the news sitemap, on the configured address."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from kanwu.articles import sitemaps
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
BASE = "https://news.example.cn"
NOW = dt.datetime(2026, 3, 10, 4, 0, tzinfo=dt.UTC)  # 12:00 in China


def xml_of(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/xml")
    return BeautifulSoup(response.content, "xml")


def locations(soup: BeautifulSoup) -> list[str]:
    return [loc.get_text() for loc in soup.find_all("loc")]


def test_the_index_names_each_page_sitemap_and_the_news_sitemap_on_the_configured_host(
    client: Client, configured: Site, news: ColumnPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = [ArticleFactory(parent=news) for _ in range(3)]
    monkeypatch.setattr(sitemaps.VisibleSitemap, "limit", 2)  # 5 pages: 3 sitemaps of 2
    index = xml_of(client, "/sitemap.xml")
    assert index.find("sitemapindex") is not None
    assert locations(index) == [
        f"{BASE}/sitemap-pages-1.xml",
        f"{BASE}/sitemap-pages-2.xml",
        f"{BASE}/sitemap-pages-3.xml",
        f"{BASE}/sitemap-news.xml",
    ]
    listed = [
        loc for n in (1, 2, 3) for loc in locations(xml_of(client, f"/sitemap-pages-{n}.xml"))
    ]
    assert listed == [f"{BASE}/", f"{BASE}/news/", *(f"{BASE}{a.url}" for a in articles)]
    assert client.get("/sitemap-pages-4.xml").status_code == 404
    assert client.get("/sitemap-pages-0.xml").status_code == 404


def test_unpublished_pages_are_not_in_the_sitemap(
    client: Client, configured: Site, news: ColumnPage
) -> None:
    shown, hidden = ArticleFactory(parent=news), ArticleFactory(parent=news)
    hidden.unpublish()
    listed = locations(xml_of(client, "/sitemap-pages-1.xml"))
    assert f"{BASE}{shown.url}" in listed
    assert f"{BASE}{hidden.url}" not in listed


def test_news_sitemap_lists_the_last_two_days_in_google_news_schema(
    client: Client, configured: Site, news: ColumnPage, site_settings: SiteSettings
) -> None:
    with time_machine.travel(NOW, tick=False):
        fresh = ArticleFactory(
            parent=news, title="新文章 <&> “引号”", published_at=NOW - dt.timedelta(hours=47)
        )
        ArticleFactory(parent=news, title="旧文章", published_at=NOW - dt.timedelta(hours=49))
        ArticleFactory(parent=news, title="未来的文章", published_at=NOW + dt.timedelta(hours=1))
        soup = xml_of(client, "/sitemap-news.xml")
    urls = soup.find_all("url")
    assert [url.find("loc").get_text() for url in urls] == [f"{BASE}{fresh.url}"]
    news_tag = urls[0].find("news")
    assert news_tag.namespace == "http://www.google.com/schemas/sitemap-news/0.9"
    assert news_tag.find("publication").find("name").get_text() == "测试新闻网"
    assert news_tag.find("publication").find("language").get_text() == "zh-cn"
    assert news_tag.find("title").get_text() == "新文章 <&> “引号”"
    published = timezone.localtime(fresh.published_at).replace(microsecond=0)
    assert news_tag.find("publication_date").get_text() == published.isoformat()
    assert news_tag.find("publication_date").get_text().endswith("+08:00")
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):  # a day on
        later = xml_of(client, "/sitemap-news.xml")
    assert [title.get_text() for title in later.find_all("title")] == ["未来的文章"]

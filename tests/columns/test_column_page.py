"""Column pages: newest first, 20 a page, sub-columns, and pagination deep into the archive."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from kanwu.columns import models as column_models
from kanwu.columns.models import ColumnPage
from kanwu.demo.builder import create_articles
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db


def titles(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text() for a in soup.select(".article-list .item-title")]


def test_newest_first_twenty_a_page(client: Client, news: ColumnPage, site_settings: Any) -> None:
    now = timezone.now()
    for n in range(25):
        ArticleFactory(parent=news, title=f"第{n}篇", published_at=now - timedelta(hours=n))
    first = titles(client, news.url)
    assert first == [f"第{n}篇" for n in range(20)]
    assert titles(client, news.url + "?page=2") == [f"第{n}篇" for n in range(20, 25)]


def test_includes_sub_column_articles_and_lists_sub_columns(
    client: Client, news: ColumnPage, history: ColumnPage, site_settings: Any
) -> None:
    ArticleFactory(parent=history, title="史话文章")
    response = client.get(news.url)
    soup = BeautifulSoup(response.content, "html.parser")
    assert [a.get_text() for a in soup.select(".sub-columns a")] == ["统战史话"]
    assert "史话文章" in [a.get_text() for a in soup.select(".item-title")]
    crumb = soup.select_one("nav.breadcrumb").get_text()
    assert crumb == "您的位置：首页 > 新闻"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999"])
def test_bad_page_numbers_are_404_not_500(
    client: Client, news: ColumnPage, site_settings: Any, page: str
) -> None:
    ArticleFactory(parent=news)
    assert client.get(news.url, {"page": page}).status_code == 404


def test_pagination_keeps_working_past_page_1000(
    client: Client, home: Any, site_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    column = ColumnFactory(parent=home, title="档案", slug="archive")
    create_articles(random.Random(1), [(column, "history")], covers=[], total=1010)
    monkeypatch.setattr(column_models, "ARTICLES_PER_PAGE", 1)

    response = client.get(column.url, {"page": 1005})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".pagination .current").get_text() == "1005"
    links = {a.get_text() for a in soup.select(".pagination a")}
    assert {"1", "1004", "1006", "1010", "上一页", "下一页"} <= links
    assert len(soup.select(".article-list .article-item")) == 1


def test_column_query_count_is_constant(
    client: Client,
    news: ColumnPage,
    site_settings: SiteSettings,
    django_assert_max_num_queries: Any,
) -> None:
    create_articles(random.Random(2), [(news, "news")], covers=[], total=40)
    client.get(news.url)
    with django_assert_max_num_queries(5):
        assert len(titles(client, news.url)) == 20


def test_list_excerpt_shows_the_body_text_as_written(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    ArticleFactory(
        parent=news, summary="", body="<p>公式 a&lt;b &amp; c&gt;d，<b>重</b>要</p><p>第二段</p>"
    )
    soup = BeautifulSoup(client.get(news.url).content, "html.parser")
    assert soup.select_one(".item-excerpt").get_text() == "公式 a<b & c>d，重要第二段"

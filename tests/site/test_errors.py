from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import latest_articles
from kanwu.columns.models import ColumnPage
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/no-such-page/", "/news/no-such-article/", "/news/?page=xyz"])
def test_missing_pages_answer_404_in_chinese(client: Client, news: ColumnPage, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page
    assert "返回首页" in page


def test_missing_page_offers_search_and_the_latest_articles(
    client: Client, news: ColumnPage
) -> None:
    base = timezone.now() - dt.timedelta(days=30)
    articles = [
        ArticleFactory(parent=news, title=f"第{n}篇文章", published_at=base + dt.timedelta(days=n))
        for n in range(7)
    ]
    ArticleFactory(parent=news, title="未发布的文章", live=False)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_offers_the_way_on(response.content, articles[:-6:-1])


def assert_offers_the_way_on(content: bytes, newest: list[ArticlePage]) -> None:
    """The page has a search form for /search/?q= and links to `newest`, newest first."""
    soup = BeautifulSoup(content, "html.parser")
    form = soup.select_one(".lost-reader form[role=search]")
    assert form is not None
    assert (form["action"], form["method"]) == ("/search/", "get")
    assert form.select_one("input[type=search][name=q]")["aria-label"] == "搜索本站文章"
    links = soup.select(".lost-latest a")
    assert [a.get_text() for a in links] == [article.title for article in newest]
    assert [a["href"] for a in links] == [article.url for article in newest]


def test_latest_articles_take_one_query(news: ColumnPage, django_assert_num_queries: Any) -> None:
    for _ in range(7):
        ArticleFactory(parent=news)
    latest_articles(5)  # the view restrictions, read once per process (core.visibility)
    with django_assert_num_queries(1):
        assert len(latest_articles(5)) == 5

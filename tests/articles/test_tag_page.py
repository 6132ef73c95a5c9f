"""标签: each tag on an article links to the tag's page, which lists its articles."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def titles(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    page = BeautifulSoup(response.content, "html.parser")
    return [a.get_text() for a in page.select(".article-list .item-title")]


def test_article_tags_link_to_pages_listing_their_articles(
    client: Client, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> None:
    older = ArticleFactory(parent=history, title="较早的统战文章", tags=["统战", "史话"])
    newer = ArticleFactory(parent=news, title="较新的统战文章", tags=["统战"])
    ArticleFactory(parent=news, title="别的文章", tags=["经济"])
    hidden = ArticleFactory(parent=news, title="撤下的统战文章", tags=["统战"])
    hidden.unpublish()

    page = BeautifulSoup(client.get(older.url).content, "html.parser")
    links = [(a.get_text(), a["href"]) for a in page.select(".article-tags a")]
    assert [name for name, _ in links] == ["统战", "史话"]
    tag_url = links[0][1]
    assert tag_url == "/tag/%E7%BB%9F%E6%88%98/"

    assert titles(client, tag_url) == [newer.title, older.title]  # newest first, live only
    response = client.get(tag_url)
    crumb = BeautifulSoup(response.content, "html.parser").select_one("nav.breadcrumb")
    assert crumb is not None and crumb.get_text() == "您的位置：首页 > 标签：统战"
    assert "<title>标签：统战 - " in response.content.decode()
    assert titles(client, links[1][1]) == [older.title]


def test_tag_pages_are_paginated_and_refuse_what_does_not_exist(
    client: Client, news: ColumnPage, site_settings: SiteSettings, monkeypatch: Any
) -> None:
    monkeypatch.setattr("kanwu.articles.views.TAG_ARTICLES_PER_PAGE", 2)
    for number in range(5):
        ArticleFactory(parent=news, title=f"第{number}篇", tags=["统战"])
    ArticleFactory(parent=news, title="只有草稿", tags=["草稿标签"]).unpublish()

    assert titles(client, "/tag/统战/") == ["第4篇", "第3篇"]
    assert titles(client, "/tag/统战/?page=3") == ["第0篇"]
    page = client.get("/tag/统战/?page=2").content.decode()
    assert "共 5 篇" in page and 'href="?page=3"' in page
    for url in ["/tag/统战/?page=4", "/tag/统战/?page=x", "/tag/没有的标签/", "/tag/草稿标签/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "页面不存在" in response.content.decode()


def test_tag_page_query_count_does_not_grow_with_articles(
    client: Client, news: ColumnPage, site_settings: SiteSettings,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    for number in range(25):
        ArticleFactory(parent=news, title=f"文章{number}", tags=["统战"])
    client.get("/tag/统战/")
    with django_assert_max_num_queries(4):
        assert len(titles(client, "/tag/统战/")) == 20

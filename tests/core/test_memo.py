"""Site-wide values remembered per process (kanwu.core.memo) must follow every change."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import PageViewRestriction, Site

from kanwu.columns.models import ColumnPage
from kanwu.core import memo
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory, make_image

pytestmark = pytest.mark.django_db


def breadcrumb(client: Client, url: str) -> str:
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return soup.select_one(".breadcrumb").get_text()


def test_a_view_restriction_added_later_applies_at_once(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=news)
    assert client.get(article.url).status_code == 200  # the check's answer is now remembered
    restriction = PageViewRestriction.objects.create(
        page=news, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(article.url)
    assert response.status_code == 302 and "login" in response["Location"]
    restriction.delete()
    assert client.get(article.url).status_code == 200


def test_renamed_column_shows_in_breadcrumb_and_navigation(
    client: Client, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=history)
    assert "统战史话" in breadcrumb(client, article.url)
    history.title = "统战故事"
    history.save_revision().publish()
    assert "统战故事" in breadcrumb(client, article.url)
    news.title = "要闻"
    news.save_revision().publish()
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert "要闻" in soup.select_one(".main-nav").get_text()
    assert "要闻" in soup.select_one(".breadcrumb").get_text()


def test_changed_settings_and_new_cover_show_on_the_next_view(
    client: Client, news: ColumnPage, site_settings: SiteSettings, settings: Any
) -> None:
    article = ArticleFactory(parent=news)
    related = ArticleFactory(parent=news, cover=make_image("旧封面"))
    client.get(article.url)  # the header, toolbar and footer are now remembered
    site_settings.site_name = "新的网站名称"
    site_settings.webmaster_qq = "10086"
    site_settings.logo = make_image("新标志")
    site_settings.save()
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert soup.select_one(".footer-name").get_text() == "新的网站名称"
    assert soup.select_one(".qq-number").get_text() == "10086"
    assert soup.select_one(".brand img")["alt"] == "新的网站名称"
    related.cover = make_image("新封面")
    related.save_revision().publish()
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    thumbs = [img["src"] for img in soup.select(".related-item img")]
    assert any(related.cover.get_rendition("fill-240x160").url == src for src in thumbs)


def test_a_host_no_site_names_gets_the_default_site(
    client: Client, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=news)
    site = Site.objects.get(is_default_site=True)
    for host in ("unknown.example", "other.example:8080", site.hostname):
        assert client.get(article.url, HTTP_HOST=host).status_code == 200


def test_the_remembered_trail_holds_columns_not_articles(
    news: ColumnPage, history: ColumnPage
) -> None:
    articles = [ArticleFactory(parent=history, title=f"文章{n}") for n in range(3)]
    remembered = {crumb.title for crumb in memo._containers().values()}
    assert {"新闻", "统战史话"} <= remembered
    assert not remembered & {article.title for article in articles}
    assert [crumb.title for crumb in memo.trail(articles[0])] == ["新闻", "统战史话"]

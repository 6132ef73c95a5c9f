"""The home page: lead story, newest of each top column, toolbar and footer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory, ColumnFactory, make_image

pytestmark = pytest.mark.django_db


def test_lead_story_and_sections_per_top_column(
    client: Client, home: Any, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> None:
    notice = ColumnFactory(parent=home, title="通知公告", slug="notice")
    now = timezone.now()
    ArticleFactory(
        parent=history, title="旧的头条", cover=make_image(), published_at=now - timedelta(days=2)
    )
    lead = ArticleFactory(parent=history, title="今日头条", cover=make_image(), published_at=now)
    ArticleFactory(parent=notice, title="放假通知", published_at=now - timedelta(days=1))

    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.select_one(".lead-story h1 a").get_text() == lead.title
    sections = {
        section.select_one(".box-title a").get_text(): [
            a.get_text() for a in section.select(".item-title")
        ]
        for section in soup.select(".home-section")
    }
    assert sections == {"新闻": ["今日头条", "旧的头条"], "通知公告": ["放假通知"]}
    nav = [a.get_text() for a in soup.select(".nav-strip a")]
    assert nav == ["首页", "新闻", "通知公告"]
    assert soup.select_one("#toolbar") is not None
    assert soup.select_one("footer.site-footer") is not None
    assert soup.title.get_text() == "测试新闻网"


def test_a_sticky_article_with_a_cover_leads_before_newer_ones(
    client: Client, home: Any, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> None:
    now = timezone.now()
    sticky = ArticleFactory(
        parent=history, title="置顶头条", cover=make_image(), sticky=True,
        published_at=now - timedelta(days=3),
    )  # fmt: skip
    ArticleFactory(parent=history, title="较新的文章", cover=make_image(), published_at=now)
    ArticleFactory(parent=history, title="置顶无图", sticky=True, published_at=now)

    lead = BeautifulSoup(client.get("/").content, "html.parser").select_one(".lead-story h1 a")
    assert lead.get_text() == sticky.title

    sticky.sticky = False
    sticky.save_revision().publish()
    lead = BeautifulSoup(client.get("/").content, "html.parser").select_one(".lead-story h1 a")
    assert lead.get_text() == "较新的文章"


def test_empty_site_home_page_renders(client: Client, home: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "首页" in response.content.decode()


def test_home_query_count_does_not_grow_with_articles(
    client: Client,
    home: Any,
    news: ColumnPage,
    site_settings: SiteSettings,
    django_assert_max_num_queries: Any,
) -> None:
    notice = ColumnFactory(parent=home, title="通知公告", slug="notice")
    for number in range(8):
        ArticleFactory(parent=news, title=f"要闻{number}", cover=make_image(), source_name="新华社")
        ArticleFactory(parent=notice, title=f"通知{number}", is_repost=True, source_name="人民网")
    client.get("/")
    # The columns, one list per column, the lead (sticky first) with its cover and rendition,
    # the 头条 推荐位 (how many hold it, then the newest) and the 加粗/跳转 推荐位 of every
    # list at once.
    with django_assert_max_num_queries(10):
        soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert len(soup.select(".home-section .article-item")) == 12
    assert "来源：人民网" in soup.select(".home-section")[1].get_text()


def test_the_newest_headline_slot_leads_the_page_with_its_summary(
    client: Client, home: Any, news: ColumnPage, site_settings: SiteSettings
) -> None:
    from kanwu.articles.models import ArticleSlot, Flag

    now = timezone.now()
    covered = ArticleFactory(parent=news, title="有图的新闻", cover=make_image(), published_at=now)
    assert BeautifulSoup(client.get("/").content, "html.parser").select_one(".headline") is None

    older = ArticleFactory(
        parent=news, title="较早的头条", summary="较早头条的摘要。",
        published_at=now - timedelta(days=1),
    )  # fmt: skip
    newest = ArticleFactory(
        parent=news, title="今日头条", summary="今日头条的摘要。", cover=make_image(),
        published_at=now - timedelta(hours=1),
    )  # fmt: skip
    for article in (older, newest):
        ArticleSlot.objects.create(article=article, flag=Flag.HEADLINE)

    soup = BeautifulSoup(client.get("/").content, "html.parser")
    headline = soup.select_one(".headline")
    assert headline.select_one("h1 a").get_text() == "今日头条"
    assert headline.select_one("h1 a")["href"] == newest.url
    assert "今日头条的摘要。" in headline.get_text()
    # The lead below it is another article, never the 头条 again.
    assert soup.select_one(".lead-story h2 a").get_text() == covered.title
    assert len(soup.select("h1")) == 1

    ArticleSlot.objects.filter(article=newest).update(expires_at=now - timedelta(minutes=1))
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.select_one(".headline h1 a").get_text() == "较早的头条"


def test_the_headline_is_not_repeated_as_the_lead(
    client: Client, home: Any, news: ColumnPage, site_settings: SiteSettings
) -> None:
    from kanwu.articles.models import ArticleSlot, Flag

    article = ArticleFactory(parent=news, title="唯一的头条", cover=make_image())
    ArticleSlot.objects.create(article=article, flag=Flag.HEADLINE)
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.select_one(".headline h1 a").get_text() == "唯一的头条"
    assert soup.select_one(".lead-story") is None

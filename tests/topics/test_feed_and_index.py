"""A 专题's RSS feed (专题 - 站名) and the 专题 index listing the topics."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import PageViewRestriction, Site

from kanwu.columns.models import ColumnPage
from kanwu.site.models import HomePage, SiteSettings
from kanwu.topics.models import TOPICS_PER_PAGE, TopicIndexPage, TopicPage
from tests.factories import ArticleFactory, make_image
from tests.feeds import feed_of
from tests.topics.conftest import MakeArticle, MakeTopic, section

pytestmark = pytest.mark.django_db
BASE = "https://news.example.cn"


def test_topic_feed_lists_its_articles_newest_first_on_the_configured_address(
    client: Client,
    configured: Site,
    make_topic: MakeTopic,
    make_article: MakeArticle,
    site_settings: SiteSettings,
) -> None:
    old = make_article("手选的旧文", 0, author="张三")
    for day in (1, 2, 3):
        make_article(f"统战文章{day}", day, tags=["统战"])
    make_article("草稿", 4, tags=["统战"], live=False)
    topic = make_topic(
        "同心专题",
        [section("手选", articles=[old]), section("标签", tags="统战", count=2)],
        intro="<p>导语<b>文字</b></p>",
    )
    feed = feed_of(client, f"{topic.url}feed/")
    channel = feed.find("channel")
    assert channel.find("title", recursive=False).get_text() == "同心专题 - 测试新闻网"
    assert channel.find("language").get_text() == "zh-CN"
    assert channel.find("link", recursive=False).get_text() == f"{BASE}{topic.url}"
    assert channel.find("description", recursive=False).get_text() == "导语文字"
    titles = [item.find("title").get_text() for item in feed.find_all("item")]
    assert titles == ["统战文章3", "统战文章2", "手选的旧文"]
    links = [item.find("link").get_text() for item in feed.find_all("item")]
    assert all(link.startswith(f"{BASE}/news/") for link in links)
    assert feed.find_all("item")[-1].find("dc:creator").get_text() == "张三"


def test_feeds_of_missing_restricted_or_draft_topics_are_404(
    client: Client, index: TopicIndexPage, make_topic: MakeTopic, site_settings: SiteSettings
) -> None:
    assert client.get("/zhuanti/no-such-topic/feed/").status_code == 404
    draft = TopicPage(title="未发布的专题", live=False)
    index.add_child(instance=draft)
    assert client.get(f"{draft.url}feed/").status_code == 404
    private = make_topic("内部专题", [section("文章", tags="统战")])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert client.get(f"{private.url}feed/").status_code == 404


def test_column_feeds_still_answer(
    client: Client, news: ColumnPage, index: TopicIndexPage, site_settings: SiteSettings
) -> None:
    ArticleFactory(parent=news, title="新闻文章")
    titles = [i.find("title").get_text() for i in feed_of(client, "/news/feed/").find_all("item")]
    assert titles == ["新闻文章"]


def test_index_lists_live_topics_newest_first_with_banners(
    client: Client,
    index: TopicIndexPage,
    make_topic: MakeTopic,
    site_settings: SiteSettings,
) -> None:
    index.intro = "围绕重大主题的系列报道。"
    index.save()
    banner = make_image("头图")
    first = make_topic("较早的专题", [section("文章", tags="统战")], banner=banner)
    make_topic("较新的专题", [section("文章", tags="统战")], intro="<p>新专题的导语</p>")
    draft = TopicPage(title="草稿专题", live=False)
    index.add_child(instance=draft)
    soup = BeautifulSoup(client.get(index.url).content, "html.parser")
    titles = [a.get_text(strip=True) for a in soup.select(".topic-card-title a")]
    assert titles == ["较新的专题", "较早的专题"]
    cards = soup.select(".topic-card")
    assert cards[0].select_one(".topic-card-intro").get_text() == "新专题的导语"
    assert cards[1].select_one(".topic-card-banner img") is not None
    assert cards[1].select_one(".topic-card-title a")["href"] == first.url
    crumb = soup.select_one("nav.breadcrumb").get_text(" ", strip=True)
    assert crumb == "您的位置： 首页 > 专题"
    description = soup.head.find("meta", attrs={"name": "description"})["content"]
    assert description == "围绕重大主题的系列报道。"


def test_index_is_paginated(
    client: Client, index: TopicIndexPage, make_topic: MakeTopic, site_settings: SiteSettings
) -> None:
    for number in range(TOPICS_PER_PAGE + 1):
        make_topic(f"专题{number}", [section("文章", tags="统战")])
    first = BeautifulSoup(client.get(index.url).content, "html.parser")
    assert len(first.select(".topic-card")) == TOPICS_PER_PAGE
    assert first.select_one(".pagination .total").get_text() == f"共 {TOPICS_PER_PAGE + 1} 个专题"
    second = BeautifulSoup(client.get(f"{index.url}?page=2").content, "html.parser")
    assert [a.get_text() for a in second.select(".topic-card-title a")] == ["专题0"]
    assert client.get(f"{index.url}?page=9").status_code == 404
    assert client.get(f"{index.url}?page=abc").status_code == 404


def test_index_is_in_the_navigation_once_it_has_a_topic(
    client: Client,
    home: HomePage,
    news: ColumnPage,
    index: TopicIndexPage,
    make_topic: MakeTopic,
    site_settings: SiteSettings,
) -> None:
    ArticleFactory(parent=news)

    def menu() -> list[str]:
        soup = BeautifulSoup(client.get("/").content, "html.parser")
        return [a.get_text() for a in soup.select("nav.main-nav .nav-menu a")]

    assert menu() == ["首页", "新闻"]
    make_topic("第一个专题", [section("文章", tags="统战")])
    assert menu() == ["首页", "新闻", "专题"]

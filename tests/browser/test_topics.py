"""A 专题 page on a phone: the banner fits, the sections read, an article opens on a tap."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kanwu.columns.models import ColumnPage
from kanwu.site.models import HomePage, SiteSettings
from kanwu.topics.models import TopicIndexPage, TopicPage
from tests.factories import ArticleFactory, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def topic(home: HomePage, news: ColumnPage, site_settings: SiteSettings) -> TopicPage:
    cover = make_image("封面")
    for number in range(5):
        ArticleFactory(
            parent=news, title=f"统一战线专题报道第{number}篇", tags=["统战"], cover=cover
        )
    index = TopicIndexPage(title="专题", slug="zhuanti")
    home.add_child(instance=index)
    topic = TopicPage(
        title="同心筑梦",
        banner=make_image("头图", "#1d4f91"),
        intro="<p>围绕统一战线的系列报道。</p>",
        sections=[("section", {"heading": "最新报道", "tags": "统战", "count": 5, "articles": []})],
    )
    index.add_child(instance=topic)
    return topic


def test_topic_on_a_phone_opens_an_article(live_server: Any, phone: Page, topic: TopicPage) -> None:
    phone.goto(live_server.url + topic.url)
    expect(phone.locator("nav.breadcrumb")).to_have_text("您的位置：首页 > 专题 > 同心筑梦")
    banner = phone.locator("img.topic-banner-image")
    expect(banner).to_be_visible()
    assert banner.evaluate("img => img.complete && img.naturalWidth > 0")
    width = phone.evaluate("() => document.documentElement.clientWidth")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= width
    box = banner.bounding_box()
    assert box is not None and box["width"] <= width
    expect(phone.locator("section.topic-section h2")).to_have_text("最新报道")
    titles = phone.locator("section.topic-section .item-title")
    expect(titles).to_have_count(5)
    first = titles.first
    name = first.inner_text()
    first.click()
    expect(phone.locator("h1")).to_have_text(name)
    expect(phone.locator("nav.breadcrumb")).to_contain_text("新闻")

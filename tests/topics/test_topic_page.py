"""A 专题 page: sections by tag and by hand, what readers never see, and its query budget."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from kanwu.columns.models import ColumnPage
from kanwu.site.models import HomePage, SiteSettings
from kanwu.topics.blocks import SectionBlock
from kanwu.topics.models import TopicIndexPage
from tests.factories import ArticleFactory, ColumnFactory, make_image
from tests.topics.conftest import MakeArticle, MakeTopic, section

pytestmark = pytest.mark.django_db


def soup_of(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def sections_of(soup: BeautifulSoup) -> dict[str, list[str]]:
    """Each section's heading and the titles it lists, in order."""
    return {
        box.find("h2").get_text(strip=True): [
            link.get_text(strip=True) for link in box.select(".item-title")
        ]
        for box in soup.select("section.topic-section")
    }


def test_sections_by_tag_and_by_hand_without_duplicates(
    client: Client, make_topic: MakeTopic, make_article: MakeArticle, site_settings: SiteSettings
) -> None:
    old = make_article("早年的座谈会", 0)
    for day in range(1, 7):
        make_article(f"统战新闻{day}", day, tags=["统战"])
    make_article("侨务消息", 7, tags=["侨务"])
    make_article("没有标签的文章", 8)
    topic = make_topic(
        "同心聚力",
        [
            section("要闻", tags="统战", count=2, articles=[old]),
            section("更多", tags="统战，侨务", count=3),
            section("回顾", articles=[old]),  # picked before: nothing left, omitted
        ],
    )
    soup = soup_of(client, topic.url)
    assert sections_of(soup) == {
        "要闻": ["早年的座谈会", "统战新闻6", "统战新闻5"],
        "更多": ["侨务消息", "统战新闻4", "统战新闻3"],
    }
    # The first article of a section has its excerpt; every article its date.
    first = soup.select_one("section.topic-section li.topic-first")
    assert first.select_one(".item-excerpt").get_text(strip=True)
    assert first.select_one("time").get_text() == "2026-03-01"
    assert len(soup.select("section.topic-section time")) == 6
    crumb = soup.select_one("nav.breadcrumb").get_text(" ", strip=True)
    assert crumb == "您的位置： 首页 > 专题 > 同心聚力"
    assert soup.select_one("h1").get_text(strip=True) == "同心聚力"
    assert len(soup.find_all("h1")) == 1


def test_a_hand_picked_article_stays_in_the_section_that_picked_it(
    client: Client, make_topic: MakeTopic, make_article: MakeArticle, site_settings: SiteSettings
) -> None:
    newest = make_article("最新的统战文章", 9, tags=["统战"])
    make_article("较早的统战文章", 1, tags=["统战"])
    topic = make_topic(
        "专题二", [section("按标签", tags="统战", count=2), section("编辑推荐", articles=[newest])]
    )
    assert sections_of(soup_of(client, topic.url)) == {
        "按标签": ["较早的统战文章"],
        "编辑推荐": ["最新的统战文章"],
    }


def test_drafts_and_view_restricted_articles_are_never_shown(
    client: Client,
    home: HomePage,
    make_topic: MakeTopic,
    make_article: MakeArticle,
    site_settings: SiteSettings,
) -> None:
    members = ColumnFactory(parent=home, title="内部", slug="members")
    PageViewRestriction.objects.create(
        page=members, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    shown = make_article("公开的文章", 1, tags=["统战"])
    draft = make_article("草稿文章", 2, tags=["统战"], live=False)
    hidden = make_article("内部文章", 3, tags=["统战"], parent=members)
    topic = make_topic(
        "专题三",
        [
            section("按标签", tags="统战"),
            section("手选", articles=[draft, hidden, shown]),
            section("全是草稿", articles=[draft]),
        ],
    )
    body = client.get(topic.url).content.decode()
    assert "草稿文章" not in body
    assert "内部文章" not in body
    assert sections_of(BeautifulSoup(body, "html.parser")) == {"手选": ["公开的文章"]}
    assert "全是草稿" not in body


def test_an_empty_topic_says_so(
    client: Client, make_topic: MakeTopic, site_settings: SiteSettings
) -> None:
    topic = make_topic("空专题", [section("没有文章", tags="不存在的标签")])
    soup = soup_of(client, topic.url)
    assert not soup.select("section.topic-section")
    assert "这个专题暂时还没有文章" in soup.select_one(".content").get_text()


def test_banner_intro_and_feed_link(
    client: Client, make_topic: MakeTopic, make_article: MakeArticle, site_settings: SiteSettings
) -> None:
    make_article("统战文章", 1, tags=["统战"])
    banner = make_image("头图", "#204080")
    topic = make_topic(
        "有头图的专题",
        [section("文章", tags="统战")],
        banner=banner,
        intro="<p>这是<b>导语</b>。</p>",
    )
    soup = soup_of(client, topic.url)
    image = soup.select_one("header.topic-banner img.topic-banner-image")
    assert image is not None and image["alt"] == ""
    assert "srcset" in image.attrs
    assert soup.select_one(".topic-intro").get_text(strip=True) == "这是导语。"
    # The banner spans the page above the two columns of content and sidebar.
    assert soup.select_one("main > header.topic-banner") is not None
    feeds = {
        link["href"]: link["title"]
        for link in soup.head.find_all("link", rel="alternate", type="application/rss+xml")
    }
    assert feeds[f"{topic.url}feed/"] == "有头图的专题 - 测试新闻网"
    description = soup.head.find("meta", attrs={"name": "description"})["content"]
    assert description == "这是导语。"


def test_a_section_needs_tags_or_articles() -> None:
    block = SectionBlock()
    value = block.to_python({"heading": "空", "tags": "", "count": 6, "articles": []})
    with pytest.raises(ValidationError):
        block.clean(value)
    block.clean(block.to_python({"heading": "有", "tags": "统战", "count": 6, "articles": []}))


def test_five_sections_cost_no_more_queries_than_one(
    client: Client, make_topic: MakeTopic, make_article: MakeArticle, site_settings: SiteSettings
) -> None:
    cover = make_image()
    articles = [make_article(f"文章{n}", n, tags=[f"标签{n % 5}"], cover=cover) for n in range(30)]
    one = make_topic("一个栏目", [section("一", tags="标签0", articles=articles[:2])])
    five = make_topic(
        "五个栏目",
        [
            section(str(n), tags=f"标签{n}，标签{(n + 1) % 5}", count=4, articles=articles[n::9])
            for n in range(5)
        ],
    )

    def queries(url: str) -> int:
        client.get(url)  # remembered site-wide values and renditions
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    counted = queries(one.url), queries(five.url)
    print("queries (one section, five):", counted)
    assert counted[1] <= counted[0] <= 12
    assert sum(len(titles) for titles in sections_of(soup_of(client, five.url)).values()) > 20


def test_traditional_topic_page(
    client: Client, make_topic: MakeTopic, make_article: MakeArticle, site_settings: SiteSettings
) -> None:
    article = make_article("统战历史文章", 1, tags=["统战"])
    topic = make_topic("统一战线专题", [section("历史回顾", tags="统战")])
    soup = soup_of(client, "/zh-hant" + topic.url)
    assert soup.select_one("h1").get_text(strip=True) == "統一戰線專題"
    assert "歷史回顧" in soup.select_one("section.topic-section h2").get_text()
    link = soup.select_one("section.topic-section .item-title")["href"]
    assert link == "/zh-hant" + article.url


def test_topic_index_page_type_is_allowed_under_home(home: HomePage) -> None:
    assert TopicIndexPage in home.specific_class.allowed_subpage_models()
    assert TopicIndexPage.can_create_at(home)


def test_topics_are_not_columns(
    client: Client,
    make_topic: MakeTopic,
    make_article: MakeArticle,
    news: ColumnPage,
    site_settings: SiteSettings,
) -> None:
    """The home page's column blocks leave the 专题 index out, even when it holds a topic."""
    for day in range(1, 21):  # more than the blocks above the column grid show
        make_article(f"统战历史文章{day}", day, tags=["统战"])
    make_topic("统一战线专题", [section("历史回顾", tags="统战")])
    soup = soup_of(client, "/")
    boxes = soup.select(".column-box .box-title a:first-child")
    assert [a.get_text(strip=True) for a in boxes] == ["新闻"]


def test_share_card_and_breadcrumb_for_search_engines(
    client: Client, make_topic: MakeTopic, make_article: MakeArticle, site_settings: SiteSettings
) -> None:
    make_article("统战文章", 1, tags=["统战"])
    topic = make_topic("有头图的专题", [section("文章", tags="统战")], banner=make_image("头图"))
    head = soup_of(client, topic.url).head
    image = head.find("meta", property="og:image")
    assert image is not None and ".fill-640x400" in image["content"]
    blocks = [json.loads(tag.string) for tag in head.find_all("script", type="application/ld+json")]
    crumbs = next(block for block in blocks if block["@type"] == "BreadcrumbList")
    names = [item["name"] for item in crumbs["itemListElement"]]
    assert names == ["首页", "专题", "有头图的专题"]


# What HTML allows in <time datetime> for a moment: seconds with at most three decimals.
HTML_DATETIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)"


def test_dates_on_topic_pages_are_valid_html_times(
    client: Client,
    index: TopicIndexPage,
    make_topic: MakeTopic,
    news: ColumnPage,
    site_settings: SiteSettings,
) -> None:
    # Times as editors make them: to the microsecond, which HTML's datetime does not allow.
    ArticleFactory(parent=news, title="带微秒的文章", tags=["统战"], published_at=timezone.now())
    topic = make_topic("同心聚力", [section("要闻", tags="统战")])
    for url in (topic.url, index.url):
        times = soup_of(client, url).select("time")
        assert times, url
        for element in times:
            assert re.fullmatch(HTML_DATETIME, element["datetime"]), (url, element)

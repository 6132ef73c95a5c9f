"""The home page: the blocks an editor arranges (HomePage.body), each article shown once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kanwu.articles.models import ArticlePage, ArticleSlot, Flag
from kanwu.columns.models import ColumnPage
from kanwu.site.models import FriendLink, HomePage, SimplePage, SiteSettings
from tests.factories import ArticleFactory, ColumnFactory, make_image

pytestmark = pytest.mark.django_db


def soup_of(client: Client) -> BeautifulSoup:
    response = client.get("/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def lay_out(home: HomePage, *blocks: tuple[str, Any]) -> None:
    home.body = [{"type": kind, "value": value} for kind, value in blocks]
    home.save()


def hold(article: ArticlePage, *flags: str) -> None:
    for flag in flags:
        ArticleSlot.objects.create(article=article, flag=flag)


def titles(node: Any) -> list[str]:
    """The article titles a block shows, in order."""
    links = node.select(".title-list a, .box-lead span, .slide-title, .headline h2 a, .hot-list a")
    return [a.get_text() for a in links]


def main_titles(soup: BeautifulSoup) -> list[str]:
    return titles(soup.select_one(".home-blocks"))


def test_a_new_home_page_has_the_default_layout(home: HomePage) -> None:
    """The migration gives an existing home page blocks, so the site keeps its home."""
    kinds = [block.block_type for block in HomePage.objects.get(pk=home.pk).body]
    assert kinds == ["headline", "slides", "latest", "columns", "notices", "hot", "links"]


def test_the_default_layout_shows_each_block_and_each_article_once(
    client: Client, home: HomePage, news: ColumnPage, history: ColumnPage,
    site_settings: SiteSettings,
) -> None:  # fmt: skip
    notice = ColumnFactory(parent=home, title="通知公告", slug="notice")
    now = timezone.now()
    headline = ArticleFactory(
        parent=news,
        title="今日头条",
        summary="头条的摘要。",
        published_at=now,
    )
    hold(headline, Flag.HEADLINE, Flag.SLIDESHOW, Flag.SCROLLING)  # shown once, as the 头条
    slides = [
        ArticleFactory(
            parent=history,
            title=f"幻灯{n}",
            cover=make_image(),
            published_at=now - timedelta(hours=n),
        )
        for n in range(1, 4)
    ]
    for article in slides:
        hold(article, Flag.SLIDESHOW)
    older = [
        ArticleFactory(
            parent=parent, title=f"{parent.title}{n}", published_at=now - timedelta(days=n)
        )
        for parent in (news, notice)
        for n in range(1, 12)
    ]
    hold(older[-1], Flag.SCROLLING)
    FriendLink.objects.create(name="中国政府网", url="https://www.gov.cn/", sort_order=2)
    FriendLink.objects.create(name="新华网", url="https://www.xinhuanet.com/", sort_order=1)

    soup = soup_of(client)
    assert soup.select_one(".headline h2 a").get_text() == "今日头条"
    assert "头条的摘要。" in soup.select_one(".headline").get_text()
    assert [s.get_text() for s in soup.select(".slide-title")] == ["幻灯1", "幻灯2", "幻灯3"]
    latest = soup.select(".home-list")[0]
    assert latest.select_one(".box-title").get_text() == "最新文章"
    # Newest first (ties: the later written first), without the 头条 and the 幻灯.
    assert titles(latest) == [f"{title}{n}" for n in range(1, 5) for title in ("通知公告", "新闻")]
    boxes = {
        box.select_one(".box-title a").get_text(): titles(box)
        for box in soup.select(".column-grid .column-box")
    }
    # Each top column's newest, without what the blocks above showed.
    assert boxes == {
        "新闻": ["新闻5", "新闻6", "新闻7", "新闻8", "新闻9", "新闻10"],
        "通知公告": ["通知公告5", "通知公告6", "通知公告7", "通知公告8", "通知公告9", "通知公告10"],
    }
    notices = soup.select(".home-list")[1]
    assert titles(notices) == ["通知公告11"]  # the 滚动 slot, but not the 头条 again
    assert [a.get_text() for a in soup.select(".friend-links a")] == ["新华网", "中国政府网"]
    shown = Counter(main_titles(soup))
    assert [title for title, times in shown.items() if times > 1] == []
    assert len(soup.select("h1")) == 1
    # Dates as readers' days, valid for <time> (no microseconds).
    for time in soup.select(".home-blocks time"):
        assert len(time["datetime"]) == 10
    assert soup.select_one(".slide-dots a[href='#slides-2-2']") is not None


def test_a_sticky_article_heads_the_page_without_a_headline(
    client: Client, home: HomePage, news: ColumnPage, site_settings: SiteSettings
) -> None:
    now = timezone.now()
    ArticleFactory(parent=news, title="较新的文章", published_at=now)
    sticky = ArticleFactory(
        parent=news, title="置顶文章", sticky=True, published_at=now - timedelta(days=3)
    )
    assert soup_of(client).select_one(".headline h2 a").get_text() == "置顶文章"
    sticky.sticky = False
    sticky.save_revision().publish()
    assert soup_of(client).select_one(".headline") is None


def test_the_newest_headline_slot_leads_and_expires(
    client: Client, home: HomePage, news: ColumnPage, site_settings: SiteSettings
) -> None:
    now = timezone.now()
    older = ArticleFactory(parent=news, title="较早的头条", published_at=now - timedelta(days=1))
    newest = ArticleFactory(
        parent=news,
        title="今日头条",
        summary="今日头条的摘要。",
        published_at=now - timedelta(hours=1),
    )
    hold(older, Flag.HEADLINE)
    hold(newest, Flag.HEADLINE)
    headline = soup_of(client).select_one(".headline")
    assert headline.select_one("h2 a").get_text() == "今日头条"
    assert headline.select_one("h2 a")["href"] == newest.url

    ArticleSlot.objects.filter(article=newest).update(expires_at=now - timedelta(minutes=1))
    soup = soup_of(client)
    assert soup.select_one(".headline h2 a").get_text() == "较早的头条"
    assert main_titles(soup).count("今日头条") == 1  # in the lists below, now


def test_empty_blocks_are_left_out(
    client: Client, home: HomePage, news: ColumnPage, site_settings: SiteSettings
) -> None:
    empty = ColumnFactory(parent=home, title="空栏目", slug="empty")
    ArticleFactory(parent=news, title="唯一的文章")
    soup = soup_of(client)
    for selector in [".headline", ".slides", ".hot", ".friend-links"]:
        assert soup.select_one(selector) is None, selector
    # The article is the newest: shown there, so the grid has nothing left to show.
    assert main_titles(soup) == ["唯一的文章"]
    assert soup.select_one(".column-grid") is None
    assert empty.title not in soup.select_one(".home-blocks").get_text()


def test_an_empty_site_home_page_renders(client: Client, home: HomePage) -> None:
    soup = soup_of(client)
    assert soup.select_one(".home-blocks .empty").get_text() == "暂无内容"


def test_chosen_columns_notices_from_a_column_banner_and_bold_titles(
    client: Client, home: HomePage, news: ColumnPage, history: ColumnPage,
    site_settings: SiteSettings,
) -> None:  # fmt: skip
    notice = ColumnFactory(parent=home, title="通知公告", slug="notice")
    theory = ColumnFactory(parent=home, title="理论", slug="theory")
    now = timezone.now()
    covered = ArticleFactory(parent=history, title="史话带图", cover=make_image(), published_at=now)
    hold(covered, Flag.BOLD)
    ArticleFactory(parent=history, title="史话无图", published_at=now - timedelta(hours=1))
    ArticleFactory(parent=news, title="新闻本栏", published_at=now - timedelta(hours=2))
    ArticleFactory(parent=theory, title="理论文章", published_at=now)
    ArticleFactory(parent=notice, title="停电通知", published_at=now)
    special = SimplePage(title="学习二十大专题", slug="special")
    home.add_child(instance=special)
    banner = make_image("横幅")
    lay_out(
        home,
        ("banner", {"image": banner.pk, "page": special.pk, "title": ""}),
        # 统战史话 is under 新闻: each article still appears once.
        ("columns", {"columns": [history.pk, news.pk], "count": 6, "width": "2"}),
        ("notices", {"title": "公告", "column": notice.pk, "count": 5}),
    )
    soup = soup_of(client)
    link = soup.select_one(".banner a")
    assert link["href"] == special.url
    assert link.img is not None
    assert link.get_text() == "学习二十大专题"  # the chosen page's title, without a caption
    grid = soup.select_one(".column-grid")
    assert "grid-2" in grid["class"]
    boxes = {
        box.select_one(".box-title a").get_text(): titles(box) for box in grid.select(".column-box")
    }
    assert boxes == {"统战史话": ["史话带图", "史话无图"], "新闻": ["新闻本栏"]}
    lead = grid.select_one(".box-lead")
    assert lead.img is not None and lead.strong.get_text() == "史话带图"  # 加粗
    notices = soup.select_one(".home-list")
    assert notices.select_one(".box-title a").get_text() == "公告"
    assert notices.select_one(".box-title a")["href"] == notice.url
    assert titles(notices) == ["停电通知"]
    assert "理论文章" not in soup.select_one(".home-blocks").get_text()


def test_the_query_count_does_not_grow_with_columns(
    client: Client, home: HomePage, site_settings: SiteSettings
) -> None:
    """Every column block's articles in one query, thumbnails from memory: a home of 12
    columns costs what a home of 3 does."""

    def add_columns(count: int, start: int) -> None:
        for number in range(start, start + count):
            column = ColumnFactory(parent=home, title=f"栏目{number}", slug=f"c{number}")
            for n in range(3):
                article = ArticleFactory(
                    parent=column, title=f"栏目{number}文章{n}", cover=make_image()
                )
                if n == 0:
                    hold(article, Flag.SLIDESHOW)

    def queries() -> int:
        client.get("/")  # the renditions made and remembered
        with CaptureQueriesContext(connection) as captured:
            soup = soup_of(client)
        assert soup.select(".column-box")
        return len(captured)

    lay_out(
        home,
        ("headline", None),
        ("slides", {"count": 5}),
        ("latest", {"title": "最新", "count": 1}),
        ("columns", {"columns": [], "count": 6, "width": "3"}),
        ("notices", {"title": "通知公告", "column": None, "count": 8}),
        ("hot", {"title": "热门", "count": 10}),
        ("links", None),
    )
    add_columns(3, 0)
    few = queries()
    add_columns(9, 3)
    assert queries() == few
    # The columns, their articles, 头条 and 置顶, 幻灯, 最新, 滚动 (how many hold each 推荐位,
    # then the holders), 热门, 友情链接, 加粗/跳转 of every title.
    assert few <= 14, few


def test_a_hot_block_skips_what_the_page_showed(
    client: Client, home: HomePage, news: ColumnPage, site_settings: SiteSettings
) -> None:
    from kanwu.articles.hot import hot_lists_store
    from kanwu.articles.models import HotArticle

    read = [ArticleFactory(parent=news, title=f"热文{n}") for n in range(3)]
    hot_lists_store(lists={(None, HotArticle.Period.WEEK): [a.pk for a in read]})
    lay_out(
        home,
        ("latest", {"title": "最新文章", "count": 1}),
        ("hot", {"title": "阅读排行", "count": 10}),
    )
    soup = soup_of(client)
    assert titles(soup.select_one(".home-list")) == ["热文2"]
    hot = soup.select_one(".hot")
    assert hot.select_one(".box-title").get_text() == "阅读排行"
    assert titles(hot) == ["热文0", "热文1"]

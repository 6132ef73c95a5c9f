"""The home page as readers see it: the first screen of a phone, the 幻灯 without JavaScript,
the column grid on a desktop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from kanwu.articles.models import ArticleSlot, Flag
from kanwu.columns.models import ColumnPage
from kanwu.site.models import FriendLink, HomePage, SiteSettings
from tests.browser.conftest import open_page
from tests.factories import ArticleFactory, ColumnFactory, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Titles of the lengths a news site's have (14 to 24 characters).
TITLES = [
    "全省统一战线工作会议在省会召开",
    "民主党派省委会开展专题调研活动",
    "以高质量发展推动新时代统战工作再上新台阶",
    "新的社会阶层人士服务团走进乡村",
    "港澳台侨青年交流营开营仪式举行",
    "宗教界人士座谈会聚焦依法治理",
    "民族团结进步示范创建工作推进会召开",
]


@pytest.fixture
def portal(
    home: HomePage, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> HomePage:
    """A home of the default layout with every block filled."""
    columns = [
        news,
        ColumnFactory(parent=home, title="政策法规", slug="policy"),
        ColumnFactory(parent=home, title="理论研究", slug="theory"),
        ColumnFactory(parent=home, title="基层风采", slug="grassroots"),
    ]
    cover = make_image("封面", "#1565c0")
    now = timezone.now()
    number = 0
    for n in range(8):  # the columns' articles interleaved in time, as on a real site
        for column in columns:
            number += 1
            ArticleFactory(
                parent=column,
                title=f"{TITLES[number % len(TITLES)]}（{number}）",
                summary="会议强调，要坚持大团结大联合，广泛凝聚共识，为全省高质量发展汇聚力量。"
                * 2,
                cover=cover if n % 2 == 0 else None,
                published_at=now - timedelta(hours=number),
            )
    covered = list(ArticleFactory._meta.model.objects.filter(cover__isnull=False)[:4])
    ArticleSlot.objects.create(article=covered[0], flag=Flag.HEADLINE)
    for article in covered[1:]:
        ArticleSlot.objects.create(article=article, flag=Flag.SLIDESHOW)
    for n, name in enumerate(["中国政府网", "人民网", "新华网"]):
        FriendLink.objects.create(name=name, url=f"https://example{n}.cn/", sort_order=n)
    return home


@pytest.fixture
def phone_without_js(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from open_page(
        browser, request, viewport=PHONE, is_mobile=True, has_touch=True,
        java_script_enabled=False,
    )  # fmt: skip


def test_a_phone_shows_the_headline_and_five_titles_on_its_first_screen(
    live_server: Any, phone: Page, portal: HomePage
) -> None:
    phone.goto(live_server.url + "/")
    headline = phone.locator(".headline h2 a")
    expect(headline).to_be_visible()
    # What the bottom toolbar leaves of the screen.
    bottom = phone.evaluate(
        "window.innerHeight - (document.querySelector('.toolbar')?.offsetHeight || 0)"
    )
    box = headline.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= bottom
    titles = phone.locator(".home-blocks :is(.title-list a, .slide-title, .box-lead span)")
    seen = []
    for index in range(titles.count()):
        title = titles.nth(index)
        box = title.bounding_box()
        if box and title.is_visible() and box["y"] >= 0 and box["y"] + box["height"] <= bottom:
            seen.append(title.inner_text())
    assert len(seen) >= 5, seen
    assert phone.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_the_slideshow_turns_by_its_links_without_javascript(
    live_server: Any, phone_without_js: Page, portal: HomePage
) -> None:
    page = phone_without_js
    page.goto(live_server.url + "/")
    track = page.locator(".slides .slide-track")
    expect(page.locator(".slide-title").first).to_be_visible()
    width = track.evaluate("t => t.clientWidth")
    assert track.evaluate("t => t.scrollLeft") == 0

    slides = page.locator(".slide")
    slides.first.locator(".slide-next").click()
    # The track scrolled (the page's scripts are off: Playwright's own checks still run).
    expect(slides.nth(1)).to_be_in_viewport(ratio=0.9)
    expect(slides.first).not_to_be_in_viewport()
    page.locator(".slide-dots a").nth(2).click()
    expect(slides.nth(2)).to_be_in_viewport(ratio=0.9)
    expect(slides.nth(1)).not_to_be_in_viewport()
    assert abs(track.evaluate("t => t.scrollLeft") - 2 * width) < 2


def test_the_slideshow_arrows_keep_the_page_still_with_javascript(
    live_server: Any, phone: Page, portal: HomePage
) -> None:
    phone.emulate_media(reduced_motion="reduce")  # no autoplay: only the click moves it
    phone.goto(live_server.url + "/")
    phone.evaluate("window.scrollTo(0, 120)")
    width = phone.locator(".slide-track").evaluate("t => t.clientWidth")
    phone.locator(".slide").first.locator(".slide-next").click()
    phone.wait_for_function(
        "w => Math.abs(document.querySelector('.slide-track').scrollLeft - w) < 2", arg=width
    )
    assert phone.evaluate("window.scrollY") == 120
    expect(phone.locator(".slide-dots a").nth(1)).to_have_attribute("aria-current", "true")


def test_a_desktop_shows_the_columns_in_a_grid_of_three(
    live_server: Any, desktop: Page, portal: HomePage
) -> None:
    desktop.goto(live_server.url + "/")
    boxes = desktop.locator(".column-grid .column-box")
    expect(boxes.first).to_be_visible()
    tops = [round(boxes.nth(i).bounding_box()["y"]) for i in range(boxes.count())]  # type: ignore[index]
    assert len(tops) == 4
    assert tops[0] == tops[1] == tops[2] < tops[3]  # three in a row, the fourth below
    # 幻灯 and the newest articles side by side.
    slides = desktop.locator(".slides").bounding_box()
    latest = desktop.locator(".home-list").first.bounding_box()
    assert slides is not None and latest is not None
    assert slides["x"] < latest["x"] and abs(slides["y"] - latest["y"]) < 2

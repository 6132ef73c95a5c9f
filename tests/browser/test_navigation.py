"""The header navigation with many columns, in headless Chromium, at a phone's and a desktop's
width: one row on the desktop with the rest under 更多, every column reachable on the phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from kanwu.site.models import HomePage, SiteSettings
from tests.browser.conftest import open_page
from tests.factories import ArticleFactory, ColumnFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TITLES = [
    "要闻", "时政要闻", "经济", "社会民生", "文化", "教育", "科技创新", "体育", "法治",
    "理论学习", "图片新闻", "视频", "专题专栏", "通知公告",
]  # fmt: skip


@pytest.fixture
def columns(home: HomePage, site_settings: SiteSettings) -> list[str]:
    for title in TITLES:
        ArticleFactory(parent=ColumnFactory(parent=home, title=title), title=f"{title}的文章")
    return TITLES


@pytest.fixture
def phone375(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from open_page(
        browser, request, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )


@pytest.fixture
def desktop1280(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from open_page(browser, request, viewport={"width": 1280, "height": 800})


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


def test_desktop_header_is_one_row_with_the_rest_under_more(
    live_server: Any, desktop1280: Page, columns: list[str]
) -> None:
    page = desktop1280
    page.goto(live_server.url + "/")
    brand, strip, search = box(page, ".brand"), box(page, ".nav-strip"), box(page, ".search-box")
    header = box(page, ".site-header")
    assert header["height"] < 90, header
    for part in (strip, search):  # side by side with the site's name, not below it
        assert abs(part["y"] + part["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 12
    assert brand["x"] < strip["x"] < search["x"]
    # The strip's columns are all visible: nothing cut off or scrolled away.
    assert page.locator(".nav-strip").evaluate("ul => ul.scrollWidth <= ul.clientWidth")
    in_strip = page.locator(".nav-strip a:visible").all_inner_texts()
    assert in_strip[0] == "首页" and len(in_strip) >= 6
    expect(page.locator(".nav-menu")).to_be_hidden()

    more = page.locator(".nav-more")
    more.locator("summary").click()
    listed = more.locator("li a:visible").all_inner_texts()
    assert in_strip[1:] + listed == columns  # every column once, in order
    last = more.get_by_role("link", name="通知公告")
    expect(last).to_be_visible()
    last.click()
    expect(page.locator("h1")).to_contain_text("通知公告")


def test_phone_menu_reaches_every_column(
    live_server: Any, phone375: Page, columns: list[str]
) -> None:
    page = phone375
    page.goto(live_server.url + "/")
    expect(page.locator(".nav-strip")).to_be_hidden()
    expect(page.locator(".nav-more")).to_be_hidden()
    button = page.locator(".nav-menu summary")
    expect(button).to_be_visible()
    assert box(page, ".nav-menu summary")["x"] + box(page, ".nav-menu summary")["width"] <= 375
    button.click()
    for title in ["首页", *columns]:
        link = page.locator(".nav-menu").get_by_role("link", name=title, exact=True)
        expect(link).to_be_visible()
        where = link.bounding_box()
        assert where is not None and 0 <= where["x"] and where["x"] + where["width"] <= 375, title
    # The page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator(".nav-menu").get_by_role("link", name="专题专栏").click()
    expect(page.locator("h1")).to_contain_text("专题专栏")

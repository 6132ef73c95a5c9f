"""A title of 200 characters without a break point wraps on every page that shows it: a phone
never scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "Unbroken" * 25  # 200 characters, no space, no CJK character to break at


@pytest.fixture
def long_one(history: ColumnPage, site_settings: SiteSettings) -> ArticlePage:
    """The long title in every place a title shows: its own page, lists, 为您推荐, 每日一读,
    the home page, search results and the 404 page's newest articles."""
    site_settings.daily_reading_column = history
    site_settings.save()
    article = ArticleFactory(parent=history, title=LONG, slug="long", body="<p>统一战线</p>")
    ArticleFactory(parent=history, title="另一篇文章", slug="other", body="<p>统一战线</p>")
    return article


def test_a_long_unbroken_title_wraps_at_phone_width(
    live_server: Any, phone: Page, long_one: ArticlePage, history: ColumnPage
) -> None:
    addresses = [
        long_one.url,
        "/news/history/other/",
        history.url,
        "/",
        "/search/?q=统一战线",
        "/no-such-page/",
    ]
    for address in addresses:
        phone.goto(live_server.url + address)
        expect(phone.get_by_text(LONG, exact=True).first).to_be_visible()
        assert no_sideways_scroll(phone), address
    # A search for the title itself finds nothing (the box takes 100 characters) and says so,
    # quoting the query.
    phone.goto(live_server.url + "/search/?q=" + LONG)
    expect(phone.locator(".search-list .empty")).to_contain_text(LONG)
    assert no_sideways_scroll(phone)


def no_sideways_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"))

"""The article page's 字号 switch, its 打印本页 button and its printed form, in Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.browser.conftest import violations
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium's print dialog would wait forever in a headless run: count the calls instead.
COUNT_PRINTS = "window.__prints = 0; window.print = () => { window.__prints += 1; };"


@pytest.fixture
def article(history: ColumnPage, site_settings: SiteSettings) -> ArticlePage:
    return ArticleFactory(
        parent=history, body="".join(f"<p>第{n}段：统一战线的历史。</p>" for n in range(5))
    )


def body_font_px(page: Page) -> float:
    size = page.locator(".article-body").evaluate("el => getComputedStyle(el).fontSize")
    return float(size.removesuffix("px"))


def test_larger_type_is_chosen_and_remembered(
    live_server: Any, watched: tuple[Page, list[str]], article: ArticlePage
) -> None:
    page, console = watched
    page.goto(live_server.url + article.url)
    large = page.get_by_role("button", name="大字号")
    expect(large).to_be_visible()
    expect(page.get_by_role("button", name="中字号")).to_have_attribute("aria-pressed", "true")
    before = body_font_px(page)

    large.click()

    expect(large).to_have_attribute("aria-pressed", "true")
    assert body_font_px(page) > before
    page.reload()
    expect(page.get_by_role("button", name="大字号")).to_have_attribute("aria-pressed", "true")
    assert body_font_px(page) > before

    page.get_by_role("button", name="小字号").click()
    assert body_font_px(page) < before
    assert violations(page, console) == []


def test_print_button_prints_the_article_alone_full_width(
    live_server: Any, desktop: Page, article: ArticlePage
) -> None:
    desktop.add_init_script(COUNT_PRINTS)
    desktop.goto(live_server.url + article.url)

    desktop.get_by_role("button", name="打印本页").click()
    assert desktop.evaluate("window.__prints") == 1

    desktop.emulate_media(media="print")
    for hidden in [
        ".site-header",
        ".toolbar",
        ".sidebar",
        ".related",
        "#comments",
        ".article-tools",
    ]:
        expect(desktop.locator(hidden).first).to_be_hidden()
    expect(desktop.locator(".article-body")).to_be_visible()
    article_width = desktop.locator("article.article").evaluate("el => el.offsetWidth")
    assert article_width >= desktop.evaluate("document.documentElement.clientWidth") - 1

"""What a reader sees and clicks on an article page, in headless Chromium."""

from __future__ import annotations

import random
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.demo.builder import create_articles
from kanwu.site.models import SiteSettings
from tests.deadlines import DEADLINE
from tests.factories import make_image

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def article(history: ColumnPage, news: ColumnPage, site_settings: SiteSettings) -> ArticlePage:
    """A long reposted article among 12 others with covers, like a real portal page."""
    cover = make_image()
    create_articles(random.Random(7), [(history, "history"), (news, "news")], [cover.pk], 12)
    chosen = ArticlePage.objects.child_of(history).first()
    assert chosen is not None
    chosen.is_repost = True
    chosen.source_name = "远方日报"
    chosen.body = "".join(f"<p>第{n}段：统一战线的历史。{'正文' * 60}</p>" for n in range(30))
    chosen.save()
    return chosen


def test_article_page_elements(live_server: Any, desktop: Page, article: ArticlePage) -> None:
    desktop.goto(live_server.url + article.url)
    crumb = desktop.locator("nav.breadcrumb")
    expect(crumb).to_have_text("您的位置：首页 > 新闻 > 统战史话 > 正文")
    titles = desktop.locator(".related-item .related-title").all_inner_texts()
    assert len(titles) == 6
    assert len(set(titles)) == 6
    assert article.title not in titles
    for image in desktop.locator(".related-item img").all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(desktop.locator("aside.disclaimer")).to_contain_text("qinquan@example.cn")
    expect(desktop.locator("#toolbar")).to_be_visible()
    expect(desktop.locator("#respond h2")).to_have_text("发表回复")


def test_clicking_a_tag_lists_the_articles_with_it(
    live_server: Any, desktop: Page, article: ArticlePage
) -> None:
    desktop.goto(live_server.url + article.url)
    tag = desktop.locator(".article-tags a.tag").first
    name = tag.inner_text()
    tag.click()
    expect(desktop.locator("nav.breadcrumb")).to_have_text(f"您的位置：首页 > 标签：{name}")
    expect(desktop.locator("h1")).to_have_text(f"标签：{name}")
    expect(desktop.locator(".article-list .item-title", has_text=article.title)).to_be_visible()


def test_back_to_top_appears_after_scrolling_and_returns_to_top(
    live_server: Any, desktop: Page, article: ArticlePage
) -> None:
    desktop.goto(live_server.url + article.url)
    top = desktop.locator("#back-to-top")
    expect(top).to_be_hidden()
    desktop.mouse.wheel(0, 3000)
    desktop.wait_for_function("() => window.scrollY > 1000")
    expect(top).to_be_visible()
    top.click()
    desktop.wait_for_function("() => window.scrollY === 0", timeout=DEADLINE * 1000)
    expect(top).to_be_hidden()


def test_toolbar_pop_ups_show_qq_qr_and_submission(
    live_server: Any, desktop: Page, article: ArticlePage
) -> None:
    desktop.goto(live_server.url + article.url)
    qq = desktop.locator(".tool-qq .tool-pop")
    expect(qq).to_be_hidden()
    desktop.locator(".tool-qq").hover()
    expect(qq).to_be_visible()
    expect(qq).to_contain_text("12345678")
    desktop.locator(".tool-wechat").hover()
    qr = desktop.locator("img.wechat-qr")
    expect(qr).to_be_visible()
    # The code loads lazily, when first shown: wait for it.
    assert qr.evaluate("img => img.decode().then(() => img.naturalWidth > 0)")
    desktop.locator(".tool-submit").hover()
    expect(desktop.locator(".tool-submit .tool-pop")).to_contain_text("我们将24小时内回复")


def test_desktop_toolbar_stays_beside_the_text(
    live_server: Any, desktop: Page, article: ArticlePage
) -> None:
    desktop.goto(live_server.url + article.url)
    toolbar = desktop.locator("#toolbar").bounding_box()
    layout = desktop.locator(".layout").bounding_box()
    assert toolbar and layout
    assert toolbar["x"] >= layout["x"] + layout["width"]


def test_phone_toolbar_is_a_bottom_bar_that_never_hides_text(
    live_server: Any, phone: Page, article: ArticlePage
) -> None:
    phone.goto(live_server.url + article.url)
    bar = phone.locator("#toolbar").bounding_box()
    assert bar is not None
    assert bar["y"] + bar["height"] == pytest.approx(844, abs=1)
    assert bar["width"] == pytest.approx(390, abs=1)
    expect(phone.locator("#back-to-top")).to_be_visible()

    # At the very end of the page the last lines of text sit above the bar, not under it.
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    # A function, not an expression string: Playwright evaluates those with eval(), which the
    # pages' Content-Security-Policy forbids.
    phone.wait_for_function(
        "() => Math.ceil(window.scrollY + innerHeight) >= document.documentElement.scrollHeight"
    )
    for selector in ["footer.site-footer .contact", ".article-body p >> nth=-1"]:
        box = phone.locator(selector).bounding_box()
        assert box is not None
        bar = phone.locator("#toolbar").bounding_box()
        assert bar is not None
        if box["y"] + box["height"] > 0:  # on screen
            assert box["y"] + box["height"] <= bar["y"] + 1, selector

    # Tapping 关注我们 opens the QR code above the bar.
    phone.locator(".tool-wechat").tap()
    expect(phone.locator("img.wechat-qr")).to_be_visible()

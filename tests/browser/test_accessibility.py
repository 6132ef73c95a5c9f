"""The reader pages measured in headless Chromium at phone (390x844) and desktop (1366x900)
size: axe-core finds no serious or critical violation, list thumbnails keep their size, phone
excerpts stay within two lines, the toolbar shows drawn icons with labels, the comment form
looks like the submission form, and 每日一读 never offers the article being read."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.comments.services import comment_create
from kanwu.demo.builder import create_articles
from kanwu.search.services import search_rebuild_all
from kanwu.site.models import SiteSettings
from kanwu.takedowns.services import takedown_create, takedown_execute
from kanwu.topics.models import TopicIndexPage, TopicPage
from tests.browser.conftest import open_page
from tests.factories import ArticleFactory, make_image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "tools/audit/node_modules/axe-core/axe.min.js"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
# Every reader page axe checks; "{article}" is the article's address.
PAGES = {
    "专题 index": "/zhuanti/",
    "专题": "/zhuanti/tongzhan/",
    "home": "/",
    "column": "/news/",
    "article": "{article}",
    "search": "/search/?q=统一战线",
    "submit": "/submit/",
    "404": "/no-such-page/",
    "410": "/news/history/gone/",
}
LONG_TITLE = "一个很长很长的标题，" * 12  # wraps over several lines at any width


@pytest.fixture
def article(
    history: ColumnPage, news: ColumnPage, site_settings: SiteSettings, django_user_model: Any
) -> ArticlePage:
    """A portal's worth of pages: 12 articles with covers in two columns (one with a long
    title), 每日一读 from 统战史话, an approved comment, a 专题 with a banner and a section, and
    one article taken down (410)."""
    site_settings.daily_reading_column = history
    site_settings.save()
    create_articles(random.Random(7), [(history, "history"), (news, "news")], [make_image().pk], 12)
    # Every excerpt and search snippet is long enough to wrap over many lines on a phone.
    ArticlePage.objects.update(summary="", body="<p>" + "统一战线的历史与今天，" * 20 + "</p>")
    chosen = ArticlePage.objects.child_of(history).order_by("pk").first()
    assert chosen is not None
    chosen.title = LONG_TITLE
    chosen.body = "<p>统一战线的历史。</p>" + "".join(
        f"<p>第{n}段。{'正文' * 40}</p>" for n in range(8)
    )
    chosen.save()
    comment_create(
        article=chosen, parent=None, author_name="读者甲", author_email="jia@example.cn",
        body="写得很好，受益匪浅。", status="approved",
    )  # fmt: skip
    index = TopicIndexPage(title="专题", slug="zhuanti")
    news.get_parent().add_child(instance=index)
    topic = TopicPage(
        title="统一战线专题", slug="tongzhan", banner=make_image("专题头图"),
        intro="<p>围绕统一战线的系列报道。</p>",
        sections=[("section", {
            "heading": "最新报道", "tags": "", "count": 6,
            "articles": list(ArticlePage.objects.child_of(history).order_by("pk")[:4]),
        })],
    )  # fmt: skip
    index.add_child(instance=topic)
    gone = ArticleFactory(parent=history, title="被下架的文章", slug="gone")
    editor: User = django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-1")
    takedown = takedown_create(
        site=None, name="李四", organisation="", email="lisi@example.cn", phone="",
        right="copyright", reason="未经授权转载。", files=[],
        articles=[("http://testserver/news/history/gone/", gone)],
    )  # fmt: skip
    takedown_execute(takedown=takedown, user=editor)
    search_rebuild_all(recommend=True)
    return chosen


@pytest.fixture(params=["phone", "desktop"])
def audited(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page at phone or desktop size that lets axe-core in despite the CSP."""
    size = PHONE if request.param == "phone" else DESKTOP
    yield from open_page(browser, request, bypass_csp=True, **size)


def axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    if not AXE.exists():
        pytest.fail(
            f"axe-core is missing ({AXE}): run 'make audit-deps' (npm ci in tools/audit, "
            "which needs Node.js 20 and npm) before the browser tests."
        )
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.id} (${v.impact}): ${v.help} at ` +
                      v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))"""
    )
    return list(found)


def test_reader_pages_have_no_serious_axe_violations(
    live_server: Any, audited: Page, article: ArticlePage
) -> None:
    found = {}
    for name, path in PAGES.items():
        response = audited.goto(live_server.url + path.format(article=article.url))
        assert response is not None
        assert response.status == {"404": 404, "410": 410}.get(name, 200), name
        if violations := axe_violations(audited):
            found[name] = violations
    assert not found


@pytest.mark.parametrize(("size", "width"), [("phone", 110), ("desktop", 160)])
def test_list_thumbnails_keep_their_size_and_titles_line_up(
    live_server: Any, browser: Browser, request: pytest.FixtureRequest, article: ArticlePage,
    size: str, width: int,
) -> None:  # fmt: skip
    for page in open_page(browser, request, **(PHONE if size == "phone" else DESKTOP)):
        for path in ["/news/", "/search/?q=统一战线"]:  # the home: tests/browser/test_home.py
            page.goto(live_server.url + path)
            rows = page.locator(".article-item, .search-item").filter(has=page.locator(".thumb"))
            expect(rows.first).to_be_visible()
            assert rows.count() >= 3, path
            lefts = set()
            for row in rows.all():
                thumb = row.locator(".thumb img").bounding_box()
                title = row.locator(".item-title").bounding_box()
                assert thumb and title
                assert thumb["width"] == pytest.approx(width, abs=0.5), path
                assert thumb["height"] == pytest.approx(width * 2 / 3, abs=1), path
                lefts.add(round(title["x"]))
            assert len(lefts) == 1, (path, lefts)  # the long title's row as well


def test_phone_excerpts_take_at_most_two_lines(
    live_server: Any, browser: Browser, request: pytest.FixtureRequest, article: ArticlePage
) -> None:
    for page in open_page(browser, request, **PHONE):
        for path in ["/news/", "/search/?q=统一战线"]:
            page.goto(live_server.url + path)
            excerpts = page.locator(".item-excerpt")
            expect(excerpts.first).to_be_visible()
            for excerpt in excerpts.all():
                height, line = excerpt.evaluate(
                    "e => [e.getBoundingClientRect().height,"
                    " parseFloat(getComputedStyle(e).lineHeight)]"
                )
                assert line > 0
                assert line * 0.9 <= height <= 2 * line + 1, path
                assert excerpt.evaluate("e => e.innerText.length > 0")


TOOLS = {
    ".tool-top": "返回顶部",
    ".tool-qq": "站长QQ",
    ".tool-wechat": "关注我们",
    ".tool-submit": "投稿",
}


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_toolbar_shows_drawn_icons_with_labels(
    live_server: Any, browser: Browser, request: pytest.FixtureRequest, article: ArticlePage,
    size: str,
) -> None:  # fmt: skip
    for page in open_page(browser, request, **(PHONE if size == "phone" else DESKTOP)):
        page.goto(live_server.url + article.url)
        page.evaluate("window.scrollTo(0, 2000)")  # 返回顶部 shows once the reader scrolled
        page.wait_for_function("() => window.scrollY > 1000")
        toolbar = page.get_by_role("complementary", name="快捷工具")
        for selector, label in TOOLS.items():
            tool = page.locator(f"#toolbar {selector}")
            icon = tool.locator("svg.tool-icon")
            expect(icon).to_be_visible()
            box = icon.bounding_box()
            assert box and box["width"] >= 16 and box["height"] >= 16, selector
            assert icon.get_attribute("aria-hidden") == "true"
            expect(tool.locator(".tool-label")).to_have_text(label)
            # The letters the icons replace (Q 微 投 ▲) are gone; the label names the control.
            assert tool.inner_text().strip() == label, selector
            expect(toolbar.get_by_role(role_of(selector), name=label, exact=True)).to_be_visible()


def role_of(selector: str) -> Any:
    return "button" if selector in (".tool-qq", ".tool-wechat") else "link"


def test_toolbar_buttons_open_their_pop_ups_from_the_keyboard(
    live_server: Any, browser: Browser, request: pytest.FixtureRequest, article: ArticlePage
) -> None:
    for page in open_page(browser, request, **DESKTOP):
        page.goto(live_server.url + article.url)
        wechat = page.get_by_role("button", name="关注我们")
        expect(wechat).to_have_attribute("aria-expanded", "false")
        wechat.focus()
        page.keyboard.press("Enter")
        expect(wechat).to_have_attribute("aria-expanded", "true")
        expect(page.locator("img.wechat-qr")).to_be_visible()
        page.keyboard.press("Escape")
        expect(wechat).to_have_attribute("aria-expanded", "false")


FORM_STYLES = """e => { const s = getComputedStyle(e);
  return [s.borderTopWidth, s.borderTopColor, s.paddingTop, s.paddingLeft, s.fontSize,
          s.backgroundColor, s.color, s.fontWeight, s.display]; }"""


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_comment_form_looks_like_the_submission_form(
    live_server: Any, browser: Browser, request: pytest.FixtureRequest, article: ArticlePage,
    size: str,
) -> None:  # fmt: skip
    for page in open_page(browser, request, **(PHONE if size == "phone" else DESKTOP)):
        page.goto(live_server.url + "/submit/")
        submit = {
            "input": page.locator(".workflow-form input[type=text]").first.evaluate(FORM_STYLES),
            "textarea": page.locator(".workflow-form textarea").first.evaluate(FORM_STYLES),
            "label": page.locator(".workflow-form label").first.evaluate(FORM_STYLES),
            "button": page.locator(".workflow-form button").evaluate(FORM_STYLES),
            "required": page.locator(".workflow-form .required").first.evaluate(FORM_STYLES),
        }
        page.goto(live_server.url + article.url)
        form = page.locator("#commentform")
        expect(form).to_be_visible()
        comment = {
            "input": form.locator("#author").evaluate(FORM_STYLES),
            "textarea": form.locator("#comment").evaluate(FORM_STYLES),
            "label": form.locator("label[for=author]").evaluate(FORM_STYLES),
            "button": form.locator("button[type=submit]").evaluate(FORM_STYLES),
            "required": form.locator("label[for=author] .required").evaluate(FORM_STYLES),
        }
        assert comment == submit
        # The fields fill the form's width, like the submission form's.
        for field in ["#author", "#email", "#url", "#comment"]:
            box, whole = form.locator(field).bounding_box(), form.bounding_box()
            assert box and whole
            assert box["width"] == pytest.approx(whole["width"], abs=1), field
        # Required fields are marked * (and are required); 网址 is not.
        for field in ["author", "email", "comment"]:
            expect(form.locator(f"label[for={field}] .required")).to_have_text("*")
            expect(form.locator(f"#{field}")).to_have_attribute("required", "")
        expect(form.locator("label[for=url] .required")).to_have_count(0)


def test_daily_reading_never_offers_the_article_being_read(
    live_server: Any, desktop: Page, article: ArticlePage, history: ColumnPage
) -> None:
    """Whatever today's pick is, its own page offers another article of the column."""
    desktop.goto(live_server.url + "/")
    daily = desktop.locator(".daily-reading .daily-title")
    pick = daily.get_attribute("href")
    assert pick
    desktop.goto(live_server.url + pick)
    expect(desktop.locator(".daily-reading .daily-title")).to_be_visible()
    assert daily.get_attribute("href") != pick
    for other in ArticlePage.objects.live().child_of(history)[:4]:
        desktop.goto(live_server.url + other.url)
        assert daily.get_attribute("href") != other.url

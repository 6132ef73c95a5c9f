"""The freshness contract: each row of the invalidation registry, through the real front door.

In the style of Django's cache-backend contract tests: one class of cases, run once per page
store (the data folder and Redis) and, in CI, once per database. Every case warms the cache
and the static export, makes one change as an editor (or the worker) would, and asserts that
the next reader — through the WSGI fast path, and through the exported files nginx serves —
sees the change, while pages that do not show it stay cached.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
import redis
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.test import Client
from django.test.utils import override_settings
from PIL import Image as PILImage
from wagtail.models import Page, PageViewRestriction

from kanwu.articles.models import ArticlePage, ArticleSlot, Flag
from kanwu.articles.services import article_slots_change
from kanwu.columns.models import ColumnPage
from kanwu.comments.models import Comment
from kanwu.comments.services import comment_approve
from kanwu.core.timeutil import readers_today
from kanwu.publishing import invalidation
from kanwu.publishing.backends import get_store
from kanwu.publishing.hot import hot_refresh
from kanwu.publishing.static_export import Exporter, file_for
from kanwu.publishing.views_counter import counter
from kanwu.site.daily import daily_pick
from kanwu.site.models import FriendLink, HomePage, SimplePage, SiteSettings
from kanwu.takedowns.services import takedown_create, takedown_execute
from tests.factories import ArticleFactory, ColumnFactory, make_image
from tests.publishing.conftest import Reader

pytestmark = pytest.mark.django_db
Commit = Callable[..., AbstractContextManager[Any]]
REDIS_URL = os.environ.get("KANWU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TAG_A, TAG_B = "/tag/%E7%BB%9F%E6%88%98/", "/tag/%E5%8F%B2%E8%AF%9D/"  # 统战, 史话


def redis_store(location: Path) -> dict[str, Any]:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    return {
        "BACKEND": "kanwu.publishing.backends.redis.RedisStore",
        "OPTIONS": {"LOCATION": REDIS_URL, "PREFIX": f"test:{uuid.uuid4().hex}"},
    }


def file_store(location: Path) -> dict[str, Any]:
    return {
        "BACKEND": "kanwu.publishing.backends.files.FileStore",
        "OPTIONS": {"LOCATION": str(location)},
    }


class Site:
    """The site every case starts from, warmed into the cache and the export."""

    def __init__(self, reader: Reader, outdir: Path, **pages: Any) -> None:
        self.reader, self.outdir = reader, outdir
        self.home: HomePage = pages["home"]
        self.news: ColumnPage = pages["news"]
        self.history: ColumnPage = pages["history"]
        self.first: ArticlePage = pages["first"]
        self.second: ArticlePage = pages["second"]
        self.about: SimplePage = pages["about"]
        self.team: SimplePage = pages["team"]

    @property
    def urls(self) -> list[str]:
        pages = [self.home, self.news, self.history, self.first, self.second, self.about]
        feeds = ["/feed/", f"{self.news.url}feed/", "/sitemap-pages-1.xml", "/sitemap-news.xml"]
        return [*(page.url for page in pages), self.team.url, TAG_A, TAG_B, *feeds]

    def warm(self) -> None:
        for url in self.urls:
            self.reader.get(url)
            assert self.reader.get(url)[1]["X-Kanwu-Cache"] == "HIT", url
        Exporter(self.outdir).export_all()

    def text(self, url: str) -> str:
        return self.reader.text(url)

    def exported(self, url: str) -> str | None:
        path = self.outdir / file_for(url)
        return path.read_text() if path.exists() else None

    def cached(self, url: str) -> bool:
        return self.reader.get(url)[1].get("X-Kanwu-Cache") == "HIT"


@pytest.fixture(params=[file_store, redis_store], ids=["files", "redis"])
def site(
    request: pytest.FixtureRequest, tmp_path: Path, home: HomePage, news: ColumnPage,
    history: ColumnPage, site_settings: SiteSettings, django_capture_on_commit_callbacks: Commit,
) -> Iterator[Site]:  # fmt: skip
    config = {"ENABLED": True, **request.param(tmp_path / "pages")}
    outdir = tmp_path / "html"
    get_store.cache_clear()
    with override_settings(KANWU_PAGE_CACHE=config, KANWU_STATIC_DIR=outdir):
        with django_capture_on_commit_callbacks(execute=True):
            first = ArticleFactory(parent=history, title="第一篇文章", tags=["统战"])
            first.cover = make_image("封面")
            first.save_revision().publish()
            second = ArticleFactory(parent=news, title="第二篇文章", tags=["史话"])
            about = SimplePage(title="关于我们", slug="about")
            home.add_child(instance=about)
            team = SimplePage(title="工作团队", slug="team")
            about.add_child(instance=team)
        site = Site(
            Reader(), outdir, home=home, news=news, history=history, first=first, second=second,
            about=about, team=team,
        )  # fmt: skip
        site.warm()
        yield site
        get_store().clear()
    get_store.cache_clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Commit) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def editor(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_superuser("editor", "editor@example.cn", "pw-123456")


def test_editing_an_article(site: Site, committed: Any) -> None:
    with committed():
        site.first.title = "改过的标题"
        site.first.save_revision().publish()
    for url in ["/", site.news.url, site.history.url, site.first.url, TAG_A, "/feed/"]:
        assert "改过的标题" in site.text(url), url
        assert "改过的标题" in (site.exported(url) or ""), url
    for url in [site.about.url, site.team.url, TAG_B]:
        assert site.cached(url), url


def test_a_draft_purges_nothing(site: Site, committed: Any) -> None:
    with committed():
        site.first.title = "草稿里的标题"
        site.first.save_revision()
        site.news.title = "草稿里的栏目名"
        site.news.save_revision()
    for url in site.urls:
        assert site.cached(url), url
        assert "草稿里的" not in site.text(url), url


def test_publishing_a_new_article(site: Site, committed: Any) -> None:
    with committed():
        new = ArticleFactory(parent=site.history, title="刚发布的文章", tags=["统战"])
    column_feed = f"{site.news.url}feed/"
    for url in ["/", site.news.url, site.history.url, TAG_A, "/feed/", column_feed]:
        assert "刚发布的文章" in site.text(url), url
        assert "刚发布的文章" in (site.exported(url) or ""), url
    assert "刚发布的文章" in (site.exported(new.url) or "")
    for url in ["/sitemap-pages-1.xml", "/sitemap-news.xml"]:
        assert new.url in site.text(url), url
        assert new.url in (site.exported(url) or ""), url
    for url in [site.about.url, TAG_B]:
        assert site.cached(url), url


def test_unpublishing_an_article(site: Site, committed: Any) -> None:
    url = site.first.url
    with committed():
        site.first.unpublish()
    assert site.reader.get(url)[0] == 404
    assert site.exported(url) is None
    for page in ["/", site.news.url, site.history.url, "/feed/"]:
        assert "第一篇文章" not in site.text(page), page
        assert "第一篇文章" not in (site.exported(page) or ""), page
    assert site.cached(site.about.url)


def test_deleting_an_article(site: Site, committed: Any) -> None:
    url = site.first.url
    with committed():
        site.first.delete()
    assert site.reader.get(url)[0] == 404
    assert site.exported(url) is None
    for page in ["/", site.news.url, site.second.url]:
        assert "第一篇文章" not in site.text(page), page
    assert site.cached(TAG_B)


def test_moving_an_article(site: Site, committed: Any) -> None:
    other = ColumnFactory(parent=site.home, title="理论", slug="theory")
    with committed():
        Page.objects.get(pk=site.first.pk).move(other, pos="last-child")
    assert "第一篇文章" in site.text(other.url)
    assert "第一篇文章" not in site.text(site.history.url)
    assert "第一篇文章" in (site.exported(other.url) or "")
    assert site.reader.get(f"/theory/{site.first.slug}/")[0] == 200


def test_a_view_restriction_added_and_removed(site: Site, committed: Any) -> None:
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=site.history, restriction_type=PageViewRestriction.PASSWORD, password="x1"
        )
    for url in [site.history.url, site.first.url]:
        _, headers, body = site.reader.get(url)
        assert "X-Kanwu-Cache" not in headers, url
        assert "第一篇文章" not in body.decode(), url
        assert "X-Kanwu-Cache" not in site.reader.get(url)[1], url  # not stored either
        assert site.exported(url) is None, url
    for url in ["/", site.news.url, "/feed/", "/sitemap.xml", site.second.url]:
        assert "第一篇文章" not in site.text(url), url
        assert "第一篇文章" not in (site.exported(url) or ""), url
    assert site.reader.get(TAG_A)[0] == 404  # its only public article is restricted now
    assert site.exported(TAG_A) is None
    assert "统战史话" not in site.text("/").split("<main")[0]  # nor in the navigation

    with committed():
        restriction.delete()
    assert "第一篇文章" in site.text(site.first.url)
    for url in ["/", site.news.url, TAG_A, "/feed/"]:
        assert "第一篇文章" in site.text(url), url
    assert "第一篇文章" in (site.exported(site.first.url) or "")


def test_an_image_replaced(site: Site, committed: Any) -> None:
    image = site.first.cover
    before = site.text(site.history.url)
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), "#0d47a1").save(buffer, "JPEG")
    with committed():
        image.file = ImageFile(buffer, name="replaced.jpg")
        image.save()
        image.renditions.all().delete()  # as the admin's image editor does
    after = site.text(site.history.url)
    assert after != before
    assert "replaced" in after
    assert "replaced" in site.text(site.second.url)  # among its 为您推荐
    for url in [site.about.url, TAG_B]:
        assert site.cached(url), url


def test_a_nested_single_page_renamed(site: Site, committed: Any) -> None:
    with committed():
        site.about.title = "关于本会"
        site.about.save_revision().publish()
    breadcrumb = site.text(site.team.url).split("您的位置")[1].split("</nav>")[0]
    assert "关于本会" in breadcrumb
    assert "关于本会" in (site.exported(site.team.url) or "")


def sub_columns_of(html: str | None) -> list[str]:
    nav = BeautifulSoup(html or "", "html.parser").select_one("nav.sub-columns")
    return [a.get_text() for a in nav.select("a")] if nav else []


def test_a_sub_column_renamed_and_unpublished(site: Site, committed: Any) -> None:
    assert sub_columns_of(site.text(site.news.url)) == ["统战史话"]
    with committed():
        site.history.title = "统战史话专栏"
        site.history.save_revision().publish()
    assert sub_columns_of(site.text(site.news.url)) == ["统战史话专栏"]
    assert sub_columns_of(site.exported(site.news.url)) == ["统战史话专栏"]

    with committed():
        site.history.unpublish()
    assert sub_columns_of(site.text(site.news.url)) == []
    assert sub_columns_of(site.exported(site.news.url)) == []


def test_site_settings_changed(site: Site, committed: Any, site_settings: SiteSettings) -> None:
    with committed():
        site_settings.site_name = "改名后的新闻网"
        site_settings.save()
    for url in site.urls:
        if url == "/sitemap-pages-1.xml":
            continue  # addresses only; the feeds and the news sitemap name the site
        assert "改名后的新闻网" in site.text(url), url
        assert "改名后的新闻网" in (site.exported(url) or ""), url


def test_a_comment_approved(site: Site, committed: Any) -> None:
    comment = Comment.objects.create(
        article=site.first, author_name="读者甲", author_email="a@example.cn", body="写得真好！"
    )
    with committed():
        comment_approve(comment=comment)
    assert "写得真好！" in site.text(site.first.url)
    assert "写得真好！" in (site.exported(site.first.url) or "")
    for url in ["/", site.news.url, site.about.url, TAG_A]:
        assert site.cached(url), url


def test_a_takedown(site: Site, committed: Any, editor: User) -> None:
    item = takedown_create(
        site=None, name="李四", organisation="", email="lisi@example.cn", phone="",
        right="copyright", reason="未经授权转载。",
        articles=[(f"http://testserver{site.first.url}", site.first)], files=[],
    )  # fmt: skip
    with committed():
        takedown_execute(takedown=item, user=editor)
    assert site.reader.get(site.first.url)[0] == 410
    assert site.exported(site.first.url) is None
    for url in ["/", site.history.url, "/feed/", site.second.url]:
        assert "第一篇文章" not in site.text(url), url
        assert "第一篇文章" not in (site.exported(url) or ""), url
    assert site.reader.get(TAG_A)[0] == 404  # its only article is gone
    assert site.exported(TAG_A) is None
    assert site.cached(site.about.url)


def test_midnight(
    site: Site, committed: Any, site_settings: SiteSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ArticleFactory(parent=site.history, title="史话之二")
    with committed():
        site_settings.daily_reading_column = site.history
        site_settings.save()
    site.warm()
    today = readers_today()
    invalidation.new_day()  # remembers today
    tomorrow = today + dt.timedelta(days=1)
    monkeypatch.setattr(invalidation, "readers_today", lambda: tomorrow)
    monkeypatch.setattr("kanwu.site.templatetags.kanwu_site.readers_today", lambda: tomorrow)
    invalidation.new_day()
    pick = daily_pick(site.history, tomorrow)
    assert pick is not None
    assert pick.title in site.text("/").split('class="daily-reading')[1]
    assert pick.title in (site.exported("/") or "").split('class="daily-reading')[1]
    cache.delete(invalidation.DAY_KEY)


def home_layout(site: Site, committed: Any, *blocks: tuple[str, Any]) -> None:
    """The home page's blocks as an editor publishes them; the site warmed again."""
    with committed():
        site.home.body = [{"type": kind, "value": value} for kind, value in blocks]
        site.home.save_revision().publish()
    site.warm()


def test_a_hot_list_changes(site: Site, client: Client, committed: Any) -> None:
    # The home's 热门 first: below the other blocks, it would skip the two articles they show.
    home_layout(site, committed, ("hot", {"title": "热门", "count": 10}), ("latest", {}))
    for number in range(3):  # the worker's beacon counts, written in a batch
        client.post(f"/_/views/{site.first.pk}/", REMOTE_ADDR=f"10.7.0.{number + 1}")
    counter.flush()
    hot_refresh()  # the worker's tick
    for url in ["/", site.news.url, site.history.url]:
        assert "第一篇文章" in site.text(url).split('class="hot box')[1], url
        assert "第一篇文章" in (site.exported(url) or "").split('class="hot box')[1], url
    for url in [site.about.url, site.first.url, TAG_A]:
        assert site.cached(url), url


def test_the_favicon_or_share_image_replaced(
    site: Site, committed: Any, site_settings: SiteSettings
) -> None:
    """Every page links the favicon and (without a cover) shows the share image: replacing
    either image's file purges the pages showing it and rewrites their exported files."""

    def square(title: str, colour: str) -> Any:
        image = make_image(title, colour)
        buffer = io.BytesIO()
        PILImage.new("RGB", (400, 400), colour).save(buffer, "PNG")
        image.file = ImageFile(buffer, name=f"{title}.png")
        image.save()
        return image

    with committed():
        site_settings.favicon = square("icon", "#b71c1c")
        site_settings.share_image = square("share", "#1b5e20")
        site_settings.save()
    site.warm()
    for image, name in [
        (site_settings.favicon, "newicon"),
        (site_settings.share_image, "newshare"),
    ]:
        buffer = io.BytesIO()
        PILImage.new("RGB", (400, 400), "#0d47a1").save(buffer, "PNG")
        with committed():
            image.file = ImageFile(buffer, name=f"{name}.png")
            image.save()
            image.renditions.all().delete()  # as the admin's image editor does
        for url in ["/", site.news.url, site.about.url, TAG_B]:
            assert name in site.text(url), (url, name)
            assert name in (site.exported(url) or ""), (url, name)


def headline_of(html: str | None) -> str:
    """The 头条 block's text on the home page, or ""."""
    parts = (html or "").split('class="headline"')
    return parts[1].split("</section>")[0] if len(parts) > 1 else ""


def test_a_slot_set_and_removed_in_bulk(site: Site, committed: Any, editor: User) -> None:
    with committed():
        article_slots_change(articles=[site.second], flag=Flag.HEADLINE, hold=True, user=editor)
    assert "第二篇文章" in headline_of(site.text("/"))
    assert "第二篇文章" in headline_of(site.exported("/"))
    for url in [site.about.url, site.history.url, TAG_A]:
        assert site.cached(url), url

    with committed():
        article_slots_change(articles=[site.second], flag=Flag.BOLD, hold=True, user=editor)
    assert "<strong>第二篇文章</strong>" in site.text(site.news.url)
    assert "<strong>第二篇文章</strong>" in site.text(TAG_B)

    with committed():
        article_slots_change(articles=[site.second], flag=Flag.HEADLINE, hold=False, user=editor)
    assert headline_of(site.text("/")) == ""
    assert headline_of(site.exported("/")) == ""


def test_a_slot_expiring_ends_the_cached_copy(site: Site, committed: Any) -> None:
    now = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(now, tick=False):
        with committed():
            article_slots_change(
                articles=[site.first], flag=Flag.HEADLINE, hold=True,
                expires_at=now + dt.timedelta(hours=1),
            )  # fmt: skip
        assert "第一篇文章" in headline_of(site.text("/"))
        assert site.cached("/")
    with time_machine.travel(now + dt.timedelta(minutes=59), tick=False):
        assert site.cached("/")
    with time_machine.travel(now + dt.timedelta(hours=1), tick=False):
        _, headers, body = site.reader.get("/")
        assert headers.get("X-Kanwu-Cache") != "HIT"
        assert headline_of(body.decode()) == ""


def navigation_of(html: str | None) -> str:
    parts = (html or "").split('class="main-nav"')
    return parts[1].split("</nav>")[0] if len(parts) > 1 else ""


def test_a_column_gaining_its_first_article_and_losing_its_last(site: Site, committed: Any) -> None:
    with committed():
        notice = ColumnFactory(parent=site.home, title="通知公告", slug="notice")
    site.warm()
    assert "通知公告" not in navigation_of(site.text(site.about.url))  # empty: not shown

    with committed():
        article = ArticleFactory(parent=notice, title="放假通知")
    for url in [site.about.url, site.first.url, TAG_B]:
        assert "通知公告" in navigation_of(site.text(url)), url
        assert "通知公告" in navigation_of(site.exported(url)), url

    with committed():
        article.unpublish()
    for url in [site.about.url, site.first.url]:
        assert "通知公告" not in navigation_of(site.text(url)), url
        assert "通知公告" not in navigation_of(site.exported(url)), url


def test_a_slot_set_and_removed_in_the_editor(site: Site, committed: Any) -> None:
    with committed():
        site.second.slots = [ArticleSlot(flag=Flag.HEADLINE)]
        site.second.save_revision().publish()
    assert "第二篇文章" in headline_of(site.text("/"))
    assert "第二篇文章" in headline_of(site.exported("/"))
    assert site.cached(site.about.url)
    with committed():
        site.second.slots = []
        site.second.save_revision().publish()
    assert headline_of(site.text("/")) == ""


def test_a_slot_expiring_renders_the_exported_pages_again(site: Site, committed: Any) -> None:
    now = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(now, tick=False):
        with committed():
            article_slots_change(
                articles=[site.first], flag=Flag.HEADLINE, hold=True,
                expires_at=now + dt.timedelta(hours=1),
            )  # fmt: skip
        assert "第一篇文章" in headline_of(site.exported("/"))
        invalidation.slots_lapsed()  # the worker's first tick
    with time_machine.travel(now + dt.timedelta(minutes=59), tick=False):
        with committed():
            invalidation.slots_lapsed()
        assert "第一篇文章" in headline_of(site.exported("/"))
    with time_machine.travel(now + dt.timedelta(hours=1, seconds=30), tick=False):
        with committed():
            invalidation.slots_lapsed()
        assert headline_of(site.exported("/")) == ""
        assert site.cached(site.about.url)
    cache.delete(invalidation.SLOTS_KEY)


def block_of(html: str | None, css_class: str) -> str:
    """The text of the home block with this class, or ""."""
    parts = (html or "").split(f'class="{css_class}')
    return parts[1].split("</section>")[0] if len(parts) > 1 else ""


def test_an_article_published_in_a_column_the_home_shows(site: Site, committed: Any) -> None:
    chosen = [{"type": "item", "value": site.history.pk, "id": str(uuid.uuid4())}]
    grid = {"columns": chosen, "count": 6, "width": "3"}
    home_layout(site, committed, ("columns", grid))
    assert "第一篇文章" in block_of(site.text("/"), "box column-box")

    with committed():
        ArticleFactory(parent=site.history, title="史话新篇")
    assert "史话新篇" in block_of(site.text("/"), "box column-box")
    assert "史话新篇" in block_of(site.exported("/"), "box column-box")
    assert site.cached(site.about.url)


def test_a_slideshow_slot_set_and_removed(site: Site, committed: Any, editor: User) -> None:
    with committed():
        article_slots_change(articles=[site.first], flag=Flag.SLIDESHOW, hold=True, user=editor)
    assert "第一篇文章" in block_of(site.text("/"), "slides")
    assert "第一篇文章" in block_of(site.exported("/"), "slides")
    assert site.cached(site.about.url)
    with committed():
        article_slots_change(articles=[site.first], flag=Flag.SLIDESHOW, hold=False, user=editor)
    assert block_of(site.text("/"), "slides") == ""
    assert block_of(site.exported("/"), "slides") == ""


def test_friend_links_edited(site: Site, committed: Any) -> None:
    with committed():
        link = FriendLink.objects.create(name="中国政府网", url="https://www.gov.cn/")
    assert "中国政府网" in block_of(site.text("/"), "box friend-links")
    assert "中国政府网" in block_of(site.exported("/"), "box friend-links")
    for url in [site.about.url, site.news.url, site.first.url]:
        assert site.cached(url), url
    site.warm()

    with committed():
        link.name = "中国政府门户网站"
        link.save()
    assert "中国政府门户网站" in block_of(site.text("/"), "box friend-links")
    assert "中国政府门户网站" in block_of(site.exported("/"), "box friend-links")
    for url in [site.about.url, site.news.url, site.first.url]:
        assert site.cached(url), url

    with committed():
        link.delete()
    assert block_of(site.text("/"), "box friend-links") == ""

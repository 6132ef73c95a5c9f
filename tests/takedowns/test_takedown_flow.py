"""A takedown goes through Wagtail, removes the article from every public surface, answers
410 Gone, and is undone by restoring."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from wagtail.models import PageLogEntry

from kanwu.articles.models import ArticlePage
from kanwu.casework.models import AuditEntry
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from kanwu.takedowns.models import Takedown, TakedownArticle
from kanwu.takedowns.services import takedown_create, takedown_execute, takedown_restore
from tests.factories import ArticleFactory
from tests.publishing.conftest import Reader, page_cache, reader  # noqa: F401 (fixtures)
from tests.site.test_errors import assert_offers_the_way_on

pytestmark = pytest.mark.django_db

TITLE = "被投诉的独特文章标题甲乙丙"


@pytest.fixture
def editor(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_superuser("editor", "editor@example.cn", "pw-123456")


@pytest.fixture
def target(
    news: ColumnPage, history: ColumnPage, site_settings: SiteSettings,
    django_capture_on_commit_callbacks: Any,
) -> ArticlePage:  # fmt: skip
    """The article complained about: alone in 统战史话 (today's 每日一读), sharing a tag with
    the other articles, published through Wagtail so search indexes it."""
    site_settings.daily_reading_column = history
    site_settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(parent=history, title=TITLE, slug="target", tags=["统战"])
        article.save_revision().publish()
        for n in range(3):
            ArticleFactory(parent=news, title=f"其他文章{n}", slug=f"other-{n}", tags=["统战"])
    return article


def make_request(target: ArticlePage) -> Takedown:
    return takedown_create(
        site=None,
        name="李四",
        organisation="某某出版社",
        email="lisi@example.cn",
        phone="",
        right="copyright",
        reason="该文转载自我社出版物，未经授权。",
        articles=[("http://testserver/news/history/target/", target)],
        files=[],
    )


def surfaces(client: Client) -> dict[str, str]:
    pages = {
        "column": client.get("/news/"),
        "sub-column": client.get("/news/history/"),
        "home": client.get("/"),
        "other article": client.get("/news/other-0/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
    soup = {name: BeautifulSoup(r.content, "html.parser") for name, r in pages.items()}
    return {
        "column": soup["column"].select_one("main").get_text(),
        "sub-column": soup["sub-column"].select_one(".content").get_text(),
        "home": soup["home"].select_one(".content").get_text(),
        "related": " ".join(t.get_text() for t in soup["other article"].select(".related-title")),
        "daily reading": soup["home"].select_one(".daily-reading").get_text(),
    }


def test_taken_down_article_leaves_every_surface_answers_410_and_comes_back(
    client: Client, target: ArticlePage, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    before = surfaces(client)
    for name, text in before.items():
        assert TITLE in text, name
    assert client.get(target.url).status_code == 200  # now also in the page cache

    item = make_request(target)
    with django_capture_on_commit_callbacks(execute=True):
        takedown_execute(takedown=item, user=editor)

    target.refresh_from_db()
    assert not target.live
    assert PageLogEntry.objects.filter(page=target, action="wagtail.unpublish").exists()
    gone = client.get("/news/history/target/")
    assert gone.status_code == 410
    page = gone.content.decode()
    assert "内容已下架" in page
    assert TITLE not in page
    others = ArticlePage.objects.filter(slug__startswith="other-").order_by("-slug")
    assert_offers_the_way_on(gone.content, list(others))
    assert client.get("/news/history/target").status_code in (301, 410)
    for name, text in surfaces(client).items():
        assert TITLE not in text, name
    assert TakedownArticle.objects.get().state == "taken_down"
    assert item.status == "taken_down"
    assert AuditEntry.objects.filter(action="take_down", object_id=str(item.pk)).exists()

    with django_capture_on_commit_callbacks(execute=True):
        takedown_restore(takedown=item, user=editor)
    target.refresh_from_db()
    assert target.live
    assert client.get("/news/history/target/").status_code == 200
    for name, text in surfaces(client).items():
        assert TITLE in text, name
    assert AuditEntry.objects.filter(action="restore", object_id=str(item.pk)).exists()
    assert {m.subject for m in mail.outbox} >= {
        "侵权投诉处理结果：相关文章已下架",
        "侵权投诉处理进展：相关文章已恢复发布",
    }


def test_taken_down_article_leaves_search_and_comes_back(
    client: Client, target: ArticlePage, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    def found() -> str:
        response = client.get("/search/", {"q": "独特文章标题"})
        assert response.status_code == 200
        return " ".join(
            a.get_text()
            for a in BeautifulSoup(response.content, "html.parser").select(".search-list a")
        )

    assert TITLE in found()
    item = make_request(target)
    with django_capture_on_commit_callbacks(execute=True):
        takedown_execute(takedown=item, user=editor)
    assert TITLE not in found()
    with django_capture_on_commit_callbacks(execute=True):
        takedown_restore(takedown=item, user=editor)
    assert TITLE in found()


def test_other_missing_pages_stay_404(client: Client, target: ArticlePage) -> None:
    assert client.get("/news/history/no-such-article/").status_code == 404


def test_an_editor_without_publish_permission_cannot_take_down(
    target: ArticlePage, django_user_model: type[User], client: Client
) -> None:
    from django.core.exceptions import PermissionDenied

    nobody = django_user_model.objects.create_user("nobody", "n@example.cn", "pw-123456")
    item = make_request(target)
    with pytest.raises(PermissionDenied):
        takedown_execute(takedown=item, user=nobody)
    target.refresh_from_db()
    assert target.live
    item.refresh_from_db()
    assert item.status == "received"
    assert not AuditEntry.objects.filter(action="take_down").exists()


def test_taken_down_article_leaves_the_page_cache_and_comes_back(
    reader: Reader,  # noqa: F811 (the fixture imported above)
    target: ArticlePage,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """With the page cache on (tests/publishing's reader), no cached copy outlives a takedown."""
    urls = ["/", "/news/", "/news/history/", "/news/other-0/", target.url]
    for url in urls:
        reader.get(url)
        assert reader.get(url)[1]["X-Kanwu-Cache"] == "HIT", url
    item = make_request(target)
    with django_capture_on_commit_callbacks(execute=True):
        takedown_execute(takedown=item, user=editor)
    status, _, body = reader.get(target.url)
    assert status == 410
    assert TITLE not in body.decode()
    for url in urls[:-1]:
        assert TITLE not in reader.text(url), url
    with django_capture_on_commit_callbacks(execute=True):
        takedown_restore(takedown=item, user=editor)
    for url in urls:
        assert TITLE in reader.text(url), url

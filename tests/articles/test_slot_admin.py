"""The page listing's 设置推荐位 bulk action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from kanwu.articles.models import ArticlePage, ArticleSlot, Flag
from kanwu.columns.models import ColumnPage
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
URL = "/admin/bulk/wagtailcore/page/set_slot/"


@pytest.fixture
def editor_client(client: Client, django_user_model: type[User]) -> Client:
    user = django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    client.force_login(user)
    return client


def query(*pages: object) -> str:
    return "?" + "&".join(f"id={page.pk}" for page in pages)  # type: ignore[attr-defined]


def held(article: ArticlePage) -> dict[str, dt.datetime | None]:
    return dict(ArticleSlot.objects.filter(article=article).values_list("flag", "expires_at"))


def test_the_listing_offers_the_action(editor_client: Client, news: ColumnPage) -> None:
    ArticleFactory(parent=news)
    page = editor_client.get(f"/admin/pages/{news.pk}/").content.decode()
    assert "设置推荐位" in page


def test_setting_and_removing_a_slot_for_several_articles(
    editor_client: Client, news: ColumnPage
) -> None:
    first = ArticleFactory(parent=news, title="第一篇")
    second = ArticleFactory(parent=news, title="第二篇")
    ArticleSlot.objects.create(article=second, flag=Flag.BOLD)

    confirm = editor_client.get(URL + query(first, second, news)).content.decode()
    assert "第一篇" in confirm and "第二篇" in confirm
    assert "不是文章" in confirm  # the column is left alone

    expires = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    local = timezone.localtime(expires).strftime("%Y-%m-%d %H:%M")
    response = editor_client.post(
        URL + query(first, second, news) + f"&next=/admin/pages/{news.pk}/",
        {"flag": "h", "operation": "set", "expires_at": local},
        follow=True,
    )
    assert response.status_code == 200
    assert "已为 2 篇文章设置推荐位“头条”" in response.content.decode()
    assert held(first) == {"h": expires.replace(second=0)}
    assert held(second) == {"b": None, "h": expires.replace(second=0)}

    response = editor_client.post(URL + query(second), {"flag": "b", "operation": "remove"})
    assert response.status_code == 302
    assert held(second) == {"h": expires.replace(second=0)}
    # The history says who did it.
    history = editor_client.get(f"/admin/pages/{second.pk}/history/").content.decode()
    assert "editor" in history


def test_a_pending_draft_keeps_the_new_slot_when_published(
    editor_client: Client, news: ColumnPage
) -> None:
    article = ArticleFactory(parent=news, title="已发布的标题")
    article.title = "草稿里的标题"
    article.save_revision()  # an editor's pending draft

    editor_client.post(URL + query(article), {"flag": "c", "operation": "set"})
    article.refresh_from_db()
    assert article.has_unpublished_changes
    assert article.title == "已发布的标题"
    assert held(article) == {"c": None}
    # The editor's form shows the draft with the flag …
    edit = editor_client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "草稿里的标题" in edit
    draft = article.get_latest_revision_as_object()
    assert [slot.flag for slot in draft.slots.all()] == ["c"]
    # … and publishing the draft keeps it, the same row.
    row = ArticleSlot.objects.get(article=article)
    article.get_latest_revision().publish()
    assert list(ArticleSlot.objects.filter(article=article).values_list("pk", "flag")) == [
        (row.pk, "c")
    ]
    assert ArticlePage.objects.get(pk=article.pk).title == "草稿里的标题"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"flag": "z", "operation": "set"}, "没有这个推荐位"),
        ({"operation": "set"}, "请选择推荐位"),
        ({"flag": "h", "operation": "keep"}, "请选择设置还是取消"),
        ({"flag": "h", "operation": "set", "expires_at": "明天"}, "到期时间的格式不对"),
    ],
)
def test_bad_input_is_refused_in_chinese(
    editor_client: Client, news: ColumnPage, data: dict[str, str], message: str
) -> None:
    article = ArticleFactory(parent=news)
    response = editor_client.post(URL + query(article), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert held(article) == {}

"""The takedown queue in the Wagtail admin: take down, decline, restore, all logged."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from kanwu.articles.models import ArticlePage
from kanwu.casework.models import AuditEntry
from kanwu.columns.models import ColumnPage
from kanwu.takedowns.models import Takedown
from kanwu.takedowns.services import takedown_create
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client: Client, django_user_model: type[User]) -> Client:
    user = django_user_model.objects.create_superuser("editor", "editor@example.cn", "pw-123456")
    client.force_login(user)
    return client


@pytest.fixture
def article(news: ColumnPage) -> ArticlePage:
    return ArticleFactory(parent=news, title="被投诉文章", slug="complained")


def make(article: ArticlePage) -> Takedown:
    return takedown_create(
        site=None, name="李四", organisation="", email="lisi@example.cn", phone="",
        right="reputation", reason="内容失实。", articles=[("/news/complained/", article)],
        files=[],
    )  # fmt: skip


def test_queue_filters_and_item_page(editor_client: Client, article: ArticlePage) -> None:
    item = make(article)
    page = editor_client.get("/admin/takedown_queue/").content.decode()
    assert "李四" in page and "名誉权" in page
    assert (
        "李四"
        not in editor_client.get(
            "/admin/takedown_queue/", {"status": "taken_down"}
        ).content.decode()
    )
    soup = BeautifulSoup(
        editor_client.get(f"/admin/takedown_queue/edit/{item.pk}/").content, "html.parser"
    )
    assert "被投诉文章" in soup.select_one(".kanwu-takedown-articles").get_text()
    assert {s["id"] for s in soup.select(".kanwu-action")} == {
        "action-assign", "action-reply", "action-take_down", "action-decline",
    }  # fmt: skip


def test_take_down_and_restore_through_the_admin(
    editor_client: Client, client: Client, article: ArticlePage,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    item = make(article)
    url = f"/admin/takedown_queue/edit/{item.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"action": "take_down", "take_down-note": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "taken_down"
    assert item.answered_at is not None
    editor_client.logout()
    assert client.get("/news/complained/").status_code == 410
    status = client.get("/takedown/status/", {"code": item.code}).content.decode()
    assert "已下架" in status
    assert "下架" in mail.outbox[-1].subject

    editor_client.force_login(User.objects.get(username="editor"))
    soup = BeautifulSoup(editor_client.get(url).content, "html.parser")
    assert {s["id"] for s in soup.select(".kanwu-action")} == {
        "action-assign", "action-reply", "action-restore",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"action": "restore", "restore-note": "投诉已撤回。"})
    assert response.status_code == 302
    editor_client.logout()
    assert client.get("/news/complained/").status_code == 200
    assert "投诉已撤回" in client.get("/takedown/status/", {"code": item.code}).content.decode()
    assert list(
        AuditEntry.objects.filter(object_id=str(item.pk), content_type__model="takedown")
        .order_by("pk").values_list("action", flat=True)
    ) == ["create", "take_down", "restore"]  # fmt: skip


def test_decline_with_a_reason(
    editor_client: Client, client: Client, article: ArticlePage,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    item = make(article)
    url = f"/admin/takedown_queue/edit/{item.pk}/"
    assert editor_client.post(url, {"action": "decline"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"action": "decline", "decline-reason": "证据不足"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "declined"
    assert client.get("/news/complained/").status_code == 200
    assert "证据不足" in mail.outbox[-1].body
    # Restoring is only for taken-down requests.
    assert editor_client.post(url, {"action": "restore"}).status_code == 400


def test_dashboard_has_a_takedown_panel(editor_client: Client, article: ArticlePage) -> None:
    from django.utils import timezone

    item = make(article)
    Takedown.objects.filter(pk=item.pk).update(due_at=timezone.now())
    soup = BeautifulSoup(editor_client.get("/admin/").content, "html.parser")
    titles = [panel.select_one("h2").get_text() for panel in soup.select(".kanwu-deadlines")]
    assert any("侵权投诉" in title for title in titles)
    assert "李四的投诉" in soup.get_text()

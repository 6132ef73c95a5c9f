"""写文章: the menu and dashboard entry, the column chooser that remembers, 发布 first, and the
cover uploaded in place."""

from __future__ import annotations

import io
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from wagtail.models import GroupPagePermission

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from tests.adminforms import form_fields
from tests.factories import ColumnFactory

pytestmark = pytest.mark.django_db

WRITE = "/admin/write/"
BODY = (
    '{"blocks":[{"key":"a","type":"unstyled","text":"正文","depth":0,'
    '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
)


@pytest.fixture
def editor(client: Client, admin_user: Any) -> Client:
    client.force_login(admin_user)
    return client


def soup(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_write_is_in_the_menu_and_on_the_dashboard(editor: Client, news: ColumnPage) -> None:
    dashboard = soup(editor, "/admin/")
    assert dashboard.select_one(f'.kanwu-write-panel a[href="{WRITE}"]').get_text() == "写文章"
    assert WRITE in dashboard.select_one("#wagtail-sidebar-props").get_text()


def test_the_chooser_shows_the_tree_and_remembers_the_last_column(
    editor: Client, news: ColumnPage
) -> None:
    local = ColumnFactory(parent=news, title="本地新闻", slug="local")
    ColumnFactory(parent=news.get_parent(), title="专题报道", slug="special")
    options = soup(editor, WRITE).select("#id_column option")
    labels = [option.get_text() for option in options if option["value"]]
    assert labels == ["新闻", "　本地新闻", "专题报道"]
    assert not any(option.has_attr("selected") for option in options if option["value"])

    response = editor.post(WRITE, {"column": local.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/add/articles/articlepage/{local.pk}/"
    chosen = soup(editor, WRITE).select_one("#id_column option[selected]")
    assert chosen is not None and chosen["value"] == str(local.pk)


def test_a_column_one_may_not_write_in_is_refused_in_chinese(
    client: Client, news: ColumnPage, django_user_model: type[User]
) -> None:
    other = ColumnFactory(parent=news.get_parent(), title="不能写的栏目", slug="closed")
    writers = Group.objects.create(name="新闻撰稿")
    writers.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=writers, page=news, permission=Permission.objects.get(codename="add_page")
    )
    user = django_user_model.objects.create_user("writer", "w@example.cn", "pw-123456")
    user.groups.add(writers)
    client.force_login(user)

    labels = [o.get_text() for o in soup(client, WRITE).select("#id_column option") if o["value"]]
    assert labels == ["新闻"]
    response = client.post(WRITE, {"column": other.pk})
    assert response.status_code == 400
    assert "这个栏目不存在或您无权在其中写文章。" in response.content.decode()


def test_publish_is_the_first_action_for_those_who_may_publish(
    editor: Client, news: ColumnPage
) -> None:
    page = soup(editor, f"/admin/pages/add/articles/articlepage/{news.pk}/")
    first = page.select_one("footer .actions button[type=submit]")
    assert first["name"] == "action-publish"
    assert first.get_text(strip=True) == "发布"


def test_a_cover_uploaded_in_place_becomes_the_articles_cover(
    editor: Client, news: ColumnPage, site_settings: Any
) -> None:
    url = f"/admin/pages/add/articles/articlepage/{news.pk}/"
    data = form_fields(editor.get(url).content.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), "#1565c0").save(buffer, "JPEG")
    data.update(title="有封面的文章", slug="", body=BODY, **{"action-publish": "action-publish"})
    data["cover_upload"] = SimpleUploadedFile("封面.jpg", buffer.getvalue(), "image/jpeg")
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(title="有封面的文章")
    assert article.live
    assert article.cover is not None
    assert (article.cover.width, article.cover.height) == (640, 360)
    assert article.cover.title == "有封面的文章"


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_is_saved(
    editor: Client, news: ColumnPage
) -> None:
    url = f"/admin/pages/add/articles/articlepage/{news.pk}/"
    data = form_fields(editor.get(url).content.decode())
    data.update(title="假封面", slug="", body=BODY, **{"action-publish": "action-publish"})
    data["cover_upload"] = SimpleUploadedFile("封面.jpg", b"not a picture", "image/jpeg")
    response = editor.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "上传封面" in response.content.decode()
    assert not ArticlePage.objects.filter(title="假封面").exists()

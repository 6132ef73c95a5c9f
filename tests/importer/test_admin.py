"""从网址导入 in the Wagtail admin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.models import Page

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.importer.models import UrlImport, WordPressImport
from kanwu.site.models import HomePage
from tests.importer.pages import make_article, portal_page
from tests.importer.server import LocalServer, Response
from tests.importer.wxr import build_wxr, full_site

pytestmark = pytest.mark.django_db
URL = "/admin/importer/urls/"
WP_URL = "/admin/importer/wordpress/"


@pytest.fixture
def editor(client: Client, django_user_model: type[User]) -> Client:
    user = django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    client.force_login(user)
    return client


def test_menu_item_and_form_are_in_chinese(editor: Client, news: ColumnPage) -> None:
    home = editor.get("/admin/").content.decode()
    # The sidebar menu is JSON for the admin's JavaScript, with non-ASCII escaped.
    assert json.dumps("从网址导入")[1:-1] in home and URL in home
    assert json.dumps("导入 WordPress")[1:-1] in home and WP_URL in home
    page = BeautifulSoup(editor.get(URL).content, "html.parser")
    assert "从网址导入" in page.title.text
    assert page.select_one("textarea[name=urls]") is not None
    assert "新闻" in page.select_one("select[name=column]").text


def test_import_from_the_admin_shows_each_outcome(
    editor: Client, news: ColumnPage, server: LocalServer
) -> None:
    article = make_article(90)
    server.routes["/a.html"] = Response(portal_page(article).encode())
    urls = f"{server.url('/a.html')}\n{server.url('/gone.html')}\n{server.url('/a.html')}"
    response = editor.post(URL, {"urls": urls, "column": news.pk})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    rows = page.select(".importer-results tbody tr")
    assert [row["data-status"] for row in rows] == ["imported", "failed"]
    created = ArticlePage.objects.get()
    assert not created.live and created.title == article.text.title
    assert f"/admin/pages/{created.pk}/edit/" in str(rows[0])
    assert "HTTP 404" in rows[1].text
    assert "已导入 1 篇，已跳过 0 篇，失败 1 篇" in page.text
    again = BeautifulSoup(
        editor.post(URL, {"urls": server.url("/a.html"), "column": news.pk}).content, "html.parser"
    )
    row = again.select_one(".importer-results tbody tr")
    assert row["data-status"] == "skipped" and "已导入过" in row.text
    assert f"/admin/pages/{created.pk}/edit/" in str(row)


@pytest.mark.parametrize(
    ("urls", "message"),
    [
        ("", "请至少填写一个网址。"),
        ("ftp://example.com/a", "网址格式不正确：ftp://example.com/a"),
        ("\n".join(f"https://example.com/{n}" for n in range(11)), "一次最多导入 10 个网址"),
    ],
)
def test_bad_input_is_explained_and_stores_nothing(
    editor: Client, news: ColumnPage, urls: str, message: str
) -> None:
    response = editor.post(URL, {"urls": urls, "column": news.pk})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ArticlePage.objects.count() == 0


def test_missing_column_is_explained(editor: Client, news: ColumnPage) -> None:
    response = editor.post(URL, {"urls": "https://example.com/a", "column": "999999"})
    assert response.status_code == 400
    assert "所选栏目不存在，请重新选择。" in response.content.decode()


def test_editor_without_add_permission_is_refused(
    client: Client, django_user_model: type[User], news: ColumnPage
) -> None:
    user = django_user_model.objects.create_user("reader", "r@example.cn", "pw-123456")
    group = Group.objects.create(name="只能登录后台")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    assert URL not in client.get("/admin/").content.decode()
    refused = client.get(WP_URL)  # Wagtail answers PermissionDenied with a redirect home
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    response = client.post(URL, {"urls": "https://example.com/a", "column": news.pk})
    assert response.status_code == 400
    assert "您没有在这个栏目下添加文章的权限" in response.content.decode()
    assert ArticlePage.objects.count() == 0


def test_anonymous_user_is_sent_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_wordpress_export_uploaded_in_the_admin_is_imported_by_the_worker(
    editor: Client, home: HomePage, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("export.xml", build_wxr(full_site()).encode(), "text/xml")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(WP_URL, {"export": upload})
    run = WordPressImport.objects.get()
    # The editor lands on the run's page.
    assert response.status_code == 302 and response["Location"] == f"{WP_URL}{run.pk}/"
    assert run.status == WordPressImport.Status.DONE
    assert not Path(run.path).exists()  # the export (with commenters' e-mails) is not kept
    assert ArticlePage.objects.filter(title="统一战线的历史与今天", live=True).exists()
    page = BeautifulSoup(editor.get(response["Location"]).content, "html.parser")
    run_box = page.select_one(".importer-run")
    # 17 items; the 3 attachments could not be downloaded (no such host): errors, reported.
    assert "状态：已完成" in run_box.text and "已完成 17 / 共 17 条" in run_box.text
    bar = run_box.select_one("progress")
    assert (bar["value"], bar["max"]) == ("17", "17")
    errors = [li.text for li in run_box.select(".importer-errors li")]
    assert len(errors) == 3 and all("[图片附件]" in error for error in errors)
    assert "失败 3 项" in run_box.text
    assert "文章：新导入 7" in run_box.select_one(".importer-report").text
    # Finished: nothing asks for the progress any more.
    assert not run_box.has_attr("data-import-progress")
    assert page.select_one("meta[http-equiv=refresh]") is None
    listing = BeautifulSoup(editor.get(WP_URL).content, "html.parser")
    row = listing.select_one(".importer-runs tbody tr")
    assert row["data-status"] == "done" and "已完成" in row.text and "17 / 17" in row.text
    assert row.select_one("a")["href"] == f"{WP_URL}{run.pk}/"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<rss><channel><item>", "XML 格式错误或文件不完整"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
            "DTD 或实体声明",
        ),
    ],
)
def test_bad_wordpress_upload_is_refused_on_the_page(
    editor: Client, home: HomePage, content: bytes, message: str
) -> None:
    pages = Page.objects.count()
    response = editor.post(WP_URL, {"export": SimpleUploadedFile("x.xml", content)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "文件未导入，网站未作任何改动" in text and message in text
    assert WordPressImport.objects.count() == 0 and Page.objects.count() == pages


def test_missing_upload_is_explained(editor: Client, home: HomePage) -> None:
    response = editor.post(WP_URL, {})
    assert response.status_code == 400 and "请选择要上传的导出文件。" in response.content.decode()


RUN_PAGES = [
    "/admin/importer/wordpress/{pk}/",
    "/admin/importer/wordpress/{pk}/progress/",
    "/admin/importer/urls/{pk}/",
    "/admin/importer/urls/{pk}/progress/",
]


@pytest.mark.parametrize("page", RUN_PAGES)
def test_unknown_run_is_not_found(editor: Client, page: str) -> None:
    assert editor.get(page.format(pk=424242)).status_code == 404
    assert editor.get(page.format(pk="abc")).status_code == 404


def test_run_pages_are_refused_to_users_who_may_not_import(
    client: Client, django_user_model: type[User], news: ColumnPage
) -> None:
    owner = django_user_model.objects.create_superuser("owner", "o@example.cn", "pw-123456")
    wordpress = WordPressImport.objects.create(filename="site.xml", path="", created_by=owner)
    urls = UrlImport.objects.create(urls=["https://example.com/a"], column=news, created_by=owner)
    runs = {"wordpress": wordpress.pk, "urls": urls.pk}

    def answers(user: User) -> list[int]:
        client.force_login(user)
        return [
            client.get(page.format(pk=runs[page.split("/")[3]])).status_code for page in RUN_PAGES
        ]

    # Admin access only: no importing at all.
    reader = django_user_model.objects.create_user("reader", "r@example.cn", "pw-123456")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert answers(reader) == [403, 403, 403, 403]
    refused = client.get(f"/admin/importer/wordpress/{wordpress.pk}/")
    assert "您没有权限访问这个页面" in refused.content.decode()
    # An editor may import URLs, not WordPress exports, and sees only their own URL runs.
    editor = django_user_model.objects.create_user("bianji", "b@example.cn", "pw-123456")
    editor.groups.add(Group.objects.get(name="编辑"))
    assert answers(editor) == [403, 403, 403, 403]
    UrlImport.objects.filter(pk=urls.pk).update(created_by=editor)
    assert answers(editor) == [403, 403, 200, 200]
    assert answers(owner) == [200, 200, 200, 200]

"""从网址导入 of more than a few URLs: queued for the worker, with a run page showing progress."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.test import Client

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.importer.forms import URLS_IN_REQUEST
from kanwu.importer.models import UrlImport
from tests.importer.pages import make_article, portal_page
from tests.importer.server import LocalServer, Response

pytestmark = pytest.mark.django_db
URL = "/admin/importer/urls/"


@pytest.fixture
def editor(client: Client, django_user_model: type[User]) -> Client:
    user = django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    client.force_login(user)
    return client


def test_many_urls_are_imported_in_the_background_with_a_progress_page(
    editor: Client, news: ColumnPage, server: LocalServer, django_capture_on_commit_callbacks: Any
) -> None:
    articles = [make_article(seed) for seed in (11, 12, 13, 14)]
    for n, article in enumerate(articles):
        server.routes[f"/{n}.html"] = Response(portal_page(article).encode())
    urls = [server.url(f"/{n}.html") for n in range(4)] + [server.url("/gone.html")]
    assert len(urls) > URLS_IN_REQUEST
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = editor.post(URL, {"urls": "\n".join(urls), "column": news.pk})
    run = UrlImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{run.pk}/"
    # The request fetched nothing: the worker will.
    assert server.paths() == [] and ArticlePage.objects.count() == 0
    page = BeautifulSoup(editor.get(response["Location"]).content, "html.parser")
    box = page.select_one(".importer-run")
    assert "状态：排队中" in box.text and "已完成 0 / 共 5 个网址" in box.text
    assert box["data-import-progress"] == f"{URL}{run.pk}/progress/"
    assert page.select_one("meta[http-equiv=refresh]") is not None
    assert "5 个网址已交给后台导入" in page.text

    for callback in queued:
        callback()  # the commit: the task is enqueued, and the test settings run it at once

    run.refresh_from_db()
    assert run.status == UrlImport.Status.DONE
    page = BeautifulSoup(editor.get(f"{URL}{run.pk}/").content, "html.parser")
    box = page.select_one(".importer-run")
    text = " ".join(box.text.split())
    assert "状态：已完成" in text and "已完成 5 / 共 5 个网址" in text
    assert "导入完成：已导入 4 篇，已跳过 0 篇，失败 1 篇。" in text
    bar = box.select_one("progress")
    assert (bar["value"], bar["max"]) == ("5", "5")
    rows = box.select(".importer-results tbody tr")
    assert [row["data-status"] for row in rows] == ["imported"] * 4 + ["failed"]
    first = ArticlePage.objects.get(title=articles[0].text.title)
    assert not first.live and f"/admin/pages/{first.pk}/edit/" in str(rows[0])
    assert "HTTP 404" in rows[4].text
    errors = [li.text for li in box.select(".importer-errors li")]
    assert len(errors) == 1 and "gone.html" in errors[0] and "HTTP 404" in errors[0]
    assert not box.has_attr("data-import-progress")
    assert page.select_one("meta[http-equiv=refresh]") is None
    progress = editor.get(f"{URL}{run.pk}/progress/").json()
    assert progress["finished"] is True and (progress["done"], progress["failed"]) == (5, 1)

    # The form page lists the run and links to it.
    listing = BeautifulSoup(editor.get(URL).content, "html.parser")
    row = listing.select_one(".importer-runs tbody tr")
    assert row["data-status"] == "done" and "5 / 5" in row.text
    assert row.select_one("a")["href"] == f"{URL}{run.pk}/"


def test_a_few_urls_are_still_imported_in_the_request(
    editor: Client, news: ColumnPage, server: LocalServer
) -> None:
    for n in range(URLS_IN_REQUEST):
        server.routes[f"/{n}.html"] = Response(portal_page(make_article(20 + n)).encode())
    urls = "\n".join(server.url(f"/{n}.html") for n in range(URLS_IN_REQUEST))
    response = editor.post(URL, {"urls": urls, "column": news.pk})
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select(".importer-results tbody tr")
    assert [row["data-status"] for row in rows] == ["imported"] * URLS_IN_REQUEST
    assert UrlImport.objects.count() == 0

"""Baidu link push: published pages are posted to the endpoint in 站点设置 by the worker's
task queue, against a real HTTP server on 127.0.0.1; editors read the answers in the admin."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import Site

from kanwu.columns.models import ColumnPage
from kanwu.publishing.models import BaiduPush
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


class BaiduStandIn:
    """Answers POSTs as Baidu's API does, remembering what it was sent."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, list[str]], str]] = []
        self.answer: tuple[int, dict[str, Any]] = (200, {"success": 1, "remain": 99})
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode()
                stand_in.received.append((parse_qs(urlsplit(self.path).query), body))
                status, data = stand_in.answer
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/urls"


@pytest.fixture
def baidu() -> Iterator[BaiduStandIn]:
    stand_in = BaiduStandIn()
    thread = threading.Thread(target=stand_in.server.serve_forever, daemon=True)
    thread.start()
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


@pytest.fixture
def pushing(site: Site, site_settings: SiteSettings, baidu: BaiduStandIn) -> SiteSettings:
    site.hostname, site.port = "news.example.cn", 443
    site.save()
    site_settings.baidu_push_token = "secret-token"
    site_settings.baidu_push_endpoint = baidu.url
    site_settings.save()
    return site_settings


def test_a_published_article_is_pushed_and_the_answer_kept(
    pushing: SiteSettings, baidu: BaiduStandIn, news: ColumnPage,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(parent=news, live=False)
        article.save_revision().publish()
    url = f"https://news.example.cn{article.url}"
    assert baidu.received == [
        ({"site": ["https://news.example.cn"], "token": ["secret-token"]}, url)
    ]
    record = BaiduPush.objects.get()
    assert (record.status, record.pushed, record.remain, record.urls) == ("sent", 1, 99, url)
    # Editing it live pushes it again.
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "改过的标题"
        article.save_revision().publish()
    assert len(baidu.received) == 2


def test_refusals_and_errors_are_recorded_in_chinese(
    pushing: SiteSettings, baidu: BaiduStandIn, news: ColumnPage,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    baidu.answer = (400, {"error": 401, "message": "token is not valid"})
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(parent=news, live=False).save_revision().publish()
    record = BaiduPush.objects.get()
    assert record.status == "failed"
    assert record.message == "百度返回错误 401：token is not valid"
    baidu.answer = (200, {"success": 0, "remain": 10, "not_same_site": ["http://x.cn/"]})
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(parent=news, live=False).save_revision().publish()
    latest = BaiduPush.objects.first()
    assert latest is not None and latest.message == "非本站网址 1 条"
    # Nothing listening: the reason is kept, nothing fails for the editor.
    pushing.baidu_push_endpoint = "http://127.0.0.1:9/urls"
    pushing.save()
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(parent=news, live=False).save_revision().publish()
    latest = BaiduPush.objects.first()
    assert latest is not None and latest.status == "failed"
    assert latest.message.startswith("无法连接百度推送接口")


def test_nothing_is_pushed_without_a_token(
    site_settings: SiteSettings, baidu: BaiduStandIn, news: ColumnPage,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    site_settings.baidu_push_endpoint = baidu.url
    site_settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(parent=news, live=False).save_revision().publish()
    assert baidu.received == []
    assert not BaiduPush.objects.exists()


def test_editors_read_the_push_log_in_the_admin(
    client: Client, pushing: SiteSettings, django_user_model: Any
) -> None:
    BaiduPush.objects.create(
        urls="https://news.example.cn/news/a/", status="failed", message="百度返回错误 401：x"
    )
    editor = django_user_model.objects.create_user("editor", "e@example.cn", "pw-123456")
    group = Group.objects.create(name="编辑组")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    response = client.get("/admin/baidu_pushes/")
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text()
    assert "百度返回错误 401：x" in text and "失败" in text
    assert client.get("/admin/baidu_pushes/add/").status_code == 404

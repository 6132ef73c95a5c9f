"""Whole-page caching: hits answered by the fast path, and what is never cached."""

from __future__ import annotations

import gzip
from typing import Any

import brotli
import pytest
from django.test import Client

from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory
from tests.publishing.conftest import Reader

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_a_hit_with_the_same_page(
    reader: Reader, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=news, title="缓存的文章")
    status, headers, first = reader.get(article.url)
    assert (status, headers["X-Kanwu-Cache"]) == (200, "MISS")
    status, headers, second = reader.get(article.url)
    assert (status, headers["X-Kanwu-Cache"]) == (200, "HIT")
    assert second == first
    assert "缓存的文章" in second.decode()
    assert headers["Content-Type"].startswith("text/html")


def test_hits_negotiate_gzip_and_brotli(
    reader: Reader, news: ColumnPage, site_settings: SiteSettings
) -> None:
    plain = reader.text(news.url).encode()
    _, headers, body = reader.get(news.url, accept_encoding="gzip, deflate, br")
    assert headers["Content-Encoding"] == "br"
    assert brotli.decompress(body) == plain
    _, headers, body = reader.get(news.url, accept_encoding="gzip")
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == plain
    assert int(headers["Content-Length"]) == len(body)
    _, headers, body = reader.get(news.url, accept_encoding="br;q=0, gzip")
    assert headers["Content-Encoding"] == "gzip"


def test_etag_and_last_modified_answer_304(
    reader: Reader, news: ColumnPage, site_settings: SiteSettings
) -> None:
    _, miss, _ = reader.get(news.url)
    _, hit, _ = reader.get(news.url)
    assert miss["ETag"] == hit["ETag"]
    status, _, body = reader.get(news.url, if_none_match=hit["ETag"])
    assert (status, body) == (304, b"")
    status, _, body = reader.get(news.url, if_modified_since=hit["Last-Modified"])
    assert (status, body) == (304, b"")
    status, _, _ = reader.get(news.url, if_none_match='"something-else"')
    assert status == 200


def test_query_strings_are_separate_pages(
    reader: Reader, news: ColumnPage, site_settings: SiteSettings
) -> None:
    for n in range(25):
        ArticleFactory(parent=news, title=f"第{n}篇")
    assert reader.text(news.url) != reader.text(news.url + "?page=2")
    assert reader.get(news.url + "?page=2")[1]["X-Kanwu-Cache"] == "HIT"


@pytest.mark.parametrize("path", ["/admin/login/", "/no-such-page/"])
def test_admin_and_errors_are_never_cached(reader: Reader, home: Any, path: str) -> None:
    reader.get(path)
    assert reader.get(path)[1].get("X-Kanwu-Cache") is None


def test_logged_in_editors_bypass_the_cache(
    page_cache: Any, news: ColumnPage, site_settings: SiteSettings, admin_user: Any
) -> None:
    reader = Reader()
    reader.get(news.url)
    assert reader.get(news.url)[1]["X-Kanwu-Cache"] == "HIT"
    client = Client()
    client.force_login(admin_user)
    session = client.cookies["sessionid"].value
    assert reader.get(news.url, cookie=f"sessionid={session}")[1].get("X-Kanwu-Cache") is None


def test_responses_setting_cookies_are_not_stored(
    reader: Reader, news: ColumnPage, site_settings: SiteSettings
) -> None:
    status, headers, _ = reader.get("/admin/login/")
    assert status == 200
    assert "X-Kanwu-Cache" not in headers

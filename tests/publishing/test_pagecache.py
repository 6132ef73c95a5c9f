"""Whole-page caching: hits answered by the fast path, and what is never cached."""

from __future__ import annotations

import gzip
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from unittest.mock import patch

import brotli
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client, override_settings

from kanwu.columns.models import ColumnPage
from kanwu.publishing.backends import get_store
from kanwu.publishing.backends.files import FileStore
from kanwu.publishing.fastpath import FastPath
from kanwu.publishing.inprocess import call_wsgi
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


def test_tracking_parameters_get_the_canonical_page(
    reader: Reader, page_cache: Path, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=news, title="分享的文章")
    _, first, page = reader.get(article.url)
    assert first["X-Kanwu-Cache"] == "MISS"
    for query in (
        "from=timeline&isappinstalled=0",
        "utm_source=wechat&utm_medium=social",
        f"utm_campaign={uuid.uuid4()}",
        "spm=a2c4g.11186623&fbclid=x",
    ):
        _, headers, body = reader.get(f"{article.url}?{query}")
        assert (headers["X-Kanwu-Cache"], body) == ("HIT", page)
    assert FileStore({"LOCATION": str(page_cache)}).size()[0] == 1


def test_other_parameters_are_answered_but_never_stored(
    reader: Reader, page_cache: Path, news: ColumnPage, site_settings: SiteSettings
) -> None:
    store = FileStore({"LOCATION": str(page_cache)})
    for n in range(30):
        ArticleFactory(parent=news, title=f"第{n}篇")
    for query in ("q=1", "page=02", "page=2&page=2", "page=2&x=1", "page=" + "9" * 9):
        for _ in range(2):
            status, headers, _ = reader.get(f"{news.url}?{query}")
            assert "X-Kanwu-Cache" not in headers, (query, status)
    assert store.size()[0] == 0
    status, headers, _ = reader.get(f"{news.url}?utm_source=x&page=2")
    assert (status, headers["X-Kanwu-Cache"]) == (200, "MISS")
    assert reader.get(f"{news.url}?page=2")[1]["X-Kanwu-Cache"] == "HIT"


def test_a_flood_of_tracking_urls_adds_nothing(
    reader: Reader, page_cache: Path, news: ColumnPage, site_settings: SiteSettings
) -> None:
    for n in range(300):
        reader.get(f"{news.url}?utm_source={uuid.uuid4()}&n{n % 2}=")
        reader.get(f"{news.url}?from=timeline&utm_content={n}")
    assert FileStore({"LOCATION": str(page_cache)}).size()[0] == 1


def test_a_hit_has_the_same_headers_as_the_miss(
    reader: Reader, news: ColumnPage, site_settings: SiteSettings
) -> None:
    _, miss, _ = reader.get(news.url)
    _, hit, _ = reader.get(news.url)
    assert hit["X-Kanwu-Cache"] == "HIT"
    cache_headers = {"X-Kanwu-Cache", "ETag", "Last-Modified", "Vary", "Cache-Control"}
    for name in ("X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"):
        assert name in miss
    assert {k: v for k, v in hit.items() if k not in cache_headers | {"Content-Length"}} == {
        k: v for k, v in miss.items() if k not in cache_headers | {"Content-Length"}
    }


def test_a_hit_carries_the_same_security_policies_as_the_miss(
    reader: Reader, news: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=news, title="策略头")
    _, miss, _ = reader.get(article.url)
    _, hit, _ = reader.get(article.url, accept_encoding="gzip, br")
    assert (miss["X-Kanwu-Cache"], hit["X-Kanwu-Cache"]) == ("MISS", "HIT")
    for name in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
        assert hit[name] == miss[name], name
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert "'unsafe-inline'" not in hit["Content-Security-Policy"]
    assert "nonce-" not in hit["Content-Security-Policy"]  # one page for every reader
    assert "camera=()" in hit["Permissions-Policy"]


def test_with_https_on_the_fast_path_leaves_plain_http_to_the_redirect(
    reader: Reader, news: ColumnPage, site_settings: SiteSettings, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.KANWU_TRUSTED_PROXIES = ["127.0.0.1"]
    reader = Reader()  # the middleware read the settings when the stack was built
    via_nginx = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https"}
    status, miss, _ = call_wsgi(reader.app, news.url, host="testserver", extra=via_nginx)
    assert (status, miss["X-Kanwu-Cache"]) == (200, "MISS")
    assert miss["Strict-Transport-Security"].startswith("max-age=31536000")
    status, hit, _ = call_wsgi(reader.app, news.url, host="testserver", extra=via_nginx)
    assert (status, hit["X-Kanwu-Cache"]) == (200, "HIT")
    assert hit["Strict-Transport-Security"] == miss["Strict-Transport-Security"]
    # Plain http, or a client claiming https itself, is redirected, never served the page.
    for extra in ({}, {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_PROTO": "https"}):
        status, headers, _ = call_wsgi(reader.app, news.url, host="testserver", extra=extra)
        assert status == 301
        assert headers["Location"] == f"https://testserver{news.url}"


@pytest.mark.parametrize("host", ["127.0.0.1:abc", "evil.example", "[::1", "a b"])
def test_hosts_django_refuses_are_refused_before_the_cache(
    reader: Reader, news: ColumnPage, site_settings: SiteSettings, host: str
) -> None:
    reader.get(news.url)
    assert reader.get(news.url)[1]["X-Kanwu-Cache"] == "HIT"
    with override_settings(ALLOWED_HOSTS=["testserver", "127.0.0.1"]):
        status, headers, _ = call_wsgi(reader.app, news.url, host=host)
        assert (status, headers.get("X-Kanwu-Cache")) == (400, None)
        assert reader.get(news.url)[1]["X-Kanwu-Cache"] == "HIT"


def test_a_page_rendered_before_a_purge_is_not_stored_after_it(
    reader: Reader, page_cache: Path, news: ColumnPage, site_settings: SiteSettings
) -> None:
    store = get_store()
    real_set = store.set

    def purge_first(key: str, entry: Any) -> None:
        # As if an editor's change committed and purged while this page was rendering.
        store.purge(["site"])
        real_set(key, entry)

    with patch.object(store, "set", purge_first):
        reader.get(news.url)
    assert store.size()[0] == 0
    assert reader.get(news.url)[1]["X-Kanwu-Cache"] == "MISS"


def test_concurrent_readers_of_a_purged_page_cost_one_render(
    page_cache: Path, news: ColumnPage, site_settings: SiteSettings, transactional_db: Any
) -> None:
    renders = []
    handler = WSGIHandler()

    def counting(environ: dict[str, Any], start_response: Any) -> Any:
        renders.append(environ["PATH_INFO"])
        return handler(environ, start_response)

    app = FastPath(counting)
    barrier = threading.Barrier(8)

    def read() -> int:
        barrier.wait()
        status, _, _ = call_wsgi(app, news.url, host="testserver")
        return status

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(lambda _: read(), range(8))) == [200] * 8
    assert renders == [news.url]

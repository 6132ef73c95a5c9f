"""Hostile input gets a 4xx with a Chinese message, never a 500 (core/errors.py, core/ids.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.comments.models import Comment
from kanwu.core.ids import parse_id
from kanwu.publishing.inprocess import call_wsgi
from kanwu.takedowns.models import Takedown
from tests.factories import ArticleFactory
from tests.publishing.conftest import Reader, page_cache, reader  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
TOO_BIG = "9223372036854775808"  # 2**63: past every id column


@pytest.fixture
def article(news: ColumnPage, site_settings: Any) -> ArticlePage:
    return ArticleFactory(parent=news, title="恶意输入测试文章")


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "raw, expected",
    [("12", 12), (" 7 ", 7), ("0", None), ("-3", None), ("²", None), ("①②③", None),
     ("٣", None), ("9" * 4301, None), (TOO_BIG, None), ("999999999999999999", 10**18 - 1),
     ("", None), ("1e3", None), (None, None)],
)  # fmt: skip
def test_parse_id_accepts_only_plain_ascii_ids(raw: object, expected: int | None) -> None:
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    "url",
    [
        f"/comments/state/?article={TOO_BIG}",
        f"/comments/post/?article={TOO_BIG}",
        "/comments/state/?article=²",
        "/media/" + "a" * 300,
        "/documents/" + "1" * 4301 + "/",
        f"/documents/{TOO_BIG}/x.pdf",
    ],
)
def test_absurd_ids_and_names_are_not_found(client: Client, article: ArticlePage, url: str) -> None:
    assert client.get(url).status_code == 404


def test_an_absurd_beacon_id_is_not_found(client: Client, article: ArticlePage) -> None:
    response = client.post(f"/_/views/{TOO_BIG}/")
    assert response.status_code == 404
    assert response.json()["error"] == "文章不存在。"


@pytest.mark.parametrize("reply", ["²", "①②③", "9" * 4301, TOO_BIG, "-1"])
def test_odd_replytocom_values_show_the_plain_article(
    client: Client, article: ArticlePage, reply: str
) -> None:
    Comment.objects.create(
        article=article,
        author_name="甲",
        author_email="a@example.cn",
        body="第一条",
        status="approved",
    )
    response = client.get(f"{article.url}?replytocom={reply}")
    assert response.status_code == 200
    assert 'id="comment_parent" value="0"' in response.content.decode()


@pytest.mark.parametrize(
    "query", ["q=a&date_to=9999-12-31", "q=a&date_from=0001-01-01", "q=a&date_from=1899-12-31"]
)
def test_search_dates_out_of_range_are_refused_in_chinese(
    client: Client, article: ArticlePage, query: str
) -> None:
    response = client.get(f"/search/?{query}")
    assert response.status_code == 400
    assert "日期应在 1900 年至 2100 年之间。" in response.content.decode()


def test_a_broken_url_in_a_takedown_is_refused_in_chinese(
    client: Client, article: ArticlePage
) -> None:
    response = client.post("/takedown/", {"urls": "http://[", "name": "张三"})
    assert response.status_code == 400
    assert "不是本站已发布文章的网址" in response.content.decode()
    assert not Takedown.objects.exists()


@pytest.mark.parametrize("charset", ["gbk", "utf-16", "latin-1"])
@pytest.mark.parametrize("path", ["/comments/post/", "/submit/", "/takedown/", "/no-such-page/"])
def test_forms_in_other_charsets_get_a_400(article: ArticlePage, charset: str, path: str) -> None:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/submit/")  # a valid CSRF cookie, as a browser would have
    response = client.post(
        path,
        data=b"csrfmiddlewaretoken=x&author=%D5%C5",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "since",
    ["Mon, 07 Dec 2026 03:00:00 +99999", "Fri, 31 Dec 9999 23:59:59 -2359", "²", "Mon, 07 Dec"],
)
def test_absurd_if_modified_since_is_ignored_by_the_fast_path(
    reader: Reader,  # noqa: F811 (the fixture imported above)
    article: ArticlePage,
    since: str,
) -> None:
    reader.get(article.url)
    status, headers, _ = reader.get(article.url, if_modified_since=since)
    assert status in (200, 304)  # a date far ahead is a fair "not modified since"
    assert headers["X-Kanwu-Cache"] == "HIT"
    status, _, _ = call_wsgi(reader.app, article.url, host="testserver")
    assert status == 200


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/%00", {}),
        ("/news/a%00b/", {}),
        ("/submit/status/", {"QUERY_STRING": "code=a%00b"}),
        ("/", {"HTTP_COOKIE": "sessionid=" + "a\x00" * 20}),
        ("/comments/post/", {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": "abc"}),
        ("/submit/", {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": "-1"}),
        ("/takedown/", {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": "1e3"}),
    ],
)
def test_nul_and_broken_content_length_get_a_400_on_every_database(
    client: Client, article: ArticlePage, path: str, extra: dict[str, str]
) -> None:
    method = extra.pop("REQUEST_METHOD", "GET")
    response = client.generic(method, path, **extra)
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_nul_in_the_content_type_is_refused_before_django_builds_the_request(
    reader: Reader,  # noqa: F811 (the fixture imported above)
    article: ArticlePage,
) -> None:
    status, _, body = call_wsgi(
        reader.app,
        "/comments/post/",
        host="testserver",
        extra={"REQUEST_METHOD": "POST", "CONTENT_TYPE": "text/plain; charset=utf-8\x00"},
    )
    assert status == 400
    assert "请求无效" in body.decode()


def test_an_unreachable_database_is_a_503_in_chinese_that_asks_to_retry(
    article: ArticlePage, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While PostgreSQL restarts or fails over, readers get 503 (a load balancer may try
    another server, and the page comes back by itself), not the 500 of a bug."""
    from django.db import OperationalError, connections

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused: is the server running?")

    url = article.url
    monkeypatch.setattr(connections["default"], "cursor", unreachable)
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "服务暂时不可用" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_other_errors_stay_500s(
    article: ArticlePage, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connections

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    url = article.url
    monkeypatch.setattr(connections["default"], "cursor", broken)
    response = client.get(url)
    assert response.status_code == 500
    assert "服务器出错" in response.content.decode()

"""No 500s, whatever a client sends: a property-based test over every public URL kanwu serves.

Hypothesis sends hostile values (huge and negative numbers, digits `isdigit()` accepts but
`int()` may not, invalid UTF-8 and encoded lone surrogates, NUL, other charsets, broken URLs,
broken multipart bodies, absurd headers) in every query parameter and form field the public
views read, and in the headers kanwu reads (Host, If-None-Match, If-Modified-Since,
Accept-Encoding, Cookie, X-Forwarded-For, Content-Type, Content-Length). Every request goes
through Django's test client (errors turned into responses) and through the WSGI stack readers
get (`FastPath(WSGIHandler())`, page cache on). Each answer must be below 500, and a refusal
(4xx) must store nothing: no comment, submission, takedown, attachment or private file.

The examples are derandomized (the same every run, for CI); the number of requests and of 5xx
answers is written to test-artifacts/hostile-input.json.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.documents import get_document_model

from kanwu import antispam
from kanwu.casework.public import spam_policy as workflow_policy
from kanwu.columns.models import ColumnPage
from kanwu.comments.forms import spam_policy as comment_policy
from kanwu.comments.models import Comment
from kanwu.publishing.fastpath import FastPath
from kanwu.site.models import SiteSettings
from kanwu.submissions.models import Submission, SubmissionAttachment
from kanwu.submissions.services import submission_create
from kanwu.takedowns.models import Takedown, TakedownAttachment
from tests.factories import ArticleFactory, make_image
from tests.publishing.conftest import page_cache  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
ARTIFACT = Path(os.environ.get("KANWU_TEST_ARTIFACTS", "test-artifacts")) / "hostile-input.json"
STATS: Counter[str] = Counter()
EXAMPLES = int(os.environ.get("KANWU_HOSTILE_EXAMPLES", "400"))
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Values that broke, or could break, a view somewhere: numbers past every column, digits
# int() refuses or reads differently, NUL, markup, dates out of range, broken URLs.
HOSTILE_VALUES = [
    "", " ", "0", "-1", "-9223372036854775809", "9223372036854775808", "9" * 5000, "1e309",
    "NaN", "²", "①②③", "٣", "߁", "１２", "0x10", "1_000", "+1", "00000001", "\x00", "a\x00b",
    "\r\n", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%", "%%", "%zz",
    "http://[", "http://[::1", "javascript:alert(1)", "//evil.example/", "http://localhost:0/",
    "0001-01-01", "9999-12-31", "2026-02-30", "1899-12-31", "2026-13-01", "today",
    "relevance", "newest", "date", "2", "3", "100000", "😀" * 100, "统战" * 2000, "\ufeff",
    "\u202e", "𠀀", "a" * 65, "on", "off", "true", "none",
]  # fmt: skip
# Raw bytes for percent-encoding: invalid UTF-8, encoded lone surrogates, other charsets.
HOSTILE_BYTES = [
    b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\xd5\xc5",
    "统战".encode("gbk"), "統戰".encode("big5"), "x".encode("utf-16"), b"\x00\x01\x02",
]  # fmt: skip
# Field and parameter names the public views read, and a few they do not.
QUERY_NAMES = [
    "page", "q", "column", "date_from", "date_to", "sort", "code", "article", "replytocom",
    "url", "utm_source", "from", "spm", "x", "page[]", "", "\x00",
]  # fmt: skip
FORM_NAMES = [
    "comment_post_ID", "comment_parent", "author", "email", "url", "comment", "notify_replies",
    "name", "phone", "title", "body", "consent", "organisation", "urls", "right", "reason",
    "declaration", "attachments", "kanwu_hp", "kanwu_ts", "csrfmiddlewaretoken",
]  # fmt: skip
CHARSETS = ["utf-8", "gbk", "gb18030", "big5", "utf-16", "latin-1", "x-unknown", "", "utf-8\x00"]
HOSTS = [
    "testserver", "testserver:80", "testserver:99999", "127.0.0.1", "[::1]", "[::1", "a b",
    "evil.example", "testserver:abc", "", "x" * 300, "测试.cn", "testserver\x00",
]  # fmt: skip
ETAGS = ['"x"', "*", 'W/"abc"', '"' + "a" * 5000 + '"', ",,,", "\x00", "", '"]']
DATES = [
    "Mon, 07 Dec 2026 03:00:00 GMT", "Mon, 07 Dec 2026 03:00:00 +99999",
    "Fri, 31 Dec 9999 23:59:59 -2359", "Thu, 01 Jan 1970 00:00:00 GMT", "²", "-1", "",
    "Sun, 06 Nov 1994 08:49:37 GMT, x", "9" * 400,
]  # fmt: skip
ENCODINGS = ["gzip", "br", "br;q=0", "gzip;q=0, br;q=0", "*", "identity;q=0", "x" * 500, ",,;"]
COOKIES = [
    "sessionid=x", "kanwu_commenter=1.2.3:abc:def", "kanwu_commenter=" + "9" * 5000,
    "csrftoken=\x00", "a=b; a=c", "=; ;;", "kanwu_commenter=\"\\\"", "sessionid",
    "sessionid=" + "a\x00" * 20, "sessionid=" + "统" * 40, "sessionid=" + "z" * 5000,
]  # fmt: skip
FORWARDED = [
    "203.0.113.9", "1.1.1.1, 203.0.113.9", "not-an-ip", "300.1.1.1", "::ffff:1.2.3.4",
    "[2001:db8::1]:80", ", , ,", "1.1.1.1, " * 500, "\x00", "fe80::1%eth0",
]  # fmt: skip
CONTENT_TYPES = [
    "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=",
    "multipart/form-data; boundary=" + "b" * 100, "text/plain", "application/json", "",
    "application/x-www-form-urlencoded; charset=%s",
    "multipart/form-data; boundary=kanwu; charset=%s", "\x00",
]  # fmt: skip


@dataclass
class World:
    """What the URLs point at: an article with a tag and a comment, a column, tracking codes,
    a document, a media file."""

    article_id: int
    article_url: str
    column_url: str
    tag_url: str
    document_url: str
    media_url: str
    submission_code: str
    takedown_code: str

    def get_routes(self) -> list[str]:
        return [
            "/", self.column_url, self.article_url, self.tag_url, "/search/", "/submit/",
            "/submit/received/", "/submit/status/", "/takedown/", "/takedown/received/",
            "/takedown/status/", "/comments/state/", "/comments/post/", "/feed/",
            "/sitemap.xml", self.document_url, self.media_url, "/no-such-page/",
            f"/_/views/{self.article_id}/", "/sitemap-pages-1.xml", "/sitemap-news.xml",
            "/robots.txt", "/favicon.ico", f"{self.column_url}feed/",
            f"/zh-hant{self.article_url}", "/zh-hant/", "/zh-hant/feed/",
        ]  # fmt: skip

    def post_routes(self) -> list[str]:
        return [
            "/comments/post/", "/submit/", "/takedown/", f"/_/views/{self.article_id}/",
            self.article_url, "/search/", f"/zh-hant{self.article_url}",
        ]  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    STATS.clear()
    started = time.monotonic()
    yield
    report = {
        "requests": STATS["requests"],
        "server_errors": STATS["5xx"],
        "refusals": STATS["4xx"],
        "by_channel": {key: STATS[key] for key in ("client", "wsgi")},
        "examples_per_test": EXAMPLES,
        "seconds": round(time.monotonic() - started, 1),
    }
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nhostile input: {report}")


@pytest.fixture
def world(news: ColumnPage, site_settings: SiteSettings, settings: Any, tmp_path: Path) -> World:
    settings.DATA_DIR = tmp_path
    settings.KANWU_WORKFLOW_MIN_SECONDS = 0
    settings.KANWU_COMMENT_MIN_SECONDS = 0
    settings.KANWU_TRUSTED_PROXIES = ["127.0.0.1"]
    article = ArticleFactory(parent=news, title="恶意输入", tags=["统战"])
    Comment.objects.create(
        article=article, author_name="甲", author_email="a@example.cn", body="评论",
        status="approved",
    )  # fmt: skip
    document = get_document_model()(title="文件")
    document.file.save("report.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    image = make_image()
    submission = submission_create(
        site=None, name="张三", email="z@example.cn", phone="", title="投稿", body="正文",
        files=[],
    )  # fmt: skip
    takedown = Takedown.objects.create(
        name="李四", email="l@example.cn", right="copyright", reason="理由",
        declared_at=timezone.now(), due_at=timezone.now(),
    )  # fmt: skip
    return World(
        article_id=article.pk,
        article_url=article.url,
        column_url=news.url,
        tag_url="/tag/统战/",
        document_url=document.url,
        media_url=image.file.url,
        submission_code=submission.code,
        takedown_code=takedown.code,
    )


def stored() -> tuple[int, ...]:
    from django.conf import settings as django_settings

    private = Path(django_settings.DATA_DIR) / "private"
    files = sum(1 for path in private.rglob("*") if path.is_file()) if private.exists() else 0
    return (
        Comment.objects.count(), Submission.objects.count(), Takedown.objects.count(),
        SubmissionAttachment.objects.count(), TakedownAttachment.objects.count(), files,
    )  # fmt: skip


def judge(channel: str, status: int, before: tuple[int, ...], what: str) -> None:
    STATS["requests"] += 1
    STATS[channel] += 1
    if status >= 500:
        STATS["5xx"] += 1
    elif status >= 400:
        STATS["4xx"] += 1
    assert status < 500, f"{status} for {what}"
    if 400 <= status < 500:
        assert stored() == before, f"{status} refusal stored something: {what}"


# Strategies -------------------------------------------------------------------------------
def encoded(value: str | bytes) -> str:
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(raw, safe="")


hostile_text = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=8),
)
hostile_value = st.one_of(hostile_text.map(encoded), st.sampled_from(HOSTILE_BYTES).map(encoded))


@st.composite
def query_strings(draw: st.DrawFn) -> str:
    pairs = draw(st.lists(st.tuples(st.sampled_from(QUERY_NAMES), hostile_value), max_size=4))
    query = "&".join(f"{encoded(name)}={value}" for name, value in pairs)
    if draw(st.booleans()):
        query += draw(st.sampled_from(["", "&", "&&=", "=", "%", "a=%ZZ", "page=1&page=2"]))
    return query


@st.composite
def headers(draw: st.DrawFn) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for name, values in (
        ("HTTP_HOST", HOSTS), ("HTTP_IF_NONE_MATCH", ETAGS),
        ("HTTP_IF_MODIFIED_SINCE", DATES), ("HTTP_ACCEPT_ENCODING", ENCODINGS),
        ("HTTP_COOKIE", COOKIES), ("HTTP_X_FORWARDED_FOR", FORWARDED),
        ("HTTP_USER_AGENT", ["\x00", "x" * 5000, "Mozilla/5.0", "统战浏览器"]),
        ("HTTP_X_FORWARDED_PROTO", ["https", "http", "\x00", "https, http"]),
    ):  # fmt: skip
        if draw(st.integers(0, 3)) == 0:
            # As a server hands headers over (PEP 3333): UTF-8 bytes, as latin-1 text.
            chosen[name] = draw(st.sampled_from(values)).encode("utf-8").decode("latin-1")
    chosen["REMOTE_ADDR"] = draw(st.sampled_from(["127.0.0.1", "192.0.2.9", "::1", "", "x"]))
    return chosen


def form_fields(draw: st.DrawFn, world: World) -> list[tuple[str, str | bytes]]:
    fields: list[tuple[str, str | bytes]] = []
    for name in draw(st.lists(st.sampled_from(FORM_NAMES), max_size=8)):
        fields.append((name, draw(st.one_of(hostile_text, st.sampled_from(HOSTILE_BYTES)))))
    if draw(st.booleans()):  # sometimes valid tokens, so checks further in are reached too
        policy = draw(
            st.sampled_from(
                [comment_policy(), workflow_policy("submission", text_field="body"),
                 workflow_policy("takedown", text_field="reason")]
            )
        )  # fmt: skip
        fields.append(("kanwu_ts", antispam.issue_token(policy)))
        fields.append(("comment_post_ID", str(world.article_id)))
        fields.append(("email", "reader@example.cn"))
        fields.append(("consent", "on"))
    return fields


def urlencoded(fields: list[tuple[str, str | bytes]], charset: str) -> bytes:
    def part(value: str | bytes) -> str:
        if isinstance(value, bytes):
            return quote_from_bytes(value, safe="")
        try:
            return quote_from_bytes(value.encode(charset or "utf-8", "surrogatepass"), safe="")
        except (LookupError, UnicodeEncodeError, ValueError):
            return encoded(value)

    return "&".join(f"{part(name)}={part(value)}" for name, value in fields).encode("ascii")


def multipart(fields: list[tuple[str, str | bytes]], draw: st.DrawFn) -> bytes:
    out = io.BytesIO()
    for name, value in fields:
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        out.write(b"--kanwu\r\n")
        if name == "attachments" or draw(st.integers(0, 4)) == 0:
            filename = draw(
                st.sampled_from(
                    [b"a.pdf", b"\xff\xfe.png", b"x" * 400 + b".jpg", b"..\\..\\a.doc", b"a\x00b",
                     "统战.docx".encode(), b""]
                )
            )  # fmt: skip
            content = draw(
                st.sampled_from(
                    [b"%PDF-1.7\n" + raw, b"PK\x03\x04" + raw, b"\x89PNG\r\n\x1a\n" + raw,
                     b"MZ" + raw, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + raw, raw]
                )
            )  # fmt: skip
            out.write(
                b'Content-Disposition: form-data; name="attachments"; filename="'
                + filename
                + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
                + content
                + b"\r\n"
            )
        else:
            out.write(
                b'Content-Disposition: form-data; name="'
                + name.encode("utf-8", "surrogatepass")
                + b'"\r\n\r\n'
                + raw
                + b"\r\n"
            )
    ending = draw(st.sampled_from([b"--kanwu--\r\n", b"--kanwu", b"", b"--kan", b"--kanwu--"]))
    return out.getvalue() + ending


@st.composite
def bodies(draw: st.DrawFn, world: World) -> tuple[bytes, str, dict[str, str]]:
    """A POST body, its Content-Type and perhaps an odd Content-Length."""
    fields = form_fields(draw, world)
    kind = draw(st.sampled_from(CONTENT_TYPES))
    charset = draw(st.sampled_from(CHARSETS))
    content_type = kind % charset if "%s" in kind else kind
    if kind.startswith("multipart"):
        body = multipart(fields, draw)
    elif draw(st.integers(0, 5)) == 0:
        body = draw(st.binary(max_size=200))
    else:
        body = urlencoded(fields, charset)
    extra: dict[str, str] = {}
    if draw(st.integers(0, 4)) == 0:
        # Never more than the body holds: a server hands over what arrived.
        extra["CONTENT_LENGTH"] = draw(
            st.sampled_from(["-1", "abc", "", "0", str(len(body) // 2), "1e3", "٣"])
        )
    return body, content_type, extra


# Django's test client ---------------------------------------------------------------------
@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


@HYPOTHESIS
@given(data=st.data())
def test_gets_with_hostile_queries_and_headers(client: Client, world: World, data: Any) -> None:
    cache.clear()
    path = data.draw(st.sampled_from(world.get_routes()))
    query = data.draw(query_strings())
    if path.endswith("/status/") or path.endswith("/received/"):
        if data.draw(st.booleans()):
            code = world.submission_code if "submit" in path else world.takedown_code
            query = f"code={code}&{query}"
    extra = data.draw(headers())
    before = stored()
    method = data.draw(st.sampled_from(["GET", "GET", "HEAD", "OPTIONS", "PUT", "DELETE"]))
    response = client.generic(method, path, QUERY_STRING=query, **extra)
    judge("client", response.status_code, before, f"{method} {path}?{query} {extra}")


@HYPOTHESIS
@given(data=st.data())
def test_posts_with_hostile_bodies(client: Client, world: World, data: Any) -> None:
    cache.clear()
    path = data.draw(st.sampled_from(world.post_routes()))
    body, content_type, extra = data.draw(bodies(world))
    # A NUL in the Content-Type makes Django fail while the test client builds the request,
    # before any of kanwu runs; readers' requests come through the fast path, which refuses
    # it first (test_the_fast_path_and_django_over_wsgi sends it).
    content_type = content_type.replace("\x00", "")
    extra.update(data.draw(headers()))
    before = stored()
    response = client.generic(
        "POST", path, data=body, content_type=content_type,
        QUERY_STRING=data.draw(query_strings()), **extra,
    )  # fmt: skip
    judge("client", response.status_code, before, f"POST {path} {content_type!r} {body[:300]!r}")


@HYPOTHESIS
@given(data=st.data())
def test_hostile_paths(client: Client, world: World, data: Any) -> None:
    cache.clear()
    prefix = data.draw(
        st.sampled_from(
            ["/", "/news/", "/tag/", "/documents/", "/documents/1/", "/media/", "/_/views/",
             "/comments/", "/submit/", "/takedown/", "/search/", "/feed/", "/static/",
             "/zh-hant/", "/zh-hant/news/"]
        )
    )  # fmt: skip
    tail = data.draw(
        st.one_of(
            hostile_value,
            st.sampled_from(["..%2f..%2fsecret_key", "%2e%2e/", "//", "a/b/c/d/e/f/", "9" * 30]),
        )
    )
    path = prefix + tail + data.draw(st.sampled_from(["", "/", "/x.pdf"]))
    before = stored()
    response = client.get(path, **data.draw(headers()))
    judge("client", response.status_code, before, f"GET {path}")


# The WSGI stack readers get: FastPath (page cache on) in front of Django -------------------
def call(
    app: Any, method: str, path: str, query: str, extra: dict[str, str], body: bytes = b""
) -> int:
    from urllib.parse import unquote_to_bytes

    environ: dict[str, Any] = {
        "REQUEST_METHOD": method, "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query, "SERVER_NAME": "testserver", "SERVER_PORT": "80",
        "HTTP_HOST": "testserver", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(), "wsgi.version": (1, 0), "wsgi.multithread": False,
        "wsgi.multiprocess": False, "wsgi.run_once": False,
    }  # fmt: skip
    if body:
        environ["CONTENT_LENGTH"] = str(len(body))
    environ.update(extra)
    result: dict[str, int] = {}

    def start_response(line: str, headers: list[tuple[str, str]], *exc: Any) -> None:
        result["status"] = int(line.split()[0])

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        answer = app(environ, start_response)
        b"".join(answer)
        if hasattr(answer, "close"):
            answer.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return result["status"]


@pytest.fixture
def stack(world: World, page_cache: Path) -> FastPath:  # noqa: F811 (the fixture)
    app = FastPath(WSGIHandler())
    for path in [*world.get_routes()[:4], "/feed/", "/sitemap.xml"]:
        call(app, "GET", path, "", {})  # stored in the page cache: later GETs are hits
    return app


@HYPOTHESIS
@given(data=st.data())
def test_the_fast_path_and_django_over_wsgi(stack: FastPath, world: World, data: Any) -> None:
    cache.clear()
    method = data.draw(st.sampled_from(["GET", "GET", "GET", "HEAD", "POST"]))
    if method == "POST":
        path = data.draw(st.sampled_from(world.post_routes()))
        body, content_type, extra = data.draw(bodies(world))
        extra["CONTENT_TYPE"] = content_type
    else:
        path = data.draw(st.sampled_from(world.get_routes()))
        body, extra = b"", {}
    query = data.draw(st.one_of(st.just(""), st.just("page=1"), query_strings()))
    extra.update(data.draw(headers()))
    before = stored()
    status = call(stack, method, path, query, extra, body)
    judge("wsgi", status, before, f"{method} {path}?{query} {extra} {body[:200]!r}")

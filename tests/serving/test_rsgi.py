"""The RSGI front: the WSGI environ it builds, and its limits on request bodies, tried
against the real front run by granian with `kanwu serve`'s options."""

from __future__ import annotations

import http.client
import os
import re
import select
import socket
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from kanwu.serving.rsgi import BATCH, SMALL_BODY, Refused, build_environ, declared_length
from tests.serving.processes import (
    DEADLINE,
    Front,
    get,
    read_answer,
    send_raw,
    status_of,
    upload_head,
    wait_until,
)


class Headers:
    """granian's RSGIHeaders, as far as the front uses it."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def items(self) -> list[tuple[str, str]]:
        return self.pairs

    def get(self, key: str, default: Any = None) -> Any:
        return next((value for name, value in self.pairs if name == key), default)

    def __contains__(self, key: str) -> bool:
        return any(name == key for name, _ in self.pairs)


class Scope:
    def __init__(self, path: str, pairs: list[tuple[str, str]], **attributes: Any) -> None:
        self.method = "GET"
        self.path = path
        self.query_string = ""
        self.headers = Headers(pairs)
        self.server = "127.0.0.1:8000"
        self.client = "127.0.0.1:50000"
        self.scheme = "http"
        self.http_version = "1.1"
        self.authority: str | None = None
        self.__dict__.update(attributes)


def test_environ_follows_pep_3333() -> None:
    scope = Scope(
        "/tag/政协/",
        [
            ("host", "news.example.org"),
            ("x-forwarded-for", "10.0.0.1"),
            ("x-forwarded-for", "10.0.0.2"),
            ("cookie", "a=1"),
            ("cookie", "b=2"),
            ("x_forwarded_for", "forged"),
            ("content-type", "application/x-www-form-urlencoded"),
            ("content-length", "3"),
        ],
        method="POST",
        query_string="q=%E6%94%BF&page=2",
        client="[::1]:51234",
    )
    environ = build_environ(scope, b"a=1")
    assert environ["REQUEST_METHOD"] == "POST"
    assert environ["PATH_INFO"] == "/tag/政协/".encode().decode("latin-1")
    assert environ["SCRIPT_NAME"] == ""
    assert environ["QUERY_STRING"] == "q=%E6%94%BF&page=2"
    assert environ["HTTP_HOST"] == "news.example.org"
    assert environ["HTTP_X_FORWARDED_FOR"] == "10.0.0.1, 10.0.0.2"  # repeated: joined
    assert environ["HTTP_COOKIE"] == "a=1; b=2"
    assert environ["CONTENT_TYPE"] == "application/x-www-form-urlencoded"
    assert environ["CONTENT_LENGTH"] == "3"
    assert environ["SERVER_NAME"] == "127.0.0.1"
    assert environ["SERVER_PORT"] == "8000"
    assert environ["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert environ["REMOTE_ADDR"] == "::1"
    assert environ["wsgi.url_scheme"] == "http"
    assert environ["wsgi.input"].read() == b"a=1"
    assert environ["wsgi.version"] == (1, 0)
    assert "HTTP_CONTENT_TYPE" not in environ
    assert "HTTP_CONTENT_LENGTH" not in environ


def test_chunked_body_gets_its_length_and_http2_its_host() -> None:
    scope = Scope("/", [("transfer-encoding", "chunked")], authority="example.org:8443")
    environ = build_environ(scope, b"hello")
    assert environ["CONTENT_LENGTH"] == "5"  # Django reads CONTENT_LENGTH bytes, no more
    assert environ["HTTP_HOST"] == "example.org:8443"


def test_declared_length() -> None:
    assert declared_length(Scope("/", [])) == 0
    assert declared_length(Scope("/", [("content-length", "12")])) == 12
    chunked = Scope("/", [("transfer-encoding", "chunked")])
    assert declared_length(chunked) is None
    with pytest.raises(Refused) as refused:
        declared_length(Scope("/", [("content-length", "-1")]))
    assert refused.value.status == 400


# The rest runs the front in granian: two uploads at a time, 1 MB at most, and (here) all
# the time in the world between a body's bytes.
UPLOADS = 2


@pytest.fixture(scope="module")
def front(demo_dir: Path) -> Iterator[Front]:
    server = Front.start(
        demo_dir,
        KANWU_MAX_UPLOADS=str(UPLOADS),
        KANWU_MAX_BODY_MB="1",
        KANWU_BODY_TIMEOUT="600",
        KANWU_BODY_DEADLINE="600",
    )
    yield server
    server.stop()


@pytest.mark.slow
def test_pages_are_served_and_cache_hits_answered_by_the_front(front: Front) -> None:
    status, _, page = get(front.port, "/tag/" + quote("政协") + "/")
    assert status == 200
    assert "政协" in page.decode()
    get(front.port, "/")
    status, headers, body = get(front.port, "/")
    assert (status, headers["x-kanwu-cache"]) == (200, "HIT")
    status, head_headers, nothing = get(front.port, "/", method="HEAD")
    assert (status, nothing) == (200, b"")
    assert head_headers["content-length"] == str(len(body))


@pytest.mark.slow
def test_declared_body_over_the_limit_gets_413_before_it_is_sent(front: Front) -> None:
    sock = send_raw(front.port, upload_head(2 * 1024 * 1024))
    answer = read_answer(sock)
    assert status_of(answer) == 413
    assert "上传内容过大" in answer.decode()


@pytest.mark.slow
def test_chunked_body_over_the_limit_gets_413(front: Front) -> None:
    head = upload_head(0).replace(b"Content-Length: 0\r\n", b"Transfer-Encoding: chunked\r\n")
    sock = send_raw(front.port, head)
    chunk = b"x" * 65536
    try:
        for _ in range(40):  # 2.5 MB, in 64 KB chunks
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused meanwhile
    assert status_of(read_answer(sock)) == 413


def login_form(port: int) -> tuple[str, str]:
    """The admin login page's CSRF cookie and form token."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
    connection.request("GET", "/admin/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    connection.close()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match and cookie.startswith("csrftoken=")
    return cookie, match.group(1)


@pytest.mark.parametrize("padding", [0, 3 * SMALL_BODY])
@pytest.mark.slow
def test_form_bodies_reach_django_whole(front: Front, padding: int) -> None:
    """A small form and one large enough to count as an upload, sent at once and chunked:
    Django parses each (the login form comes back with the name that was sent)."""
    cookie, token = login_form(front.port)
    fields = {"csrfmiddlewaretoken": token, "username": "nobody-7", "password": "wrong"}
    body = urlencode({**fields, "padding": "x" * padding}).encode()
    headers = f"Cookie: {cookie}\r\nReferer: http://127.0.0.1:{front.port}/admin/login/\r\n"
    whole = send_raw(front.port, upload_head(len(body), "/admin/login/", headers) + body)
    chunked_head = upload_head(0, "/admin/login/", headers).replace(
        b"Content-Length: 0\r\n", b"Transfer-Encoding: chunked\r\n"
    )
    halves = [body[: len(body) // 2], body[len(body) // 2 :]]
    chunked = send_raw(
        front.port,
        chunked_head + b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in halves) + b"0\r\n\r\n",
    )
    for sock in (whole, chunked):
        answer = read_until_complete(sock)
        assert status_of(answer) == 200, answer[:300]
        assert b"nobody-7" in answer


def read_until_complete(sock: socket.socket) -> bytes:
    """One response on a keep-alive connection: headers, then Content-Length bytes."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))
    while len(body) < length:
        body += sock.recv(65536)
    sock.close()
    return head + b"\r\n\r\n" + body


@pytest.mark.slow
def test_uploads_beyond_the_cap_are_refused_at_once_with_503(front: Front) -> None:
    """Three slow uploads against two slots: one is refused at once (whichever came
    last); the two others are still being read, and reach Django once they finish."""
    length = SMALL_BODY + 1000
    socks = [send_raw(front.port, upload_head(length) + b"a=") for _ in range(UPLOADS + 1)]

    def answered() -> list[socket.socket]:
        return select.select(socks, [], [], 0.1)[0]

    first = wait_until(answered, "an answer to one of the uploads")
    assert len(first) == 1
    refusal = read_answer(first[0])
    assert status_of(refusal) == 503
    assert b"retry-after: 10" in refusal.lower()
    for sock in socks:
        if sock is not first[0]:
            sock.sendall(b"x" * (length - 2))
            assert status_of(read_answer(sock)) == 403  # Django's CSRF check: it got through


@pytest.mark.slow
def test_a_body_that_stops_coming_gets_408(demo_dir: Path) -> None:
    impatient = Front.start(demo_dir, KANWU_BODY_TIMEOUT="1")
    try:
        sock = send_raw(impatient.port, upload_head(100_000) + b"a=1")
        answer = read_answer(sock)
        assert status_of(answer) == 408
        assert "请求体发送超时" in answer.decode()
        assert get(impatient.port, "/")[0] == 200
    finally:
        impatient.stop()


@pytest.mark.slow
def test_long_answers_stream_and_readers_may_leave_midway(front: Front, demo_dir: Path) -> None:
    content = os.urandom(4 * BATCH + 123)
    (demo_dir / "media" / "big.bin").write_bytes(content)
    status, _, body = get(front.port, "/media/big.bin")
    assert (status, body == content) == (200, True)
    for _ in range(5):
        sock = send_raw(front.port, b"GET /media/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.recv(1024)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()  # a reset, mid-answer
    assert get(front.port, "/media/big.bin")[2] == content
    assert "Traceback" not in front.output()

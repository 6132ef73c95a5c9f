"""The safe fetcher against a real HTTP server on 127.0.0.1.

How private addresses are tested: the test server lives on 127.0.0.1, which the fetcher refuses
by default. Instead of a test-only switch in the fetcher, the tests use the setting's list form,
``KANWU_FETCH_ALLOW_PRIVATE = ["127.0.0.1:<port>"]``, which opens exactly the test server's
address and port (the same form an intranet uses for one internal host). Redirects from the
test server to a *second live server* on another loopback port, in every spelling (decimal,
octal, hex, IPv4-mapped IPv6, localhost), are then refused, and the second server's request log
shows it was never reached.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from kanwu import safefetch as fetch_module
from kanwu.safefetch import Accept, AddressRefused, FetchError, address_refusal, fetch
from tests.importer.server import LocalServer, Response, running_server

PAGE = "<html><head><title>测试</title></head><body><p>正文</p></body></html>".encode()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with running_server() as srv:
        yield srv


@pytest.fixture
def other() -> Iterator[LocalServer]:
    """A second server that must never be reached by a refused redirect."""
    with running_server() as srv:
        srv.routes["/secret"] = Response(b"secret", content_type="text/html")
        yield srv


@pytest.fixture
def only_server(settings: SettingsWrapper, server: LocalServer) -> LocalServer:
    settings.KANWU_FETCH_ALLOW_PRIVATE = [f"127.0.0.1:{server.port}"]
    return server


def test_fetches_a_page_with_an_honest_user_agent(
    settings: SettingsWrapper, server: LocalServer
) -> None:
    settings.KANWU_FETCH_ALLOW_PRIVATE = True
    server.routes["/a"] = Response(PAGE, content_type="text/html; charset=GBK")
    result = fetch(server.url("/a"), accept=Accept.PAGE)
    assert result.content == PAGE
    assert result.content_type == "text/html"
    assert result.charset == "gbk"
    user_agent = server.requests[0][1]["User-Agent"]
    assert user_agent.startswith("kanwu/") and "content importer" in user_agent


def test_loopback_is_refused_when_private_addresses_are_not_allowed(
    settings: SettingsWrapper, server: LocalServer
) -> None:
    settings.KANWU_FETCH_ALLOW_PRIVATE = False
    server.routes["/a"] = Response(PAGE)
    with pytest.raises(AddressRefused, match="本机回环地址"):
        fetch(server.url("/a"), accept=Accept.PAGE)
    assert server.requests == []


def test_allow_list_opens_only_the_listed_port(
    only_server: LocalServer, other: LocalServer
) -> None:
    only_server.routes["/a"] = Response(PAGE)
    assert fetch(only_server.url("/a"), accept=Accept.PAGE).content == PAGE
    with pytest.raises(AddressRefused):
        fetch(other.url("/secret"), accept=Accept.PAGE)
    assert other.requests == []


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "2130706433",  # decimal
        "0177.0.0.1",  # octal
        "0x7f.0.0.1",  # hex
        "127.1",  # short form
        "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
        "[::1]",
    ],
)
def test_redirect_to_a_private_address_is_refused_in_every_spelling(
    only_server: LocalServer, other: LocalServer, host: str
) -> None:
    target = f"http://{host}:{other.port}/secret"
    only_server.routes["/go"] = Response(status=302, headers={"Location": target})
    with pytest.raises(AddressRefused, match="不允许抓取"):
        fetch(only_server.url("/go"), accept=Accept.PAGE)
    assert other.requests == []
    assert only_server.paths() == ["/go"]


@pytest.mark.parametrize(
    "target",
    ["http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data/", "http://192.168.0.1/"],
)
def test_redirect_to_intranet_and_metadata_addresses_is_refused(
    only_server: LocalServer, target: str
) -> None:
    only_server.routes["/go"] = Response(status=301, headers={"Location": target})
    with pytest.raises(AddressRefused):
        fetch(only_server.url("/go"), accept=Accept.PAGE)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.com/x", "gopher://x/"])
def test_redirect_to_another_scheme_is_refused(only_server: LocalServer, target: str) -> None:
    only_server.routes["/go"] = Response(status=302, headers={"Location": target})
    with pytest.raises(FetchError, match="只允许抓取 http 或 https"):
        fetch(only_server.url("/go"), accept=Accept.PAGE)


def test_five_redirects_are_followed_and_the_sixth_is_refused(only_server: LocalServer) -> None:
    for n in range(6):
        only_server.routes[f"/r{n}"] = Response(status=302, headers={"Location": f"/r{n + 1}"})
    only_server.routes["/r5"] = Response(PAGE)
    result = fetch(only_server.url("/r0"), accept=Accept.PAGE)
    assert result.url == only_server.url("/r5")
    assert len(result.redirects) == 5
    only_server.routes["/r6"] = Response(PAGE)
    only_server.routes["/r5"] = Response(status=302, headers={"Location": "/r6"})
    with pytest.raises(FetchError, match="重定向次数超过 5 次"):
        fetch(only_server.url("/r0"), accept=Accept.PAGE)


def test_a_page_over_five_megabytes_is_refused(only_server: LocalServer) -> None:
    big = b"<html><body>" + b"x" * (5 * 1024 * 1024) + b"</body></html>"
    only_server.routes["/declared"] = Response(big)
    only_server.routes["/streamed"] = Response(big, chunked_size_unknown=True)
    for path in ["/declared", "/streamed"]:
        with pytest.raises(FetchError, match="超过 5 MB"):
            fetch(only_server.url(path), accept=Accept.PAGE)


def test_a_page_just_under_the_limit_is_accepted(only_server: LocalServer) -> None:
    body = b"a" * (5 * 1024 * 1024)
    only_server.routes["/ok"] = Response(body, chunked_size_unknown=True)
    assert len(fetch(only_server.url("/ok"), accept=Accept.PAGE).content) == len(body)


def test_content_types_are_checked_per_use(only_server: LocalServer) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    only_server.routes["/pdf"] = Response(b"%PDF-1.4", content_type="application/pdf")
    only_server.routes["/png"] = Response(png, content_type="image/png")
    only_server.routes["/fake.png"] = Response(b"<script>", content_type="image/png")
    only_server.routes["/svg"] = Response(b"<svg/>", content_type="image/svg+xml")
    only_server.routes["/page"] = Response(PAGE)
    with pytest.raises(FetchError, match="application/pdf 不是网页"):
        fetch(only_server.url("/pdf"), accept=Accept.PAGE)
    with pytest.raises(FetchError, match="不是网页"):
        fetch(only_server.url("/png"), accept=Accept.PAGE)
    assert fetch(only_server.url("/png"), accept=Accept.IMAGE).content == png
    with pytest.raises(FetchError, match="不是可识别的图片"):
        fetch(only_server.url("/fake.png"), accept=Accept.IMAGE)
    with pytest.raises(FetchError, match="不是图片"):
        fetch(only_server.url("/svg"), accept=Accept.IMAGE)
    with pytest.raises(FetchError, match="不是图片"):
        fetch(only_server.url("/page"), accept=Accept.IMAGE)


def test_http_errors_are_reported(only_server: LocalServer) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(only_server.url("/missing"), accept=Accept.PAGE)


def test_slow_server_hits_the_time_limit(
    only_server: LocalServer, settings: SettingsWrapper
) -> None:
    settings.KANWU_FETCH_TIMEOUT = 0.5

    def slow() -> Response:
        time.sleep(1.5)
        return Response(PAGE)

    only_server.routes["/slow"] = slow
    with pytest.raises(FetchError, match="超时"):
        fetch(only_server.url("/slow"), accept=Accept.PAGE)


def test_a_server_dripping_bytes_hits_the_time_limit(
    only_server: LocalServer, settings: SettingsWrapper
) -> None:
    settings.KANWU_FETCH_TIMEOUT = 0.5
    only_server.routes["/drip"] = Response(b"<html>" + b"x" * 40, drip_seconds=0.05)
    with pytest.raises(FetchError, match="超时"):
        fetch(only_server.url("/drip"), accept=Accept.PAGE)


def test_credentials_in_the_url_are_refused(only_server: LocalServer) -> None:
    url = only_server.url("/a").replace("http://", "http://user:pw@")
    with pytest.raises(FetchError, match="用户名或密码"):
        fetch(url, accept=Accept.PAGE)


def test_the_connection_goes_to_the_checked_address_not_a_second_dns_answer(
    only_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the first answer passes the check, later answers point elsewhere.

    The fetcher must resolve once and connect to the address it checked. A fetcher that
    checks and then lets the HTTP library resolve again would connect to 127.0.0.2, where
    nothing listens (and which the allow list does not open).
    """
    real = socket.getaddrinfo
    calls: list[str] = []

    def rebinding(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.test":
            calls.append(host)
            return real("127.0.0.1" if len(calls) == 1 else "127.0.0.2", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    only_server.routes["/a"] = Response(PAGE)
    result = fetch(f"http://rebind.test:{only_server.port}/a", accept=Accept.PAGE)
    assert result.content == PAGE
    assert calls == ["rebind.test"]
    assert only_server.requests[0][1]["Host"] == f"rebind.test:{only_server.port}"


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "本机回环地址"),
        ("10.0.0.1", "内网地址"),
        ("172.16.5.4", "内网地址"),
        ("192.168.1.1", "内网地址"),
        ("169.254.169.254", "链路本地地址"),
        ("224.0.0.1", "组播地址"),
        ("0.0.0.0", "未指定地址"),  # noqa: S104
        ("240.0.0.1", "保留地址"),
        ("100.64.0.1", "不是公网地址"),
        ("::1", "本机回环地址"),
        ("::", "未指定地址"),
        ("fe80::1", "链路本地地址"),
        ("fc00::1", "内网地址"),
        ("ff02::1", "组播地址"),
        ("::ffff:127.0.0.1", "本机回环地址"),
        ("::ffff:10.0.0.1", "内网地址"),
        ("64:ff9b::a9fe:a9fe", "链路本地地址"),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", "本机回环地址"),  # 6to4 of 127.0.0.1
    ],
)
def test_address_refusal_names_the_reason(address: str, reason: str) -> None:
    assert reason in address_refusal(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "114.114.114.114", "2400:3200::1"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address)) == ""


def test_allow_list_accepts_networks_and_ports(settings: SettingsWrapper) -> None:
    settings.KANWU_FETCH_ALLOW_PRIVATE = ["10.0.0.0/8", "::1", "[fd00::5]:8080", "192.168.1.9:81"]
    assert fetch_module.checked_addresses("10.2.3.4", 80) == ["10.2.3.4"]
    assert fetch_module.checked_addresses("::1", 443) == ["::1"]
    assert fetch_module.checked_addresses("fd00::5", 8080) == ["fd00::5"]
    assert fetch_module.checked_addresses("192.168.1.9", 81) == ["192.168.1.9"]
    for host, port in [("192.168.0.1", 80), ("fd00::5", 80), ("192.168.1.9", 80)]:
        with pytest.raises(AddressRefused):
            fetch_module.checked_addresses(host, port)


def test_https_goes_through_the_same_address_check(settings: SettingsWrapper) -> None:
    settings.KANWU_FETCH_ALLOW_PRIVATE = False
    with pytest.raises(AddressRefused, match="本机回环地址"):
        fetch("https://127.0.0.1:1/", accept=Accept.PAGE)
    with pytest.raises(AddressRefused, match="内网地址"):
        fetch("https://10.0.0.1/", accept=Accept.PAGE)

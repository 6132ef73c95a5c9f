"""The one safe fetcher: every feature that downloads something from a URL goes through here.

A URL an editor pastes (or a WordPress export names) may point at the server's own network:
``http://127.0.0.1:6379/``, ``http://169.254.169.254/`` (cloud metadata), ``http://10.0.0.5/``,
or a name whose DNS answer is one of those. So the fetcher

- allows http and https only, and follows at most ``MAX_REDIRECTS`` redirects, checking each
  new URL again;
- resolves the host itself *inside the connection* and refuses loopback, private, link-local,
  multicast, reserved, unspecified and other non-global addresses (IPv4 and IPv6, IPv4-mapped
  and NAT64 IPv6 included; decimal and octal forms such as ``2130706433`` or ``0177.0.0.1``
  resolve to 127.0.0.1 and are refused like it). The socket is opened to the address that was
  checked, so a DNS answer that changes between check and connect (DNS rebinding) cannot slip
  through; for https the certificate is still checked against the host name;
- stops at ``MAX_BYTES`` and ``settings.KANWU_FETCH_TIMEOUT`` (``TIMEOUT``, 15) seconds in
  all, or the shorter limit a caller passes (the importer's time budgets), sends an honest
  User-Agent, ignores proxy variables, and accepts only the content types the caller asks for.

``settings.KANWU_FETCH_ALLOW_PRIVATE`` opens private addresses for intranet use: ``True`` opens
them all; a list opens only the networks (``"10.0.0.0/8"``) or exact ``"ip:port"`` entries
listed. Every refusal raises :class:`FetchError` with a Chinese message naming the reason.
"""

from __future__ import annotations

import enum
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util import connection as urllib3_connection

import kanwu

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 15.0
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
REDIRECT_STATUSES = {301, 302, 303, 307, 308}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Accept(enum.Enum):
    """What the caller is willing to receive."""

    PAGE = "page"
    IMAGE = "image"
    FEED = "feed"


ACCEPTED_TYPES: dict[Accept, tuple[str, ...]] = {
    Accept.PAGE: ("text/html", "application/xhtml+xml"),
    Accept.IMAGE: ("image/jpeg", "image/png", "image/gif", "image/webp", "image/pjpeg"),
    Accept.FEED: (
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "text/xml",
        "application/rdf+xml",
    ),
}
ACCEPT_HEADERS = {
    Accept.PAGE: "text/html,application/xhtml+xml;q=0.9",
    Accept.IMAGE: "image/jpeg,image/png,image/gif,image/webp",
    Accept.FEED: "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.8",
}
KIND_NAMES = {Accept.PAGE: "网页", Accept.IMAGE: "图片", Accept.FEED: "RSS/Atom 订阅"}


class FetchError(Exception):
    """A download was refused or failed; `str(error)` is a Chinese message for the editor."""

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    def __str__(self) -> str:
        return f"{self.message}（{self.url}）" if self.url else self.message


class AddressRefused(FetchError):
    """The host resolves to an address the fetcher may not reach."""


class HostUnreachable(FetchError):
    """The host could not be resolved or reached, or did not answer in time: asking it again
    soon is likely to cost as much (the importer gives such a host up for the run)."""


@dataclass(frozen=True)
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    content_type: str  # lower-case media type without parameters
    charset: str  # the charset parameter of Content-Type, "" when absent
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)
    redirects: tuple[str, ...] = ()


def address_refusal(ip: IPAddress) -> str:
    """Why `ip` must not be fetched, in Chinese; "" when it is a global address."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in ipaddress.ip_network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_refusal(embedded)
    checks = [
        ("is_unspecified", "未指定地址"),
        ("is_loopback", "本机回环地址"),
        ("is_link_local", "链路本地地址"),
        ("is_multicast", "组播地址"),
        ("is_reserved", "保留地址"),
        ("is_private", "内网地址"),
    ]
    for attribute, name in checks:
        if getattr(ip, attribute):
            return f"目标地址 {ip} 是{name}，不允许抓取"
    if not ip.is_global:
        return f"目标地址 {ip} 不是公网地址，不允许抓取"
    return ""


def _allowed_private(ip: IPAddress, port: int) -> bool:
    allow: Any = getattr(settings, "KANWU_FETCH_ALLOW_PRIVATE", False)
    if allow is True:
        return True
    if not allow:
        return False
    for raw in allow:
        entry = str(raw).strip()
        # "10.0.0.5:8080" or "[fd00::5]:8080" name one port; a bare address or network all.
        host, sep, entry_port = entry.rpartition(":")
        if sep and entry_port.isdigit() and (host.count(":") == 0 or host.endswith("]")):
            if int(entry_port) != port:
                continue
            entry = host.strip("[]")
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def checked_addresses(host: str, port: int) -> list[str]:
    """Resolve `host` and return its addresses, refusing if any of them may not be fetched."""
    host = host.strip("[]")
    try:
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostUnreachable(f"无法解析主机名 {host}") from exc
    addresses: list[str] = []
    for info in infos:
        raw = str(info[4][0]).split("%", 1)[0]
        ip = ipaddress.ip_address(raw)
        reason = address_refusal(ip)
        if reason and not _allowed_private(ip, port):
            raise AddressRefused(reason)
        if raw not in addresses:
            addresses.append(raw)
    if not addresses:
        raise HostUnreachable(f"无法解析主机名 {host}")
    return addresses


class _CheckedConnectionMixin:
    """Open the socket to an address that passed the check, never to a fresh DNS answer."""

    _dns_host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any

    def _new_conn(self) -> socket.socket:
        last: OSError | None = None
        for address in checked_addresses(self._dns_host, self.port):
            try:
                return urllib3_connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except OSError as exc:
                last = exc
        raise HostUnreachable(f"无法连接到 {self._dns_host}：{last}")


class _CheckedHTTPConnection(_CheckedConnectionMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedConnectionMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


def _pool_manager() -> urllib3.PoolManager:
    # maxsize: the importer downloads from one host on several threads at once.
    manager = urllib3.PoolManager(num_pools=8, maxsize=8, retries=False)
    manager.pool_classes_by_scheme = {"http": _CheckedHTTPPool, "https": _CheckedHTTPSPool}
    return manager


_MANAGER = _pool_manager()


def _check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise FetchError("网址格式不正确", url=url) from exc
    if parts.scheme.lower() not in {"http", "https"}:
        raise FetchError("只允许抓取 http 或 https 网址", url=url)
    if not parts.hostname:
        raise FetchError("网址缺少主机名", url=url)
    if parts.username or parts.password:
        raise FetchError("网址中不允许包含用户名或密码", url=url)


def _media_type(value: str) -> tuple[str, str]:
    media_type, _, params = value.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower()
    return media_type.strip().lower(), charset


def user_agent() -> str:
    """Say who fetches: kanwu, its version, and the address of the site doing it."""
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return f"kanwu/{kanwu.__version__} (content importer; +{base_url})"


def fetch_timeout() -> float:
    """Seconds one download may take in all: ``settings.KANWU_FETCH_TIMEOUT``, else TIMEOUT."""
    return float(getattr(settings, "KANWU_FETCH_TIMEOUT", TIMEOUT))


def timeout_message(limit: float) -> str:
    return f"抓取超时（超过 {limit:.3g} 秒）"


def fetch(url: str, *, accept: Accept, timeout: float | None = None) -> FetchResult:
    """Download `url` under the rules above, or raise FetchError. `timeout` may shorten the
    time limit (never lengthen it)."""
    url = url.strip()
    limit = fetch_timeout() if timeout is None else max(0.0, min(timeout, fetch_timeout()))
    deadline = time.monotonic() + limit
    redirects: list[str] = []
    headers = {
        "User-Agent": user_agent(),
        "Accept": ACCEPT_HEADERS[accept],
        "Accept-Encoding": "gzip, deflate",
    }
    while True:
        _check_url(url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise HostUnreachable(timeout_message(limit), url=url)
        try:
            response = _MANAGER.request(
                "GET",
                url,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                timeout=urllib3.Timeout(connect=remaining, read=remaining),
            )
        except FetchError as exc:
            exc.url = exc.url or url
            raise
        except urllib3.exceptions.TimeoutError as exc:
            raise HostUnreachable(timeout_message(limit), url=url) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise HostUnreachable(f"连接失败：{exc.__class__.__name__}", url=url) from exc
        try:
            if response.status in REDIRECT_STATUSES and response.headers.get("Location"):
                if len(redirects) >= MAX_REDIRECTS:
                    raise FetchError(f"重定向次数超过 {MAX_REDIRECTS} 次", url=url)
                redirects.append(url)
                url = urljoin(url, response.headers["Location"])
                continue
            return _read(response, url, accept, deadline, limit, tuple(redirects))
        finally:
            # Never hand an unread connection back to the pool: close it.
            response.close()
            response.release_conn()


def _read(
    response: Any,
    url: str,
    accept: Accept,
    deadline: float,
    limit: float,
    redirects: tuple[str, ...],
) -> FetchResult:
    if response.status >= 400:
        raise FetchError(f"对方服务器返回错误 HTTP {response.status}", url=url)
    if response.status != 200:
        raise FetchError(f"对方服务器返回了意外的状态 HTTP {response.status}", url=url)
    media_type, charset = _media_type(response.headers.get("Content-Type", ""))
    if media_type not in ACCEPTED_TYPES[accept]:
        shown = media_type or "未知类型"
        raise FetchError(f"内容类型 {shown} 不是{KIND_NAMES[accept]}", url=url)
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise FetchError(f"内容超过 {MAX_BYTES // (1024 * 1024)} MB 上限", url=url)
    body = bytearray()
    try:
        # read1 returns after one network read, so a server that drips a byte at a time
        # still meets the deadline check below (read(n) would wait for all n bytes).
        while chunk := response.read1(CHUNK, decode_content=True):
            body += chunk
            if len(body) > MAX_BYTES:
                raise FetchError(f"内容超过 {MAX_BYTES // (1024 * 1024)} MB 上限", url=url)
            if time.monotonic() > deadline:
                raise HostUnreachable(timeout_message(limit), url=url)
    except urllib3.exceptions.TimeoutError as exc:
        raise HostUnreachable(timeout_message(limit), url=url) from exc
    except urllib3.exceptions.HTTPError as exc:
        raise HostUnreachable(f"读取内容失败：{exc.__class__.__name__}", url=url) from exc
    content = bytes(body)
    if accept is Accept.IMAGE and not _looks_like_image(content):
        raise FetchError("内容不是可识别的图片（JPEG、PNG、GIF 或 WebP）", url=url)
    return FetchResult(
        url=url,
        status=response.status,
        content_type=media_type,
        charset=charset,
        content=content,
        headers={key.lower(): value for key, value in response.headers.items()},
        redirects=redirects,
    )


def _looks_like_image(content: bytes) -> bool:
    """Trust the bytes, not only the header: a script served as image/png is refused."""
    return (
        content.startswith(b"\xff\xd8\xff")
        or content.startswith(b"\x89PNG\r\n\x1a\n")
        or content[:6] in (b"GIF87a", b"GIF89a")
        or (content[:4] == b"RIFF" and content[8:12] == b"WEBP")
    )
